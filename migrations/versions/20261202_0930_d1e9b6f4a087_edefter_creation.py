"""e-Defter creation: defter parts, berats, DR (placeholder: filled in by issue 13)

Revision ID: d1e9b6f4a087
Revises: c0d8a5e3f976
Create Date: 2026-12-02 09:30:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "d1e9b6f4a087"
down_revision: str | Sequence[str] | None = "c0d8a5e3f976"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
