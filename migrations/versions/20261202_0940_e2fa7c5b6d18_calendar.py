"""calendar: public holidays that move each year, GİB's berat deadline extensions

Revision ID: e2fa7c5b6d18
Revises: d1e9b6f4a087
Create Date: 2026-12-02 09:40:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "e2fa7c5b6d18"
down_revision: str | Sequence[str] | None = "d1e9b6f4a087"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "public_holiday",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_public_holiday")),
    )
    op.create_table(
        "deadline_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_year", sa.Integer(), nullable=False),
        sa.Column("period_month", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Enum("hepsi", "kurum", "sahis", name="extensionscope", native_enum=False, length=8),
                  nullable=False),
        sa.Column("new_deadline", sa.Date(), nullable=False),
        sa.Column("announcement", sa.String(length=200), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_extension")),
        sa.UniqueConstraint("period_year", "period_month", "scope",
                            name=op.f("uq_deadline_extension_period_year_period_month_scope")),
    )


def downgrade() -> None:
    op.drop_table("deadline_extension")
    op.drop_table("public_holiday")
