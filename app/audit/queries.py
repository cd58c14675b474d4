"""İşlem Geçmişi: one taxpayer's audit entries, newest first, filtered by date and kind of act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.audit.labels import action_label
from app.audit.verify import ChainBreak, verify_chains
from app.db import get_session
from app.formatting import ISTANBUL
from app.models import AuditEvent, Taxpayer
from app.models.audit import chain_key
from app.pagination import Page, paginate


@dataclass(frozen=True)
class HistoryFilter:
    start: date | None = None
    end: date | None = None
    action: str | None = None


def history(taxpayer: Taxpayer, wanted: HistoryFilter, page: int, size: int = 25) -> Page[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.taxpayer_id == taxpayer.id)
    if wanted.start is not None:
        query = query.where(AuditEvent.created_at >= datetime.combine(wanted.start, time.min, ISTANBUL))
    if wanted.end is not None:
        query = query.where(AuditEvent.created_at < datetime.combine(wanted.end + timedelta(days=1), time.min, ISTANBUL))
    if wanted.action:
        query = query.where(AuditEvent.action == wanted.action)
    return paginate(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()), page, size)


def action_choices(taxpayer: Taxpayer) -> list[tuple[str, str]]:
    """The kinds of act this taxpayer has in its history, as (value, label) for the filter."""
    actions = get_session().scalars(
        select(AuditEvent.action).where(AuditEvent.taxpayer_id == taxpayer.id).distinct()
    ).all()
    return sorted(((a, action_label(a)) for a in actions), key=lambda choice: choice[1])


def check_own_chain(taxpayer: Taxpayer) -> ChainBreak | None:
    """The first break in this taxpayer's chain, or None when every entry is as it was written."""
    _count, breaks = verify_chains(get_session(), chain_key(taxpayer.id))
    return breaks[0] if breaks else None
