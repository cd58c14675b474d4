"""e-Defter archive: the company's uploaded and own defter files, kept unchanged (placeholder: filled in by issue 14)

Revision ID: a4c2d9e0f1b2
Revises: f3b1c8d9e0a1
Create Date: 2026-12-02 13:20:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import app.db  # noqa: F401

revision: str = "a4c2d9e0f1b2"
down_revision: str | Sequence[str] | None = "f3b1c8d9e0a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
