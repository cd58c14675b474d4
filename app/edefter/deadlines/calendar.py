"""The deadlines of a taxpayer's periods from its settings, and the calendar data administrators enter."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.db import get_session
from app.edefter.deadlines.rules import Deadline, Extension, berat_deadline
from app.models import (
    BeratPeriod,
    DeadlineExtension,
    EdefterSettings,
    ExtensionScope,
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
