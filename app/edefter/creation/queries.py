"""What the Defter Oluştur pages read: a taxpayer's journal periods, a creation's files, where numbering starts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db import get_session
from app.edefter.creation import prerequisites
from app.edefter.creation.refusals import CreationRefused
from app.models import DefterCreation, DefterFile, DefterFileKind, Job, JournalPeriod, Taxpayer

# Yevmiye parts, kebir parts, their berats, then the DR: the order GİB's lists and the seed's screens use.
KIND_ORDER = [DefterFileKind.YEVMIYE, DefterFileKind.KEBIR, DefterFileKind.YEVMIYE_BERAT, DefterFileKind.KEBIR_BERAT,
              DefterFileKind.DEFTER_RAPORU]


def periods_of(taxpayer: Taxpayer) -> list[JournalPeriod]:
    return list(get_session().scalars(
        select(JournalPeriod).where(JournalPeriod.taxpayer_id == taxpayer.id)
        .order_by(JournalPeriod.year.desc(), JournalPeriod.month.desc(), JournalPeriod.branch_code)))


def files_of(creation: DefterCreation | None) -> list[DefterFile]:
    if creation is None:
        return []
    rows = get_session().scalars(select(DefterFile).where(DefterFile.creation_id == creation.id))
    return sorted(rows, key=lambda row: (KIND_ORDER.index(row.kind), row.part_index))


def file_of(taxpayer: Taxpayer, period: JournalPeriod, file_id: int) -> DefterFile | None:
    row = get_session().get(DefterFile, file_id)
    if row is None or row.taxpayer_id != taxpayer.id:
        return None
    creation = get_session().get(DefterCreation, row.creation_id)
    return row if creation is not None and creation.period_id == period.id else None


def job_of(creation: DefterCreation | None) -> Job | None:
    return get_session().get(Job, creation.job_id) if creation is not None and creation.job_id else None


@dataclass(frozen=True)
class Readiness:
    """The prerequisites the portal can judge without GİB (GİB is asked when "Oluştur" is pressed)."""

    ok: bool
    message: str


def readiness(taxpayer: Taxpayer, period: JournalPeriod) -> Readiness:
    try:
        prerequisites.check_state(period)
        prerequisites.check_settings(taxpayer, period.branch_code)
        numbering = prerequisites.numbering(taxpayer, period)
    except CreationRefused as refusal:
        return Readiness(False, refusal.message)
    return Readiness(True, f"{numbering.reason} İlk madde no {numbering.first_entry_counter}, ilk satır no "
                           f"{numbering.first_line_number}.")
