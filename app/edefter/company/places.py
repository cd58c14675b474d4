"""Türkiye's 81 provinces in plate-code order: a Turkish postal code starts with its province's plate code."""

from __future__ import annotations

import re

TURKIYE = "Türkiye"

PROVINCES: tuple[str, ...] = (
    "Adana", "Adıyaman", "Afyonkarahisar", "Ağrı", "Amasya", "Ankara", "Antalya", "Artvin", "Aydın",
    "Balıkesir", "Bilecik", "Bingöl", "Bitlis", "Bolu", "Burdur", "Bursa", "Çanakkale", "Çankırı", "Çorum",
    "Denizli", "Diyarbakır", "Edirne", "Elazığ", "Erzincan", "Erzurum", "Eskişehir", "Gaziantep", "Giresun",
    "Gümüşhane", "Hakkari", "Hatay", "Isparta", "Mersin", "İstanbul", "İzmir", "Kars", "Kastamonu", "Kayseri",
    "Kırklareli", "Kırşehir", "Kocaeli", "Konya", "Kütahya", "Malatya", "Manisa", "Kahramanmaraş", "Mardin",
    "Muğla", "Muş", "Nevşehir", "Niğde", "Ordu", "Rize", "Sakarya", "Samsun", "Siirt", "Sinop", "Sivas",
    "Tekirdağ", "Tokat", "Trabzon", "Tunceli", "Şanlıurfa", "Uşak", "Van", "Yozgat", "Zonguldak", "Aksaray",
    "Bayburt", "Karaman", "Kırıkkale", "Batman", "Şırnak", "Bartın", "Ardahan", "Iğdır", "Yalova", "Karabük",
    "Kilis", "Osmaniye", "Düzce",
)

_POSTAL_CODE = re.compile(r"^\d{5}$")


def turkish_fold(text: str) -> str:
    """Case-insensitive key that knows İ/i and I/ı (str.casefold does not)."""
    return text.strip().replace("İ", "i").replace("I", "ı").lower()


_BY_KEY = {turkish_fold(name): (plate, name) for plate, name in enumerate(PROVINCES, start=1)}


def province(text: str) -> tuple[int, str] | None:
    """(plate code, proper spelling) of a province typed in any case, None when there is no such province."""
    return _BY_KEY.get(turkish_fold(text))


def is_turkiye(country: str) -> bool:
    return turkish_fold(country) in {"türkiye", "turkiye", "turkey", "tr"}


def postal_code_problem(postal_code: str, plate: int) -> str | None:
    """Why a Turkish postal code does not fit its province, or None when it does."""
    if not _POSTAL_CODE.match(postal_code):
        return "Posta kodu 5 haneli bir sayı olmalıdır (örnek: 35210)."
    if int(postal_code[:2]) != plate:
        return (
            f"Posta kodu ilin plaka koduyla başlamalıdır: {PROVINCES[plate - 1]} için {plate:02d} ile başlayan "
            "bir posta kodu yazınız."
        )
    return None
