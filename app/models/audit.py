"""Audit trail: who did what, when, with which certificate, and how it ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_taxpayer_created", "taxpayer_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int | None] = mapped_column(ForeignKey("taxpayer.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(64))
    certificate_serial: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(20), default="ok")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def record(
    session: Session,
    action: str,
    *,
    taxpayer_id: int | None,
    object_type: str | None = None,
    object_id: object = None,
    certificate_serial: str | None = None,
    result: str = "ok",
    **details: Any,
) -> AuditEvent:
    """Add an audit row to the caller's transaction (it commits or rolls back with the act)."""
    event = AuditEvent(
        taxpayer_id=taxpayer_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        certificate_serial=certificate_serial,
        result=result,
        details=details,
    )
    session.add(event)
    return event
