"""The deadlines of a taxpayer's periods from its settings, and the calendar data administrators enter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.db import get_session
from app.edefter.deadlines.rules import Deadline, Extension, berat_deadline
from app.models import (
    BeratPeriod,
    DeadlineExtension,
    EdefterSettings,
    ExtensionScope,
    JournalPeriod,
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


def _holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    rows = get_session().execute(
        select(PublicHoliday.day, PublicHoliday.name).where(PublicHoliday.day.between(start, end))
    )
    return [(day, name) for day, name in rows]


def _extension(year: int, month: int, scope: ExtensionScope) -> Extension | None:
    rows = get_session().scalars(
        select(DeadlineExtension).where(DeadlineExtension.period_year == year, DeadlineExtension.period_month == month,
                                        DeadlineExtension.scope.in_((ExtensionScope.ALL, scope)))
        .order_by(DeadlineExtension.new_deadline.desc())
    ).first()
    return Extension(rows.new_deadline, rows.announcement) if rows is not None else None


def deadline_of(taxpayer: Taxpayer, year: int, month: int) -> Deadline:
    """The deadline of the taxpayer's period holding (year, month): monthly or quarterly as its settings say."""
    settings = get_session().scalar(select(EdefterSettings).where(EdefterSettings.taxpayer_id == taxpayer.id))
    quarterly = settings is not None and settings.berat_period is BeratPeriod.UC_AYLIK
    corporate = scope_of(taxpayer) is ExtensionScope.CORPORATE
    plain = berat_deadline(year, month, quarterly=quarterly, corporate=corporate)
    extension = _extension(plain.period_end.year, plain.period_end.month, scope_of(taxpayer))
    window_end = max(plain.legal_date, extension.new_deadline if extension else plain.legal_date) + timedelta(days=60)
    return berat_deadline(year, month, quarterly=quarterly, corporate=corporate,
                          holidays=_holidays_between(plain.legal_date, window_end), extension=extension)


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
        start = self.deadline.period_start
        if start.month == self.month:
            return f"{self.month:02d}/{self.year}"
        return f"{start.month:02d}–{self.month:02d}/{self.year}"

    def days_left(self, today: date) -> int:
        return self.deadline.days_left(today)


def _candidate_periods(first_use: date, quarterly: bool, today: date) -> list[tuple[int, int]]:
    """(year, last month) of the periods that ended before today, from the e-Defter start, at most a year back."""
    found = []
    year, month = today.year, today.month
    for _ in range(13):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        if date(year, month, 1) < date(first_use.year, first_use.month, 1):
            break
        if not quarterly or month % 3 == 0:
            found.append((year, month))
    return found


def nearest_berats(taxpayers: list[Taxpayer], today: date) -> dict[int, DueBerat]:
    """For each taxpayer on e-Defter: its oldest period past its deadline and not sent, else the next one due.

    A fixed number of queries whatever the number of taxpayers (the office home shows one row per client)."""
    if not taxpayers:
        return {}
    session = get_session()
    ids = [taxpayer.id for taxpayer in taxpayers]
    settings = {row.taxpayer_id: row for row in session.scalars(
        select(EdefterSettings).where(EdefterSettings.taxpayer_id.in_(ids)))}
    sent = {(taxpayer_id, year, month) for taxpayer_id, year, month in session.execute(
        select(JournalPeriod.taxpayer_id, JournalPeriod.year, JournalPeriod.month)
        .where(JournalPeriod.taxpayer_id.in_(ids), JournalPeriod.branch_code == "",
               JournalPeriod.state.in_((JournalPeriodState.SENT, JournalPeriodState.APPROVED))))}
    holidays = _holidays_between(today - timedelta(days=400), today + timedelta(days=400))
    extensions: dict[tuple[int, int, ExtensionScope], Extension] = {
        (row.period_year, row.period_month, row.scope): Extension(row.new_deadline, row.announcement)
        for row in session.scalars(select(DeadlineExtension).where(
            DeadlineExtension.period_year >= today.year - 2))
    }
    found: dict[int, DueBerat] = {}
    for taxpayer in taxpayers:
        own = settings.get(taxpayer.id)
        if own is None:
            continue
        quarterly = own.berat_period is BeratPeriod.UC_AYLIK
        scope = scope_of(taxpayer)
        due = []
        for year, month in _candidate_periods(own.first_use_date, quarterly, today):
            quarter_months = {(year, m) for m in range(month - 2, month + 1)} if quarterly else {(year, month)}
            if all((taxpayer.id, y, m) in sent for y, m in quarter_months):
                continue
            extension = extensions.get((year, month, scope)) or extensions.get((year, month, ExtensionScope.ALL))
            deadline = berat_deadline(year, month, quarterly=quarterly, corporate=scope is ExtensionScope.CORPORATE,
                                      holidays=holidays, extension=extension)
            due.append(DueBerat(year, month, deadline))
        overdue = [item for item in due if item.deadline.due < today]
        upcoming = [item for item in due if item.deadline.due >= today]
        if overdue:
            found[taxpayer.id] = min(overdue, key=lambda item: item.deadline.due)
        elif upcoming:
            found[taxpayer.id] = min(upcoming, key=lambda item: item.deadline.due)
    return found
