"""audit entries form a hash chain per taxpayer

Revision ID: a7c01d9e5b21
Revises: 944142d30533
Create Date: 2026-12-02 05:45:00+00:00

Entries written before this revision are chained in the order they were written (created_at, id).
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c01d9e5b21"
down_revision: str | Sequence[str] | None = "944142d30533"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _chain_existing_entries() -> None:
    from app.audit.chain import GENESIS_HASH, entry_hash
    from app.models.audit import AuditEvent, chain_key

    bind = op.get_bind()
    events = sa.table(
        "audit_event", sa.column("id"), sa.column("taxpayer_id"), sa.column("actor"), sa.column("action"),
        sa.column("object_type"), sa.column("object_id"), sa.column("certificate_serial"), sa.column("result"),
        sa.column("details", sa.JSON), sa.column("created_at", sa.DateTime(timezone=True)), sa.column("chain"),
        sa.column("seq"), sa.column("prev_hash"), sa.column("entry_hash"),
    )
    heads: dict[str, tuple[int, str]] = {}
    rows = bind.execute(sa.select(events).order_by(events.c.created_at, events.c.id)).mappings().all()
    for row in rows:
        key = chain_key(row["taxpayer_id"])
        length, prev = heads.get(key, (0, GENESIS_HASH))
        created = row["created_at"]
        if created.tzinfo is None:
            from datetime import timezone

            created = created.replace(tzinfo=timezone.utc)
        event = AuditEvent(taxpayer_id=row["taxpayer_id"], actor=row["actor"], action=row["action"],
                           object_type=row["object_type"], object_id=row["object_id"],
                           certificate_serial=row["certificate_serial"], result=row["result"],
                           details=row["details"] or {}, created_at=created, chain=key, seq=length + 1, prev_hash=prev)
        digest = entry_hash(event)
        bind.execute(events.update().where(events.c.id == row["id"]).values(
            chain=key, seq=length + 1, prev_hash=prev, entry_hash=digest, details=event.details))
        heads[key] = (length + 1, digest)
    chains = sa.table("audit_chain", sa.column("key"), sa.column("length"), sa.column("head_hash"))
    for key, (length, digest) in heads.items():
        bind.execute(chains.insert().values(key=key, length=length, head_hash=digest))


def upgrade() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_audit_chain")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("chain", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    _chain_existing_entries()
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("chain", existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_chain_seq"), ["chain", "seq"])


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_event_chain_seq"), type_="unique")
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
        batch_op.drop_column("chain")
        batch_op.drop_column("actor")
    op.drop_table("audit_chain")
