"""What the e-Defter Arşivi pages read: entries by year, period, kind and branch (paged), uploads and their
verdicts, the own approved periods not yet archived. Every query is scoped to one taxpayer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sqlalchemy import func, select

from app.db import get_session
from app.models import JournalPeriod, JournalPeriodState
from app.models.edefter_archive import (
    ArchiveKind,
    ArchiveVerdict,
    EdefterArchiveEntry,
    EdefterArchivePeriod,
    EdefterArchiveUpload,
    EdefterArchiveVerdict,
    PeriodKeeping,
)
from app.pagination import Page, paginate


@dataclass(frozen=True)
class Search:
    year: int | None = None
    month: int | None = None
    kind: ArchiveKind | None = None
    branch: str | None = None  # "" unbranched, None any

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.year, self.month, self.kind, self.branch))


def search_from(args: Mapping[str, str]) -> tuple[Search, str | None]:
    """The list's filter from the query string; a bad value is dropped with a Turkish note."""
    error = None
    year = month = None
    text = (args.get("yil") or "").strip()
    if text:
        if text.isdigit() and 1900 <= int(text) <= 2999:
            year = int(text)
        else:
            error = "Yıl dört haneli bir sayı olmalıdır."
    text = (args.get("ay") or "").strip()
    if text:
        if text.isdigit() and 1 <= int(text) <= 12:
            month = int(text)
        else:
            error = "Ay 1 ile 12 arasında olmalıdır."
    kind = next((k for k in ArchiveKind if k.value == args.get("tur")), None)
    branch_text = args.get("sube")
    branch = None
    if branch_text is not None and branch_text != "*":
        branch = branch_text.strip()[:4]
        if branch and not branch.isdigit():
            branch, error = None, "Şube kodu dört haneli bir sayı olmalıdır."
    return Search(year, month, kind, branch), error


def entries(taxpayer_id: int, search: Search, number: int = 1) -> Page[EdefterArchiveEntry]:
    query = select(EdefterArchiveEntry).where(EdefterArchiveEntry.taxpayer_id == taxpayer_id)
    if search.year is not None:
        query = query.where(EdefterArchiveEntry.year == search.year)
    if search.month is not None:
        query = query.where(EdefterArchiveEntry.month == search.month)
    if search.kind is not None:
        query = query.where(EdefterArchiveEntry.kind == search.kind)
    if search.branch is not None:
        query = query.where(EdefterArchiveEntry.branch_code == search.branch)
    query = query.order_by(EdefterArchiveEntry.year.desc(), EdefterArchiveEntry.month.desc(),
                           EdefterArchiveEntry.branch_code, EdefterArchiveEntry.kind, EdefterArchiveEntry.part,
                           EdefterArchiveEntry.id)
    return paginate(query, number)


def years(taxpayer_id: int) -> list[int]:
    return list(get_session().scalars(select(EdefterArchiveEntry.year).where(EdefterArchiveEntry.taxpayer_id == taxpayer_id)
                                      .distinct().order_by(EdefterArchiveEntry.year.desc())))


def entry_of(taxpayer_id: int, entry_id: int) -> EdefterArchiveEntry | None:
    return get_session().scalars(select(EdefterArchiveEntry).where(EdefterArchiveEntry.id == entry_id,
                                                                   EdefterArchiveEntry.taxpayer_id == taxpayer_id)).first()


def period_entries(taxpayer_id: int, year: int, month: int, branch: str) -> list[EdefterArchiveEntry]:
    return list(get_session().scalars(
        select(EdefterArchiveEntry).where(EdefterArchiveEntry.taxpayer_id == taxpayer_id,
                                          EdefterArchiveEntry.year == year, EdefterArchiveEntry.month == month,
                                          EdefterArchiveEntry.branch_code == branch)
        .order_by(EdefterArchiveEntry.kind, EdefterArchiveEntry.part, EdefterArchiveEntry.id)))


def uploads(taxpayer_id: int, limit: int = 10) -> list[EdefterArchiveUpload]:
    return list(get_session().scalars(select(EdefterArchiveUpload).where(EdefterArchiveUpload.taxpayer_id == taxpayer_id)
                                      .order_by(EdefterArchiveUpload.id.desc()).limit(limit)))


def upload_of(taxpayer_id: int, upload_id: int) -> EdefterArchiveUpload | None:
    return get_session().scalars(select(EdefterArchiveUpload).where(EdefterArchiveUpload.id == upload_id,
                                                                    EdefterArchiveUpload.taxpayer_id == taxpayer_id)).first()


def verdicts(upload_id: int, number: int = 1, only: ArchiveVerdict | None = None) -> Page[EdefterArchiveVerdict]:
    query = select(EdefterArchiveVerdict).where(EdefterArchiveVerdict.upload_id == upload_id)
    if only is not None:
        query = query.where(EdefterArchiveVerdict.verdict == only)
    return paginate(query.order_by(EdefterArchiveVerdict.position), number, size=100)


@dataclass(frozen=True)
class WaitingPeriod:
    period: JournalPeriod
    keeping: EdefterArchivePeriod | None

    @property
    def reason(self) -> str:
        return self.keeping.reason if self.keeping is not None else "Dönem henüz arşive alınmadı."


def periods_not_archived(taxpayer_id: int) -> list[WaitingPeriod]:
    """The taxpayer's GİB-approved periods that are not (yet) in the archive, with the reason."""
    rows = get_session().execute(
        select(JournalPeriod, EdefterArchivePeriod)
        .outerjoin(EdefterArchivePeriod, EdefterArchivePeriod.period_id == JournalPeriod.id)
        .where(JournalPeriod.taxpayer_id == taxpayer_id, JournalPeriod.state == JournalPeriodState.APPROVED,
               (EdefterArchivePeriod.id.is_(None)) | (EdefterArchivePeriod.state == PeriodKeeping.BEKLIYOR))
        .order_by(JournalPeriod.year.desc(), JournalPeriod.month.desc(), JournalPeriod.branch_code)).all()
    return [WaitingPeriod(period, keeping) for period, keeping in rows]


def totals(taxpayer_id: int) -> tuple[int, int]:
    """(entries, bytes) in the archive."""
    count, size = get_session().execute(
        select(func.count(EdefterArchiveEntry.id), func.coalesce(func.sum(EdefterArchiveEntry.size), 0))
        .where(EdefterArchiveEntry.taxpayer_id == taxpayer_id)).one()
    return int(count), int(size)


def seedable(entry: EdefterArchiveEntry) -> bool:
    """An archived yevmiye whose signature was verified (every entry's was) can set the numbering."""
    return entry.kind is ArchiveKind.YEVMIYE and entry.last_entry_counter is not None
