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
    op.create_table('defter_creation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('hazirlaniyor', 'hazir', 'imzalaniyor', 'imzali', 'hata', name='creationstate', native_enum=False, length=12), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('max_part_bytes', sa.BigInteger(), nullable=False),
    sa.Column('first_entry_counter', sa.Integer(), nullable=False),
    sa.Column('last_entry_counter', sa.Integer(), nullable=True),
    sa.Column('first_line_number', sa.Integer(), nullable=False),
    sa.Column('last_line_number', sa.Integer(), nullable=True),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('movements', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('signer_serial', sa.String(length=80), nullable=True),
    sa.Column('signer_name', sa.String(length=250), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('prepared_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_defter_creation_job_id_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['period_id'], ['journal_period.id'], name=op.f('fk_defter_creation_period_id_journal_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_defter_creation_taxpayer_id_taxpayer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defter_creation')),
    sa.UniqueConstraint('period_id', name=op.f('uq_defter_creation_period_id'))
    )
    with op.batch_alter_table('defter_creation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_defter_creation_taxpayer_id'), ['taxpayer_id'], unique=False)

    op.create_table('defter_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('creation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('Y', 'K', 'YB', 'KB', 'DR', name='defterfilekind', native_enum=False, length=4), nullable=False),
    sa.Column('part_index', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=80), nullable=False),
    sa.Column('unique_id', sa.String(length=40), nullable=False),
    sa.Column('unsigned_key', sa.String(length=64), nullable=True),
    sa.Column('unsigned_size', sa.BigInteger(), nullable=True),
    sa.Column('canonical_sha256', sa.String(length=64), nullable=True),
    sa.Column('signed_key', sa.String(length=64), nullable=True),
    sa.Column('signed_size', sa.BigInteger(), nullable=True),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('first_entry_counter', sa.Integer(), nullable=True),
    sa.Column('last_entry_counter', sa.Integer(), nullable=True),
    sa.Column('first_line_number', sa.Integer(), nullable=True),
    sa.Column('last_line_number', sa.Integer(), nullable=True),
    sa.Column('tax_totals', sa.JSON(), nullable=False),
    sa.Column('signature_value_id', sa.String(length=120), nullable=True),
    sa.Column('signature_xml', sa.Text(), nullable=True),
    sa.Column('verification_ok', sa.Boolean(), nullable=True),
    sa.Column('verification_message', sa.String(length=500), nullable=True),
    sa.Column('signed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['creation_id'], ['defter_creation.id'], name=op.f('fk_defter_file_creation_id_defter_creation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_defter_file_taxpayer_id_taxpayer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defter_file')),
    sa.UniqueConstraint('creation_id', 'kind', 'part_index', name=op.f('uq_defter_file_creation_id_kind_part_index'))
    )
    with op.batch_alter_table('defter_file', schema=None) as batch_op:
        batch_op.create_index('ix_defter_file_taxpayer', ['taxpayer_id', 'creation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('defter_file', schema=None) as batch_op:
        batch_op.drop_index('ix_defter_file_taxpayer')
    op.drop_table('defter_file')
    with op.batch_alter_table('defter_creation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_defter_creation_taxpayer_id'))
    op.drop_table('defter_creation')
