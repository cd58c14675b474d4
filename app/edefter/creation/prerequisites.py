"""Before a period is created (SPEC D6, D7): its place in the order of months, GİB's word on the previous
period's berats, the host clock against GİB's, the company settings, and the period's own state.

Each check raises ``CreationRefused`` with the message the page shows; GİB is asked with no transaction open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.db import get_session
from app.edefter.company import queries as company_queries
from app.edefter.company.company_info import company_info
from app.edefter.company.operations import EdefterRefused
from app.edefter.creation.refusals import CreationRefused
from app.edefter.sending.queries import has_approved
from app.formats.xbrl.model import CompanyInfo
from app.formats.xbrl.rules import LedgerWriteError, check_company
from app.gib.errors import GibError
from app.gib_access import check_clock, gib_client
from app.models import DefterCreation, JournalPeriod, JournalPeriodState, Taxpayer, YevmiyeVerification
from app.models.defter_file import CreationState

DONE_STATES = (JournalPeriodState.SIGNED, JournalPeriodState.SENT, JournalPeriodState.APPROVED)


@dataclass(frozen=True)
class Numbering:
    """Where the period's numbering starts and why (shown on the page)."""

    first_entry_counter: int
    first_line_number: int
    reason: str


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _label(year: int, month: int) -> str:
    return f"{month:02d}/{year}"


def check_state(period: JournalPeriod) -> None:
    if period.state is JournalPeriodState.APPROVED:
        raise CreationRefused(f"{_label(period.year, period.month)} dönemi GİB tarafından onaylanmıştır; GİB onaylı "
                              "dönem değiştirilemez: defterleri yeniden oluşturulamaz ya da imzalanamaz.")
    if has_approved(period.id):
        raise CreationRefused(f"{_label(period.year, period.month)} dönemine ait dosyalardan en az birini GİB "
                              "onayladı; GİB onaylı dönem değiştirilemez, yeniden oluşturulamaz ya da imzalanamaz. "
                              "Onaylanmayan dosyaları 'Tekrar Gönder' ile gönderiniz.")
    if period.state is JournalPeriodState.SENT:
        raise CreationRefused(f"{_label(period.year, period.month)} dönemi beratları GİB'e gönderilmiş; GİB'in "
                              "cevabı beklenirken dönem yeniden oluşturulamaz.")
    if period.entry_count == 0 and _has_no_entries(period):
        raise CreationRefused(f"{_label(period.year, period.month)} döneminde yevmiye kaydı yok; önce kayıtları "
                              "aktarınız.")


def _has_no_entries(period: JournalPeriod) -> bool:
    from app.models import JournalEntry

    return get_session().scalar(select(JournalEntry.id).where(JournalEntry.period_id == period.id).limit(1)) is None


def check_settings(taxpayer: Taxpayer, branch_code: str) -> CompanyInfo:
    """The company as the files describe it; refuses naming each missing field (SPEC D1–D3)."""
    try:
        info = company_info(taxpayer, branch_code or None)
    except EdefterRefused as refusal:
        raise CreationRefused(refusal.message) from None
    missing = [label for label, value in (
        ("Bina No", info.address.building_number), ("Cadde/Sokak", info.address.street), ("İl", info.address.city),
        ("Posta Kodu", info.address.postal_code), ("Ülke", info.address.country), ("Telefon", info.phone),
        ("E-posta", info.email), ("Web Sitesi", info.website), ("İşletme Faaliyet Konusu (NACE)", info.nace_code),
    ) if not (value or "").strip()]
    if missing:
        raise CreationRefused("Firma Ayarları eksik: " + ", ".join(missing) + ". Firma Ayarları'nı tamamlayıp kaydediniz.")
    try:
        check_company(info)
    except LedgerWriteError as error:
        raise CreationRefused(f"Firma Ayarları GİB kurallarına uymuyor: {error}") from None
    return info


def _fiscal_start(taxpayer: Taxpayer) -> date:
    settings = company_queries.settings_of(taxpayer)
    assert settings is not None  # check_settings ran first
    return settings.fiscal_year_start


