"""taxpayer and audit event

Revision ID: b890d3602266
Revises: 
Create Date: 2026-11-22 19:43:44.549725+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op
import app.db

revision: str = 'b890d3602266'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('taxpayer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=11), nullable=False),
    sa.Column('kind', sa.Enum('tuzel', 'gercek', name='taxpayerkind', native_enum=False, length=10), nullable=False),
    sa.Column('unvan', sa.String(length=250), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_taxpayer')),
    sa.UniqueConstraint('identifier', name=op.f('uq_taxpayer_identifier'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('certificate_serial', sa.String(length=64), nullable=True),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_audit_event_taxpayer_id_taxpayer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_taxpayer_created', ['taxpayer_id', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_taxpayer_created')

    op.drop_table('audit_event')
    op.drop_table('taxpayer')
