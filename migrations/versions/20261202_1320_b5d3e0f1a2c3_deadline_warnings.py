"""berat deadline warnings raised by the daily job (placeholder: filled in by issue 14)

Revision ID: b5d3e0f1a2c3
Revises: a4c2d9e0f1b2
Create Date: 2026-12-02 13:20:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import app.db  # noqa: F401

revision: str = "b5d3e0f1a2c3"
down_revision: str | Sequence[str] | None = "a4c2d9e0f1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
