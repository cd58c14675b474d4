"""A taxpayer's journal periods: named as YYYY-MM, found or opened, locked while a batch changes them."""

from __future__ import annotations

import re
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from app.db import get_session
from app.journal.problems import JournalRefused, PeriodNotFound
from app.journal.rules import PeriodBounds
from app.models import CreationState, DefterCreation, JournalBatch, JournalPeriod, JournalPeriodState
from app.unit_of_work import unit_of_work

_PERIOD: Final = re.compile(r"([0-9]{4})-([0-9]{2})")
FIRST_YEAR: Final = 2000  # e-Defter began in 2011; nothing earlier is a period anyone files


def parse_period(text: object) -> PeriodBounds:
    """'2026-11' → the month; anything else is refused in Turkish."""
    match = _PERIOD.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None or not 1 <= int(match[2]) <= 12 or not FIRST_YEAR <= int(match[1]) <= 2999:
        shown = text[:20] if isinstance(text, str) else ""
        raise JournalRefused(f"Dönem '{shown}' anlaşılamadı; YYYY-AA biçiminde yazınız (ör. 2026-11).", status=404)
    return PeriodBounds(int(match[1]), int(match[2]))


def period_name(period: JournalPeriod | PeriodBounds) -> str:
    return f"{period.year}-{period.month:02d}"


def find_period(taxpayer_id: int, bounds: PeriodBounds, session: Session | None = None) -> JournalPeriod | None:
    return (session or get_session()).scalars(
        select(JournalPeriod).where(JournalPeriod.taxpayer_id == taxpayer_id, JournalPeriod.branch_code == "",
                                    JournalPeriod.year == bounds.year, JournalPeriod.month == bounds.month)
        .execution_options(populate_existing=True)  # its state and counts as they are now, not as first loaded
    ).one_or_none()


def ensure_period(taxpayer_id: int, bounds: PeriodBounds) -> int:
    """The period's id, opening it (state OPEN) on first use; a concurrent opening of the same month is fine."""
    existing = find_period(taxpayer_id, bounds)
    if existing is not None:
        return existing.id
    try:
        with unit_of_work() as work:
            period = JournalPeriod(taxpayer_id=taxpayer_id, branch_code="", year=bounds.year, month=bounds.month,
                                   state=JournalPeriodState.OPEN, entry_count=0, line_count=0)
            work.session.add(period)
            work.session.flush()
            return period.id
    except IntegrityError:
        found = find_period(taxpayer_id, bounds)
        if found is None:
            raise
        return found.id


def drop_if_unused(period_id: int) -> None:
    """Remove a period that a refused batch opened and nothing else used (no batch, no creation), so a refusal
    leaves no empty month behind on the lists."""
    with unit_of_work() as work:
        period = work.session.scalars(select(JournalPeriod).where(JournalPeriod.id == period_id).with_for_update()
                                      .execution_options(populate_existing=True)).one_or_none()
        if period is None or period.state is not JournalPeriodState.OPEN or period.entry_count:
            return
        used = work.session.scalar(select(JournalBatch.id).where(JournalBatch.period_id == period_id).limit(1))
        created = work.session.scalar(select(DefterCreation.id).where(DefterCreation.period_id == period_id))
        if used is None and created is None:
            work.session.delete(period)


def locked_period(session: Session, period_id: int) -> JournalPeriod:
    """The period row, locked until the unit ends (PostgreSQL; SQLite's unit holds the write lock already)."""
    period = session.scalars(
        select(JournalPeriod).where(JournalPeriod.id == period_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if period is None:
        raise PeriodNotFound("Dönem bulunamadı.")
    return period


def refuse_unless_open(period: JournalPeriod) -> None:
    if period.state is not JournalPeriodState.OPEN:
        raise JournalRefused(
            f"{period_name(period)} dönemi için e-Defter oluşturulmuş (durum: {period.state.label}); bu döneme kayıt "
            "eklenemez ya da silinemez.", status=409)
    # A creation job reads the entries while the period is still OPEN: nothing may change under it. Its start
    # locks the period row as intake does, so one of the two waits for the other.
    session = object_session(period)
    if session is not None and session.scalar(select(DefterCreation.id).where(
            DefterCreation.period_id == period.id, DefterCreation.state == CreationState.PREPARING)) is not None:
        raise JournalRefused(
            f"{period_name(period)} dönemi için e-Defter şu anda oluşturuluyor; bu döneme kayıt eklenemez ya da "
            "silinemez. Oluşturma bittikten sonra (hata alırsa) yeniden deneyiniz.", status=409)
