"""Appending to a chain: each entry's hash covers its fields and the previous entry's hash.

The chain's head row is locked while an entry is appended (FOR UPDATE on PostgreSQL; SQLite's write
transaction holds the database lock), so two acts of the same taxpayer never fork its chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models.audit import AuditChain, AuditEvent, chain_key

GENESIS_HASH = "0" * 64


def entry_hash(event: AuditEvent) -> str:
    """sha256 over the entry's canonical JSON form, which names its chain position and predecessor."""
    created = event.created_at.astimezone(timezone.utc).isoformat(timespec="microseconds")
    fields = {
        "chain": event.chain,
        "seq": event.seq,
        "prev": event.prev_hash,
        "taxpayer_id": event.taxpayer_id,
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "certificate_serial": event.certificate_serial,
        "result": event.result,
        "details": event.details,
        "created_at": created,
    }
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _locked_head(session: Session, key: str) -> AuditChain:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(AuditChain).values(key=key, length=0, head_hash=GENESIS_HASH).on_conflict_do_nothing())
    return session.scalars(
        select(AuditChain).where(AuditChain.key == key).with_for_update().execution_options(populate_existing=True)
    ).one()


def append(
    session: Session,
    action: str,
    *,
    taxpayer_id: int | None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: object = None,
    certificate_serial: str | None = None,
    result: str = "ok",
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add the next entry of the taxpayer's chain to the caller's (write) transaction."""
    head = _locked_head(session, chain_key(taxpayer_id))
    event = AuditEvent(
        taxpayer_id=taxpayer_id,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        certificate_serial=certificate_serial,
        result=result,
        # JSON round trip now, so the hash covers exactly what the database will give back.
        details=json.loads(json.dumps(details or {}, default=str)),
        created_at=at or utcnow(),
        chain=head.key,
        seq=head.length + 1,
        prev_hash=head.head_hash,
    )
    event.entry_hash = entry_hash(event)
    head.length = event.seq
    head.head_hash = event.entry_hash
    session.add(event)
    session.flush()
    return event
