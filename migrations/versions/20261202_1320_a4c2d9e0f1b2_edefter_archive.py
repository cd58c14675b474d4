"""e-Defter archive: the company's uploaded and own defter files, kept unchanged (issue 14, SPEC D8)

Revision ID: a4c2d9e0f1b2
Revises: f3b1c8d9e0a1
Create Date: 2026-12-02 13:20:00+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "a4c2d9e0f1b2"
down_revision: str | Sequence[str] | None = "f3b1c8d9e0a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('edefter_archive_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('arsivlendi', 'bekliyor', name='periodkeeping', native_enum=False, length=12), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('file_count', sa.Integer(), nullable=False),
    sa.Column('charged', sa.Integer(), nullable=False),
    sa.Column('archived_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['journal_period.id'], name=op.f('fk_edefter_archive_period_period_id_journal_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_edefter_archive_period_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edefter_archive_period')),
    sa.UniqueConstraint('period_id', name='uq_edefter_archive_period_period')
    )
    op.create_index(op.f('ix_edefter_archive_period_taxpayer_id'), 'edefter_archive_period', ['taxpayer_id'], unique=False)
    op.create_table('edefter_archive_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=250), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('expected_year', sa.Integer(), nullable=True),
    sa.Column('expected_month', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('sirada', 'suruyor', 'tamamlandi', 'hata', name='archiveuploadstatus', native_enum=False, length=12), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('stored_count', sa.Integer(), nullable=False),
    sa.Column('duplicate_count', sa.Integer(), nullable=False),
    sa.Column('refused_count', sa.Integer(), nullable=False),
    sa.Column('charged', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_edefter_archive_upload_job_id_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_edefter_archive_upload_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edefter_archive_upload'))
    )
    op.create_index('ix_edefter_archive_upload_taxpayer', 'edefter_archive_upload', ['taxpayer_id', 'id'], unique=False)
    op.create_table('edefter_archive_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('Y', 'K', 'YB', 'KB', 'DR', 'GYB', 'GKB', name='archivekind', native_enum=False, length=4), nullable=False),
    sa.Column('origin', sa.Enum('yukleme', 'donem', name='archiveorigin', native_enum=False, length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('branch_code', sa.String(length=4), nullable=False),
    sa.Column('part', sa.Integer(), nullable=False),
    sa.Column('unique_id', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=250), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('signer_identifier', sa.String(length=11), nullable=False),
    sa.Column('signer_name', sa.String(length=250), nullable=False),
    sa.Column('certificate_serial', sa.String(length=80), nullable=False),
    sa.Column('signing_time', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checks', sa.String(length=500), nullable=False),
    sa.Column('last_entry_counter', sa.Integer(), nullable=True),
    sa.Column('charged', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('stored_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['journal_period.id'], name=op.f('fk_edefter_archive_entry_period_id_journal_period'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_edefter_archive_entry_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['upload_id'], ['edefter_archive_upload.id'], name=op.f('fk_edefter_archive_entry_upload_id_edefter_archive_upload'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edefter_archive_entry')),
    sa.UniqueConstraint('taxpayer_id', 'sha256', name='uq_edefter_archive_entry_sha256')
    )
    op.create_index('ix_edefter_archive_entry_list', 'edefter_archive_entry', ['taxpayer_id', 'year', 'month', 'kind', 'id'], unique=False)
    op.create_index(op.f('ix_edefter_archive_entry_period_id'), 'edefter_archive_entry', ['period_id'], unique=False)
    op.create_index(op.f('ix_edefter_archive_entry_upload_id'), 'edefter_archive_entry', ['upload_id'], unique=False)
    op.create_table('edefter_archive_verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=250), nullable=False),
    sa.Column('kind', sa.Enum('Y', 'K', 'YB', 'KB', 'DR', 'GYB', 'GKB', name='archivekind', native_enum=False, length=4), nullable=True),
    sa.Column('verdict', sa.Enum('saklandi', 'zaten_var', 'reddedildi', name='archiveverdict', native_enum=False, length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['edefter_archive_entry.id'], name=op.f('fk_edefter_archive_verdict_entry_id_edefter_archive_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['upload_id'], ['edefter_archive_upload.id'], name=op.f('fk_edefter_archive_verdict_upload_id_edefter_archive_upload'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edefter_archive_verdict')),
    sa.UniqueConstraint('upload_id', 'position', name='uq_edefter_archive_verdict_position')
    )


def downgrade() -> None:
    op.drop_table('edefter_archive_verdict')
    op.drop_index(op.f('ix_edefter_archive_entry_upload_id'), table_name='edefter_archive_entry')
    op.drop_index(op.f('ix_edefter_archive_entry_period_id'), table_name='edefter_archive_entry')
    op.drop_index('ix_edefter_archive_entry_list', table_name='edefter_archive_entry')
    op.drop_table('edefter_archive_entry')
    op.drop_index('ix_edefter_archive_upload_taxpayer', table_name='edefter_archive_upload')
    op.drop_table('edefter_archive_upload')
    op.drop_index(op.f('ix_edefter_archive_period_taxpayer_id'), table_name='edefter_archive_period')
    op.drop_table('edefter_archive_period')
