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
    op.create_table('kontor_package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit', sa.Enum('adet', 'mb', name='kontorunit', native_enum=False, length=8), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('written_off_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_kontor_package_quantity_positive')),
    sa.CheckConstraint('remaining <= quantity', name=op.f('ck_kontor_package_remaining_within_quantity')),
    sa.CheckConstraint('remaining >= 0', name=op.f('ck_kontor_package_remaining_not_negative')),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_kontor_package_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kontor_package'))
    )
    with op.batch_alter_table('kontor_package', schema=None) as batch_op:
        batch_op.create_index('ix_kontor_package_spending', ['taxpayer_id', 'unit', 'expires_on', 'id'], unique=False)
    op.create_table('archive_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=250), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('sirada', 'suruyor', 'tamamlandi', 'hata', name='importstatus', native_enum=False, length=16), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('stored_count', sa.Integer(), nullable=False),
    sa.Column('duplicate_count', sa.Integer(), nullable=False),
    sa.Column('refused_count', sa.Integer(), nullable=False),
    sa.Column('charged', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_archive_import_job_id_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_archive_import_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_import'))
    )
    with op.batch_alter_table('archive_import', schema=None) as batch_op:
        batch_op.create_index('ix_archive_import_taxpayer', ['taxpayer_id', 'id'], unique=False)
    op.create_table('archived_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('product', sa.String(length=20), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('ettn', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('sender_identifier', sa.String(length=11), nullable=False),
    sa.Column('sender_name', sa.String(length=250), nullable=False),
    sa.Column('receiver_identifier', sa.String(length=11), nullable=False),
    sa.Column('receiver_name', sa.String(length=250), nullable=False),
    sa.Column('outgoing', sa.Boolean(), nullable=False),
    sa.Column('filename', sa.String(length=250), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('signer_identifier', sa.String(length=11), nullable=False),
    sa.Column('signer_name', sa.String(length=250), nullable=False),
    sa.Column('certificate_serial', sa.String(length=64), nullable=False),
    sa.Column('signing_time', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('charged', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('stored_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['archive_import.id'], name=op.f('fk_archived_document_import_id_archive_import'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_archived_document_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archived_document')),
    sa.UniqueConstraint('taxpayer_id', 'product', 'ettn', name='uq_archived_document_ettn')
    )
    with op.batch_alter_table('archived_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archived_document_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_archived_document_list', ['taxpayer_id', 'product', 'issue_date', 'id'], unique=False)
        batch_op.create_index('ix_archived_document_number', ['taxpayer_id', 'number'], unique=False)
    op.create_table('archive_import_verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=250), nullable=False),
    sa.Column('verdict', sa.Enum('saklandi', 'zaten_var', 'reddedildi', name='verdict', native_enum=False, length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['archived_document.id'], name=op.f('fk_archive_import_verdict_document_id_archived_document'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_id'], ['archive_import.id'], name=op.f('fk_archive_import_verdict_import_id_archive_import'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_import_verdict')),
    sa.UniqueConstraint('import_id', 'position', name='uq_archive_import_verdict_position')
    )
    op.create_table('kontor_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('yukleme', 'kullanim', 'iade', 'suresi_doldu', name='movementkind', native_enum=False, length=16), nullable=False),
    sa.Column('unit', sa.Enum('adet', 'mb', name='kontorunit', native_enum=False, length=8), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=250), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_kontor_movement_amount_positive')),
    sa.ForeignKeyConstraint(['document_id'], ['archived_document.id'], name=op.f('fk_kontor_movement_document_id_archived_document'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['package_id'], ['kontor_package.id'], name=op.f('fk_kontor_movement_package_id_kontor_package'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_kontor_movement_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kontor_movement'))
    )
    with op.batch_alter_table('kontor_movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kontor_movement_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kontor_movement_package_id'), ['package_id'], unique=False)
        batch_op.create_index('ix_kontor_movement_taxpayer', ['taxpayer_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('kontor_movement', schema=None) as batch_op:
        batch_op.drop_index('ix_kontor_movement_taxpayer')
        batch_op.drop_index(batch_op.f('ix_kontor_movement_package_id'))
        batch_op.drop_index(batch_op.f('ix_kontor_movement_document_id'))
    op.drop_table('kontor_movement')
    op.drop_table('archive_import_verdict')
    with op.batch_alter_table('archived_document', schema=None) as batch_op:
        batch_op.drop_index('ix_archived_document_number')
        batch_op.drop_index('ix_archived_document_list')
        batch_op.drop_index(batch_op.f('ix_archived_document_import_id'))
    op.drop_table('archived_document')
    with op.batch_alter_table('archive_import', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_import_taxpayer')
    op.drop_table('archive_import')
    with op.batch_alter_table('kontor_package', schema=None) as batch_op:
        batch_op.drop_index('ix_kontor_package_spending')
    op.drop_table('kontor_package')
