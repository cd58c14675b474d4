"""invoice and cancellation request

Revision ID: 17bc7b9b123a
Revises: b890d3602266
Create Date: 2026-11-22 19:47:27.658569+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op
import app.db

revision: str = '17bc7b9b123a'
down_revision: str | Sequence[str] | None = 'b890d3602266'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ettn', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('profile_id', sa.String(length=30), nullable=False),
    sa.Column('type_code', sa.String(length=30), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('sender_identifier', sa.String(length=11), nullable=False),
    sa.Column('sender_name', sa.String(length=250), nullable=False),
    sa.Column('receiver_identifier', sa.String(length=11), nullable=False),
    sa.Column('receiver_name', sa.String(length=250), nullable=False),
    sa.Column('payable_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('cancelled_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('imported_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('ettn', name=op.f('uq_invoice_ettn')),
    sa.UniqueConstraint('sender_identifier', 'number', name=op.f('uq_invoice_sender_identifier_number'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index('ix_invoice_receiver_issue', ['receiver_identifier', 'issue_date'], unique=False)
        batch_op.create_index('ix_invoice_receiver_number', ['receiver_identifier', 'number'], unique=False)
        batch_op.create_index('ix_invoice_sender_issue', ['sender_identifier', 'issue_date'], unique=False)

    op.create_table('cancellation_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('requester_taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('requester_role', sa.Enum('SATICI', 'ALICI', name='partyrole', native_enum=False, length=10), nullable=False),
    sa.Column('responder_identifier', sa.String(length=11), nullable=False),
    sa.Column('decided_by_taxpayer_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'deleted', name='cancellationstatus', native_enum=False, length=10), nullable=False),
    sa.Column('requested_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('request_xml', sa.LargeBinary(), nullable=False),
    sa.Column('request_certificate_serial', sa.String(length=64), nullable=False),
    sa.Column('decided_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_xml', sa.LargeBinary(), nullable=True),
    sa.Column('decision_certificate_serial', sa.String(length=64), nullable=True),
    sa.Column('deleted_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_taxpayer_id'], ['taxpayer.id'], name=op.f('fk_cancellation_request_decided_by_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_cancellation_request_invoice_id_invoice'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['requester_taxpayer_id'], ['taxpayer.id'], name=op.f('fk_cancellation_request_requester_taxpayer_id_taxpayer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cancellation_request')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_cancellation_request_submission_id'))
    )
    with op.batch_alter_table('cancellation_request', schema=None) as batch_op:
        batch_op.create_index('ix_cancellation_request_requester_time', ['requester_taxpayer_id', 'requested_at'], unique=False)
        batch_op.create_index('ix_cancellation_request_responder_time', ['responder_identifier', 'requested_at'], unique=False)
        batch_op.create_index('uq_cancellation_request_open_invoice', ['invoice_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))



def downgrade() -> None:
    with op.batch_alter_table('cancellation_request', schema=None) as batch_op:
        batch_op.drop_index('uq_cancellation_request_open_invoice', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_cancellation_request_responder_time')
        batch_op.drop_index('ix_cancellation_request_requester_time')

    op.drop_table('cancellation_request')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index('ix_invoice_sender_issue')
        batch_op.drop_index('ix_invoice_receiver_number')
        batch_op.drop_index('ix_invoice_receiver_issue')

    op.drop_table('invoice')
