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
    op.create_table('training_class',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('trainee_count', sa.Integer(), nullable=False),
    sa.Column('started_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resets', sa.Integer(), nullable=False),
    sa.Column('audit_mark', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submission_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_class')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_training_class_submission_id'))
    )
    op.create_table('trainee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=11), nullable=False),
    sa.Column('unvan', sa.String(length=250), nullable=False),
    sa.Column('token_label', sa.String(length=32), nullable=False),
    sa.Column('card_pin', sa.String(length=16), nullable=False),
    sa.Column('partner_identifier', sa.String(length=11), nullable=False),
    sa.Column('invoice_prefix', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_class.id'], name=op.f('fk_trainee_class_id_training_class'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_trainee_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainee')),
    sa.UniqueConstraint('class_id', 'position', name=op.f('uq_trainee_class_id_position')),
    sa.UniqueConstraint('taxpayer_id', name=op.f('uq_trainee_taxpayer_id'))
    )


def downgrade() -> None:
    op.drop_table('trainee')
    op.drop_table('training_class')
