"""GİB simulator: received defter raporları (DR), one per taxpayer, period and branch.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gibsim_defter_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taxpayer_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("branch", sa.String(length=4), nullable=False),
        sa.Column("filename", sa.String(length=80), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("acceptance_id", sa.String(length=36), nullable=False),
        sa.Column("signer_serial", sa.String(length=80), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["taxpayer_id"], ["gibsim_taxpayers.id"],
            name=op.f("fk_gibsim_defter_reports_taxpayer_id_gibsim_taxpayers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gibsim_defter_reports")),
        sa.UniqueConstraint("filename", name=op.f("uq_gibsim_defter_reports_filename")),
        sa.UniqueConstraint("taxpayer_id", "period", "branch", name=op.f("uq_gibsim_defter_reports_taxpayer_id")),
    )
    with op.batch_alter_table("gibsim_defter_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gibsim_defter_reports_taxpayer_id"), ["taxpayer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gibsim_defter_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gibsim_defter_reports_taxpayer_id"))
    op.drop_table("gibsim_defter_reports")
