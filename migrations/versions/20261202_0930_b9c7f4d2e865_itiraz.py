"""itiraz requests: a kind on cancellation_request (iptal/itiraz), the TTK 18/3 document fields, one itiraz per invoice

Revision ID: b9c7f4d2e865
Revises: a8b6e3c1d754
Create Date: 2026-12-02 09:30:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "b9c7f4d2e865"
down_revision: str | Sequence[str] | None = "a8b6e3c1d754"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_OPEN_IPTAL_OLD = sa.text("status = 'pending'")
_OPEN_IPTAL = sa.text("status = 'pending' AND kind = 'iptal'")
_ONE_ITIRAZ = sa.text("kind = 'itiraz' AND status != 'deleted'")
# The lists' partial indexes (944142d30533, d5e3b0f8a421) get the kind as their second column.
_LIST_INDEXES = (
    ("ix_cancellation_request_requested_by", "requester_taxpayer_id", "status != 'deleted'"),
    ("ix_cancellation_request_incoming", "responder_identifier", "status = 'pending'"),
    ("ix_cancellation_request_cancelled_by", "decided_by_taxpayer_id", "status = 'approved'"),
    ("ix_cancellation_request_rejected_by", "decided_by_taxpayer_id", "status = 'rejected'"),
)


def _list_indexes(batch_op, with_kind: bool) -> None:
    for name, column, where in _LIST_INDEXES:
        columns = [column, "kind", "requested_at"] if with_kind else [column, "requested_at"]
        batch_op.create_index(name, columns, unique=False, sqlite_where=sa.text(where),
                              postgresql_where=sa.text(where))


def upgrade() -> None:
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.Enum("iptal", "itiraz", name="requestkind", native_enum=False,
                                                      length=10), server_default="iptal", nullable=False))
        batch_op.add_column(sa.Column("objection_document_number", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("objection_document_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("objection_method", sa.Enum("noter", "taahhutlu", "telgraf", "kep",
                                                                  name="objectionmethod", native_enum=False,
                                                                  length=10), nullable=True))
        batch_op.drop_index("uq_cancellation_request_open_invoice", sqlite_where=_OPEN_IPTAL_OLD,
                            postgresql_where=_OPEN_IPTAL_OLD)
        for name, _column, _where in _LIST_INDEXES:
            batch_op.drop_index(name)
    # Created after the batch: the partial conditions name the new column.
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.create_index("uq_cancellation_request_open_invoice", ["invoice_id"], unique=True,
                              sqlite_where=_OPEN_IPTAL, postgresql_where=_OPEN_IPTAL)
        batch_op.create_index("uq_cancellation_request_one_itiraz", ["invoice_id"], unique=True,
                              sqlite_where=_ONE_ITIRAZ, postgresql_where=_ONE_ITIRAZ)
        batch_op.create_index("ix_cancellation_request_invoice", ["invoice_id"], unique=False)
        _list_indexes(batch_op, with_kind=True)


def downgrade() -> None:
    # İtiraz rows have no place in the older schema: they go with their columns.
    op.execute("DELETE FROM cancellation_request WHERE kind = 'itiraz' OR status = 'notified'")
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.drop_index("ix_cancellation_request_invoice")
        for name, _column, _where in _LIST_INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_index("uq_cancellation_request_one_itiraz", sqlite_where=_ONE_ITIRAZ,
                            postgresql_where=_ONE_ITIRAZ)
        batch_op.drop_index("uq_cancellation_request_open_invoice", sqlite_where=_OPEN_IPTAL,
                            postgresql_where=_OPEN_IPTAL)
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.drop_column("objection_method")
        batch_op.drop_column("objection_document_date")
        batch_op.drop_column("objection_document_number")
        batch_op.drop_column("kind")
        batch_op.create_index("uq_cancellation_request_open_invoice", ["invoice_id"], unique=True,
                              sqlite_where=_OPEN_IPTAL_OLD, postgresql_where=_OPEN_IPTAL_OLD)
        _list_indexes(batch_op, with_kind=False)
