"""The settings form's values: what is stored, or sensible first values for a company's first visit."""

from __future__ import annotations

from datetime import date

from app.edefter.company.places import TURKIYE
from app.edefter.company.settings_rules import MAX_SPLIT_MB
from app.models import BeratPeriod, EdefterSettings, PeriodKind, Taxpayer


def settings_values(settings: EdefterSettings | None, taxpayer: Taxpayer, today: date) -> dict[str, str]:
    if settings is None:
        return {
            "donem_turu": PeriodKind.TAKVIM.value,
            "donem_baslangic": date(today.year, 1, 1).isoformat(),
            "donem_bitis": date(today.year, 12, 31).isoformat(),
            "berat_donemi": BeratPeriod.AYLIK.value,
            "bolme_boyutu": str(MAX_SPLIT_MB),
            "unvan": taxpayer.unvan,
            "ulke": TURKIYE,
        }
    return {
        "donem_turu": settings.period_kind.value,
        "donem_baslangic": settings.fiscal_year_start.isoformat(),
        "donem_bitis": settings.fiscal_year_end.isoformat(),
        "ilk_gecis_tarihi": settings.first_use_date.isoformat(),
        "kurulus_tarihi": settings.founded_on.isoformat(),
        "berat_donemi": settings.berat_period.value,
        "bolme_boyutu": str(settings.split_size_mb),
        "gib_basvuru": "1" if settings.gib_application_done else "",
        "uyumlu_yazilim": "1" if settings.compatible_software_set else "",
        "unvan": settings.name,
        "bina_no": settings.building_number,
        "cadde_sokak": settings.street,
        "il": settings.city,
        "posta_kodu": settings.postal_code,
        "ulke": settings.country,
        "telefon": settings.phone,
        "eposta": settings.email,
        "web_sitesi": settings.website,
        "nace_kodu": settings.nace_code,
        "nace_aciklama": settings.nace_description,
    }
