"""deadline warnings: berat periods whose deadline is near or past, raised by the daily job

Revision ID: b5d3e0f1a2c3
Revises: a4c2d9e0f1b2
Create Date: 2026-12-02 13:20:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "b5d3e0f1a2c3"
down_revision: str | Sequence[str] | None = "a4c2d9e0f1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deadline_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taxpayer_id", sa.Integer(), nullable=False),
        sa.Column("period_year", sa.Integer(), nullable=False),
        sa.Column("period_month", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Enum("yaklasti", "gecti", name="warninglevel", native_enum=False, length=10),
                  nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["taxpayer_id"], ["taxpayer.id"], name=op.f("fk_deadline_warning_taxpayer_id_taxpayer"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_warning")),
        sa.UniqueConstraint("taxpayer_id", "period_year", "period_month", "level",
                            name=op.f("uq_deadline_warning_taxpayer_id_period_year_period_month_level")),
    )
    op.create_index("ix_deadline_warning_open", "deadline_warning", ["taxpayer_id", "closed_at"])


def downgrade() -> None:
    op.drop_index("ix_deadline_warning_open", table_name="deadline_warning")
    op.drop_table("deadline_warning")
