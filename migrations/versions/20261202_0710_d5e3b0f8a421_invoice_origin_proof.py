"""invoice origin proof

Revision ID: d5e3b0f8a421
Revises: c4d2a9e7f310
Create Date: 2026-12-02 07:00:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "d5e3b0f8a421"
down_revision: str | Sequence[str] | None = "c4d2a9e7f310"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
