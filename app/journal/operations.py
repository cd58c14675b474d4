"""Changes to a period's entries other than taking a batch: deleting them while the period is still open."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from app.db import utcnow
from app.journal.periods import find_period, locked_period, period_name, refuse_unless_open
from app.journal.problems import JournalRefused, PeriodNotFound
from app.journal.rules import PeriodBounds
from app.models import JournalBatch, JournalEntry, JournalLine, JournalPeriod
from app.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Deleted:
    entries: int
    lines: int


def delete_entries(taxpayer_id: int, bounds: PeriodBounds, batch_id: int | None = None,
                   actor: str | None = None) -> Deleted:
    """Delete the period's entries (all of them, or one batch's) while no e-Defter has been created from them."""
    found = find_period(taxpayer_id, bounds)
    if found is None:
        raise PeriodNotFound(f"{period_name(bounds)} dönemine ait kayıt yok.")
    with unit_of_work() as work:
        session = work.session
        period = locked_period(session, found.id)
        refuse_unless_open(period)
        batches = select(JournalBatch.id).where(JournalBatch.period_id == period.id)
        if batch_id is not None:
            batches = batches.where(JournalBatch.id == batch_id)
            if session.scalar(batches) is None:
                raise JournalRefused("Gönderim bulunamadı.", status=404)
        entries = select(JournalEntry.id).where(JournalEntry.period_id == period.id,
                                                JournalEntry.batch_id.in_(batches))
        lines = session.scalar(select(func.count()).select_from(JournalLine)
                               .where(JournalLine.entry_id.in_(entries))) or 0
        session.execute(delete(JournalLine).where(JournalLine.period_id == period.id,
                                                  JournalLine.entry_id.in_(entries))
                        .execution_options(synchronize_session=False))
        removed = session.execute(delete(JournalEntry).where(JournalEntry.period_id == period.id,
                                                             JournalEntry.batch_id.in_(batches))
                                  .execution_options(synchronize_session=False)).rowcount or 0
        gone = delete(JournalBatch).where(JournalBatch.period_id == period.id)
        if batch_id is not None:
            gone = gone.where(JournalBatch.id == batch_id)
        session.execute(gone.execution_options(synchronize_session=False))
        session.execute(update(JournalPeriod).where(JournalPeriod.id == period.id).values(
            entry_count=JournalPeriod.entry_count - removed, line_count=JournalPeriod.line_count - lines,
            updated_at=utcnow()).execution_options(synchronize_session=False))
        work.record("yevmiye_kayitlari_silindi", taxpayer_id=taxpayer_id, actor=actor,
                    object_type="yevmiye_donemi", object_id=period.id, donem=period_name(bounds),
                    gonderim=batch_id, madde=removed, satir=lines)
    return Deleted(removed, lines)
