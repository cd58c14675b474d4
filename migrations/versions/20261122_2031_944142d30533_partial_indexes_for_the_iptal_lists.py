"""partial indexes for the iptal lists

Revision ID: 944142d30533
Revises: f849e2e53ef7
Create Date: 2026-11-22 20:31:53.936579+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op
import app.db

revision: str = '944142d30533'
down_revision: str | Sequence[str] | None = 'f849e2e53ef7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cancellation_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cancellation_request_requester_time'))
        batch_op.drop_index(batch_op.f('ix_cancellation_request_responder_time'))
        batch_op.create_index('ix_cancellation_request_cancelled_by', ['decided_by_taxpayer_id', 'requested_at'], unique=False, sqlite_where=sa.text("status = 'approved'"), postgresql_where=sa.text("status = 'approved'"))
        batch_op.create_index('ix_cancellation_request_incoming', ['responder_identifier', 'requested_at'], unique=False, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.create_index('ix_cancellation_request_requested_by', ['requester_taxpayer_id', 'requested_at'], unique=False, sqlite_where=sa.text("status != 'deleted'"), postgresql_where=sa.text("status != 'deleted'"))



def downgrade() -> None:
    with op.batch_alter_table('cancellation_request', schema=None) as batch_op:
        batch_op.drop_index('ix_cancellation_request_requested_by', sqlite_where=sa.text("status != 'deleted'"), postgresql_where=sa.text("status != 'deleted'"))
        batch_op.drop_index('ix_cancellation_request_incoming', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_cancellation_request_cancelled_by', sqlite_where=sa.text("status = 'approved'"), postgresql_where=sa.text("status = 'approved'"))
        batch_op.create_index(batch_op.f('ix_cancellation_request_responder_time'), ['responder_identifier', 'requested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cancellation_request_requester_time'), ['requester_taxpayer_id', 'requested_at'], unique=False)

