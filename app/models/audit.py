"""Audit trail rows: who did what, when, with which certificate, and how it ended.

Each taxpayer's entries form a hash chain (``app.audit``); ``AuditChain`` keeps each chain's length and
last hash, so that removing the newest entries is detected as well as changing or removing older ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow

SYSTEM_CHAIN = "sistem"


def chain_key(taxpayer_id: int | None) -> str:
    """The chain an entry belongs to: its taxpayer's, or the system's for acts of no taxpayer."""
    return SYSTEM_CHAIN if taxpayer_id is None else f"mukellef:{taxpayer_id}"


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_taxpayer_created", "taxpayer_id", "created_at"),
        UniqueConstraint("chain", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int | None] = mapped_column(ForeignKey("taxpayer.id", ondelete="SET NULL"))
    actor: Mapped[str | None] = mapped_column(String(120))  # the person or process that acted
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(64))
    certificate_serial: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(20), default="ok")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    chain: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int]
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditChain(Base):
    """The head of one chain: how many entries it has and the hash of the newest."""

    __tablename__ = "audit_chain"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    length: Mapped[int] = mapped_column(default=0)
    head_hash: Mapped[str] = mapped_column(String(64))
