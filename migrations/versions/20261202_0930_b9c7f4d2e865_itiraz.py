"""itiraz requests (placeholder: filled in by issue 15)

Revision ID: b9c7f4d2e865
Revises: a8b6e3c1d754
Create Date: 2026-12-02 09:30:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "b9c7f4d2e865"
down_revision: str | Sequence[str] | None = "a8b6e3c1d754"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