def _is_fiscal_year_start(taxpayer: Taxpayer, year: int, month: int) -> bool:
    start = _fiscal_start(taxpayer)
    return start.month == month and (start.year == year or start.day == 1)


def _verification_before(taxpayer: Taxpayer, branch_code: str, year: int, month: int) -> YevmiyeVerification | None:
    previous = date(*previous_month(year, month), 1)
    rows = get_session().scalars(
        select(YevmiyeVerification).where(YevmiyeVerification.taxpayer_id == taxpayer.id,
                                          YevmiyeVerification.period_start == previous)
    ).all()
    return next((v for v in rows if (v.branch_code or "") == branch_code), None)


def _previous_creation(taxpayer: Taxpayer, branch_code: str, year: int, month: int) -> tuple[JournalPeriod | None,
                                                                                         DefterCreation | None]:
    session = get_session()
    prev_year, prev_month = previous_month(year, month)
    period = session.scalar(select(JournalPeriod).where(
        JournalPeriod.taxpayer_id == taxpayer.id, JournalPeriod.branch_code == branch_code,
        JournalPeriod.year == prev_year, JournalPeriod.month == prev_month))
    if period is None:
        return None, None
    creation = session.scalar(select(DefterCreation).where(DefterCreation.period_id == period.id))
    return period, creation


def numbering(taxpayer: Taxpayer, period: JournalPeriod) -> Numbering:
    """Where the madde and line numbers start, or a refusal when the months are not created in order."""
    year, month, branch = period.year, period.month, period.branch_code
    previous_label = _label(*previous_month(year, month))
    if _is_fiscal_year_start(taxpayer, year, month):
        return Numbering(1, 1, "Hesap döneminin ilk ayı: numaralandırma 1'den başlar.")
    prev_period, creation = _previous_creation(taxpayer, branch, year, month)
    if (prev_period is not None and prev_period.state in DONE_STATES and creation is not None
            and creation.state is CreationState.SIGNED and creation.last_entry_counter is not None):
        return Numbering(creation.last_entry_counter + 1, (creation.last_line_number or 0) + 1,
                         f"{previous_label} döneminin son yevmiye maddesi {creation.last_entry_counter}.")
    verification = _verification_before(taxpayer, branch, year, month)
    if verification is not None:
        last_line = int(verification.last_line_number) if (verification.last_line_number or "").isdigit() else 0
        return Numbering(verification.last_entry_counter + 1, last_line + 1,
                         f"Yevmiye Numarası Doğrulama: {previous_label} döneminin son yevmiye maddesi "
                         f"{verification.last_entry_counter}.")
    raise CreationRefused(f"Dönemler sırayla oluşturulur: {previous_label} dönemi oluşturulup imzalanmadan "
                          f"{_label(year, month)} dönemi oluşturulamaz. Önceki entegratörden geliyorsanız son imzalı "
                          "yevmiye dosyanızı Yevmiye Numarası Doğrulama ekranından yükleyiniz.")


def check_gib(taxpayer: Taxpayer, period: JournalPeriod) -> None:
    """GİB: the host clock (D7) and, unless the period opens the fiscal year or continues a verified file, the
    previous period's berats (D6). Called with no transaction open."""
    client = gib_client()
    try:
        clock = check_clock(client)
        if not clock.ok:
            raise CreationRefused(clock.message)
        if _is_fiscal_year_start(taxpayer, period.year, period.month):
            return
        if _verification_before(taxpayer, period.branch_code, period.year, period.month) is not None:
            return
        prev_year, prev_month = previous_month(period.year, period.month)
        status = client.period_berats(taxpayer.identifier, f"{prev_year:04d}-{prev_month:02d}")
    except GibError as error:
        raise CreationRefused(error.message) from None
    finally:
        client.close()
    if not status.complete:
        missing = [name for name, sent in (("yevmiye", status.yevmiye_sent), ("kebir", status.kebir_sent)) if not sent]
        raise CreationRefused(f"GİB'e göre {_label(prev_year, prev_month)} dönemine ait {' ve '.join(missing)} "
                              f"beratları gönderilmemiş; önceki dönemin beratları GİB'e gönderilip onaylanmadan "
                              f"{_label(period.year, period.month)} dönemi oluşturulamaz.")
