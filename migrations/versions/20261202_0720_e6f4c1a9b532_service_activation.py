"""service activation: products, labels, GİB applications

Revision ID: e6f4c1a9b532
Revises: d5e3b0f8a421
Create Date: 2026-12-02 07:20:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "e6f4c1a9b532"
down_revision: str | Sequence[str] | None = "d5e3b0f8a421"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
