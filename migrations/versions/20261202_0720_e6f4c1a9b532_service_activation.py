"""service activation: labels, signed requests to GİB, e-Fatura applications, the registered-user list copy

Revision ID: e6f4c1a9b532
Revises: d5e3b0f8a421
Create Date: 2026-12-02 07:20:00+00:00

Hizmet Aktivasyonu (SPEC C1–C8, issue 10): `service_label` (a product's labels and their state),
`service_request` (each signed opening/closing and GİB's answer), `efatura_application` (the signed GİB e-Fatura
application), `user_list_download` + `registered_user_alias` (GİB's registered-user list, at most hourly).
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "e6f4c1a9b532"
down_revision: str | Sequence[str] | None = "d5e3b0f8a421"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('user_list_download',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('downloaded_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('pk_filename', sa.String(length=120), nullable=False),
    sa.Column('pk_sha256', sa.String(length=64), nullable=False),
    sa.Column('pk_size', sa.Integer(), nullable=False),
    sa.Column('gb_filename', sa.String(length=120), nullable=False),
    sa.Column('gb_sha256', sa.String(length=64), nullable=False),
    sa.Column('gb_size', sa.Integer(), nullable=False),
    sa.Column('user_count', sa.Integer(), nullable=False),
    sa.Column('alias_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_list_download'))
    )
    op.create_table('efatura_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('tax_office', sa.String(length=120), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('gonderiliyor', 'gonderilemedi', 'reddedildi', 'onay_bekliyor', 'tamamlandi', name='requeststatus', native_enum=False, length=16), nullable=False),
    sa.Column('document', sa.LargeBinary(), nullable=False),
    sa.Column('certificate_serial', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('gib_message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_efatura_application_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_efatura_application')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_efatura_application_submission_id'))
    )
    with op.batch_alter_table('efatura_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_efatura_application_taxpayer_id'), ['taxpayer_id'], unique=False)

    op.create_table('registered_user_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('download_id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=11), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('search_title', sa.String(length=250), nullable=False),
    sa.Column('user_type', sa.String(length=10), nullable=False),
    sa.Column('account_type', sa.String(length=20), nullable=False),
    sa.Column('first_creation_time', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('document_type', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=2), nullable=False),
    sa.Column('alias', sa.String(length=250), nullable=False),
    sa.Column('creation_time', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deletion_time', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['download_id'], ['user_list_download.id'], name=op.f('fk_registered_user_alias_download_id_user_list_download'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registered_user_alias'))
    )
    with op.batch_alter_table('registered_user_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registered_user_alias_download_id'), ['download_id'], unique=False)
        batch_op.create_index('ix_registered_user_alias_identifier', ['identifier'], unique=False)

    op.create_table('service_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.Enum('acma', 'kapatma', name='requestaction', native_enum=False, length=10), nullable=False),
    sa.Column('product', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Enum('gonderiliyor', 'gonderilemedi', 'reddedildi', 'onay_bekliyor', 'tamamlandi', name='requeststatus', native_enum=False, length=16), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=True),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('document', sa.LargeBinary(), nullable=False),
    sa.Column('certificate_serial', sa.String(length=64), nullable=False),
    sa.Column('sent_to_gib', sa.Boolean(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('gib_request_id', sa.String(length=64), nullable=True),
    sa.Column('effective_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('gib_message', sa.Text(), nullable=True),
    sa.Column('closed_elsewhere', sa.JSON(), nullable=True),
    sa.Column('checked_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_check_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['efatura_application.id'], name=op.f('fk_service_request_application_id_efatura_application'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_service_request_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_service_request_submission_id'))
    )
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.create_index('ix_service_request_taxpayer', ['taxpayer_id', 'id'], unique=False)

    op.create_table('service_label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('product', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('alias', sa.String(length=250), nullable=False),
    sa.Column('status', sa.Enum('kapali', 'onay_bekliyor', 'aktif', 'kapatildi', name='labelstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('activated_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('opening_request_id', sa.Integer(), nullable=True),
    sa.Column('closing_request_id', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['closing_request_id'], ['service_request.id'], name=op.f('fk_service_label_closing_request_id_service_request'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['opening_request_id'], ['service_request.id'], name=op.f('fk_service_label_opening_request_id_service_request'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_service_label_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_label'))
    )
    with op.batch_alter_table('service_label', schema=None) as batch_op:
        batch_op.create_index('ix_service_label_taxpayer', ['taxpayer_id', 'product'], unique=False)
        batch_op.create_index('uq_service_label_live', ['taxpayer_id', 'kind', 'alias'], unique=True, sqlite_where=sa.text("status != 'kapatildi'"), postgresql_where=sa.text("status != 'kapatildi'"))


def downgrade() -> None:
    with op.batch_alter_table('service_label', schema=None) as batch_op:
        batch_op.drop_index('uq_service_label_live', sqlite_where=sa.text("status != 'kapatildi'"), postgresql_where=sa.text("status != 'kapatildi'"))
        batch_op.drop_index('ix_service_label_taxpayer')

    op.drop_table('service_label')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index('ix_service_request_taxpayer')

    op.drop_table('service_request')
    with op.batch_alter_table('registered_user_alias', schema=None) as batch_op:
        batch_op.drop_index('ix_registered_user_alias_identifier')
        batch_op.drop_index(batch_op.f('ix_registered_user_alias_download_id'))

    op.drop_table('registered_user_alias')
    with op.batch_alter_table('efatura_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_efatura_application_taxpayer_id'))

    op.drop_table('efatura_application')
    op.drop_table('user_list_download')
