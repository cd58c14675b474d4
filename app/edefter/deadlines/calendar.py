"""The deadlines of a taxpayer's periods from its settings, and the calendar data administrators enter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.edefter.deadlines.book import load_book
from app.edefter.deadlines.periods import (
    all_months_in,
    berat_period_label,
    ended_berat_periods,
    is_quarterly,
    ledgers_of,
    months_in_states,
    settings_of,
)
from app.edefter.deadlines.rules import Deadline
from app.models import (
    DeadlineExtension,
    ExtensionScope,
    JournalPeriodState,
    PublicHoliday,
    Taxpayer,
    TaxpayerKind,
)
from app.refusals import Refused
from app.unit_of_work import current_actor, unit_of_work


class CalendarRefused(Refused):
    pass


def scope_of(taxpayer: Taxpayer) -> ExtensionScope:
    # A VKN holder pays kurumlar vergisi, a TCKN holder gelir vergisi (partnerships with a VKN are the exception
    # the settings do not know of; GİB's extensions rarely split them).
    return ExtensionScope.CORPORATE if taxpayer.kind is TaxpayerKind.TUZEL else ExtensionScope.PERSON


def deadline_of(taxpayer: Taxpayer, year: int, month: int) -> Deadline:
    """The deadline of the taxpayer's period holding (year, month): monthly or quarterly as its settings say."""
    settings = settings_of([taxpayer.id]).get(taxpayer.id)
    start = date(year, month, 1)
    return load_book(start, start).deadline(year, month, quarterly=settings is not None and is_quarterly(settings),
                                            scope=scope_of(taxpayer))


def add_holiday(day: date, name: str) -> PublicHoliday:
    name = " ".join(name.split())
    if not name or len(name) > 120:
        raise CalendarRefused("Tatilin adını yazınız (en çok 120 karakter), örneğin \"Ramazan Bayramı 1. gün\".")
    with unit_of_work() as work:
        if work.session.get(PublicHoliday, day) is not None:
            raise CalendarRefused(f"{day.strftime('%d.%m.%Y')} zaten tatil olarak kayıtlı.")
        holiday = PublicHoliday(day=day, name=name)
        work.session.add(holiday)
        work.record("resmi_tatil_eklendi", taxpayer_id=None, object_type="takvim", object_id=day.isoformat(), ad=name)
    return holiday


def add_extension(period_year: int, period_month: int, scope: ExtensionScope, new_deadline: date,
                  announcement: str) -> DeadlineExtension:
    announcement = " ".join(announcement.split())
    if not announcement or len(announcement) > 200:
        raise CalendarRefused("Süre uzatımının dayandığı GİB duyurusunu yazınız (en çok 200 karakter).")
    if not 1 <= period_month <= 12:
        raise CalendarRefused("Dönem ayı 1 ile 12 arasında olmalıdır.")
    if new_deadline <= date(period_year, period_month, 1):
        raise CalendarRefused("Yeni süre, dönemin başlangıcından sonra olmalıdır.")
    with unit_of_work() as work:
        taken = work.session.scalar(select(DeadlineExtension).where(
            DeadlineExtension.period_year == period_year, DeadlineExtension.period_month == period_month,
            DeadlineExtension.scope == scope))
        if taken is not None:
            raise CalendarRefused(f"{period_year}/{period_month:02d} dönemi için {scope.label.lower()} kapsamında bir "
                                  f"süre uzatımı zaten kayıtlı ({taken.new_deadline.strftime('%d.%m.%Y')}).")
        extension = DeadlineExtension(period_year=period_year, period_month=period_month, scope=scope,
                                      new_deadline=new_deadline, announcement=announcement,
                                      entered_by=current_actor())
        work.session.add(extension)
        work.session.flush()
        work.record("berat_suresi_uzatildi", taxpayer_id=None, object_type="takvim",
                    object_id=f"{period_year}-{period_month:02d}", kapsam=scope.label,
                    yeni_sure=new_deadline.isoformat(), duyuru=announcement)
    return extension


@dataclass(frozen=True)
class DueBerat:
    """The period whose berats a taxpayer must send next (or should have sent), with its deadline."""

    year: int
    month: int  # the period's last month
    deadline: Deadline

    @property
    def label(self) -> str:
        return berat_period_label(self.year, self.month, self.deadline.period_start.month != self.month)

    def days_left(self, today: date) -> int:
        return self.deadline.days_left(today)


def nearest_berats(taxpayers: list[Taxpayer], today: date) -> dict[int, DueBerat]:
    """For each taxpayer on e-Defter: its oldest period past its deadline and not sent (every month of every
    ledger, the branches' too), else the next one due; deadlines from the same calendar as Defter Dönemleri.

    A fixed number of queries whatever the number of taxpayers (the office home shows one row per client)."""
    if not taxpayers:
        return {}
    ids = [taxpayer.id for taxpayer in taxpayers]
    settings = settings_of(ids)
    ledgers = ledgers_of(ids)
    sent = months_in_states(ids, today.year - 2, (JournalPeriodState.SENT, JournalPeriodState.APPROVED))
    book = load_book(date(today.year - 2, 1, 1), today)
    found: dict[int, DueBerat] = {}
    for taxpayer in taxpayers:
        own = settings.get(taxpayer.id)
        if own is None:
            continue
        quarterly = is_quarterly(own)
        due = [DueBerat(year, month, book.deadline(year, month, quarterly=quarterly, scope=scope_of(taxpayer)))
               for year, month in ended_berat_periods(own.first_use_date, quarterly, today)
               if not all_months_in(taxpayer.id, ledgers[taxpayer.id], year, month, quarterly, sent)]
        overdue = [item for item in due if item.deadline.due < today]
        upcoming = [item for item in due if item.deadline.due >= today]
        if overdue:
            found[taxpayer.id] = min(overdue, key=lambda item: item.deadline.due)
        elif upcoming:
            found[taxpayer.id] = min(upcoming, key=lambda item: item.deadline.due)
    return found
