"""kontör packages and movements, stored documents (placeholder: filled in by issue 11)

Revision ID: a8b6e3c1d754
Revises: f7a5d2b0c643
Create Date: 2026-12-02 09:30:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "a8b6e3c1d754"
down_revision: str | Sequence[str] | None = "f7a5d2b0c643"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
