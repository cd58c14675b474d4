"""Belge Saklama for the screens: the stored documents per product with search, one document, an import's verdicts.

Everything is read with the acting taxpayer's id: another taxpayer's document or import is as absent as a
missing one (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from app.db import get_session
from app.models import ArchivedDocument, ArchiveImport, ImportVerdict, Verdict
from app.pagination import Page, paginate

MAX_SELECTION = 1000  # documents in one zip download


@dataclass(frozen=True)
class Search:
    product: str
    ettn: str = ""
    number: str = ""
    counterparty: str = ""  # VKN/TCKN or part of the name
    start: date | None = None
    end: date | None = None

    @property
    def active(self) -> bool:
        return any((self.ettn, self.number, self.counterparty, self.start, self.end))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _searched(taxpayer_id: int, search: Search):  # type: ignore[no-untyped-def]
    query = select(ArchivedDocument).where(ArchivedDocument.taxpayer_id == taxpayer_id,
                                           ArchivedDocument.product == search.product)
    if search.ettn:
        query = query.where(ArchivedDocument.ettn == search.ettn.strip().lower())
    if search.number:
        query = query.where(ArchivedDocument.number == search.number.strip().upper())
    if search.counterparty:
        text = search.counterparty.strip()
        if text.isdigit():
            query = query.where(or_(ArchivedDocument.sender_identifier == text,
                                    ArchivedDocument.receiver_identifier == text))
        else:
            pattern = _like(text.lower())
            query = query.where(or_(func.lower(ArchivedDocument.sender_name).like(pattern, escape="\\"),
                                    func.lower(ArchivedDocument.receiver_name).like(pattern, escape="\\")))
    if search.start:
        query = query.where(ArchivedDocument.issue_date >= search.start)
    if search.end:
        query = query.where(ArchivedDocument.issue_date <= search.end)
    return query


def documents(taxpayer_id: int, search: Search, number: int) -> Page[ArchivedDocument]:
    query = _searched(taxpayer_id, search).order_by(ArchivedDocument.issue_date.desc(), ArchivedDocument.id.desc())
    return paginate(query, number)


def document_of(taxpayer_id: int, document_id: int) -> ArchivedDocument | None:
    return get_session().scalars(select(ArchivedDocument).where(ArchivedDocument.id == document_id,
                                                                ArchivedDocument.taxpayer_id == taxpayer_id)).first()


def selection(taxpayer_id: int, ids: list[int]) -> list[ArchivedDocument]:
    """The taxpayer's documents among ``ids`` (others' ids are silently not there)."""
    if not ids:
        return []
    return list(get_session().scalars(
        select(ArchivedDocument).where(ArchivedDocument.taxpayer_id == taxpayer_id,
                                       ArchivedDocument.id.in_(ids[:MAX_SELECTION])).order_by(ArchivedDocument.id)))


def counts_by_product(taxpayer_id: int) -> dict[str, int]:
    rows = get_session().execute(select(ArchivedDocument.product, func.count()).where(
        ArchivedDocument.taxpayer_id == taxpayer_id).group_by(ArchivedDocument.product))
    return {product: count for product, count in rows}


def import_of(taxpayer_id: int, import_id: int) -> ArchiveImport | None:
    return get_session().scalars(select(ArchiveImport).where(ArchiveImport.id == import_id,
                                                             ArchiveImport.taxpayer_id == taxpayer_id)
                                 .execution_options(populate_existing=True)).first()


def imports(taxpayer_id: int, limit: int = 10) -> list[ArchiveImport]:
    return list(get_session().scalars(select(ArchiveImport).where(ArchiveImport.taxpayer_id == taxpayer_id)
                                      .order_by(ArchiveImport.id.desc()).limit(limit)))


def verdicts(import_id: int, number: int, only: Verdict | None = None) -> Page[ImportVerdict]:
    """An import's verdicts in upload order (the caller has checked the import is the taxpayer's)."""
    query = select(ImportVerdict).where(ImportVerdict.import_id == import_id)
    if only is not None:
        query = query.where(ImportVerdict.verdict == only)
    return paginate(query.order_by(ImportVerdict.position), number, size=100)
