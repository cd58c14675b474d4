"""invoice origin proof; index of the İptal Portalı's "Reddettiğiniz Talepler" list

Revision ID: d5e3b0f8a421
Revises: c4d2a9e7f310
Create Date: 2026-12-02 07:00:00+00:00

Each invoice row says why the portal believes it (decision note 0053): "system" for rows the portal made
itself (demo data, rows older than this revision), "signed" with the seller's certificate serial,
"uploader_only" with the uploader. Columns are only added and dropped, with plain server defaults and no
foreign key, so that SQLite does it in place: a rebuild would drop the invoice table, which cancellation
requests reference (ON DELETE RESTRICT), and fail on any database that has one.
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5e3b0f8a421"
down_revision: str | Sequence[str] | None = "c4d2a9e7f310"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "origin",
                sa.Enum("system", "signed", "uploader_only", name="invoiceorigin", native_enum=False, length=16),
                server_default="system",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("origin_certificate_serial", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("uploaded_by_taxpayer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sender_name_from_file", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("receiver_name_from_file", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cancellation_request_rejected_by",
            ["decided_by_taxpayer_id", "requested_at"],
            unique=False,
            sqlite_where=sa.text("status = 'rejected'"),
            postgresql_where=sa.text("status = 'rejected'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_cancellation_request_rejected_by",
            sqlite_where=sa.text("status = 'rejected'"),
            postgresql_where=sa.text("status = 'rejected'"),
        )
    # Not in batch mode: SQLite (3.35+) drops these columns in place, without rebuilding the table.
    for column in ("receiver_name_from_file", "sender_name_from_file", "uploaded_by_taxpayer_id",
                   "origin_certificate_serial", "origin"):
        op.drop_column("invoice", column)
