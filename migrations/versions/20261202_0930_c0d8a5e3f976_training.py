"""training room: classes, trainees, clock (placeholder: filled in by issue 18)

Revision ID: c0d8a5e3f976
Revises: b9c7f4d2e865
Create Date: 2026-12-02 09:30:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "c0d8a5e3f976"
down_revision: str | Sequence[str] | None = "b9c7f4d2e865"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
