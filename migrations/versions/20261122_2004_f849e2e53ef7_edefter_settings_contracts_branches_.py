"""edefter settings contracts branches yevmiye verification

Revision ID: f849e2e53ef7
Revises: 17bc7b9b123a
Create Date: 2026-11-22 20:04:15.191791+00:00
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op
import app.db

revision: str = 'f849e2e53ef7'
down_revision: str | Sequence[str] | None = '17bc7b9b123a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('edefter_branch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_edefter_branch_taxpayer_id_taxpayer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edefter_branch')),
    sa.UniqueConstraint('taxpayer_id', 'code', name=op.f('uq_edefter_branch_taxpayer_id_code'))
    )
    op.create_table('edefter_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('SM', 'SMMM', 'YMM', 'BUNYE', name='contractkind', native_enum=False), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('person_name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=250), nullable=False),
    sa.Column('contract_type', sa.String(length=120), nullable=False),
    sa.Column('contract_date', sa.Date(), nullable=True),
    sa.Column('contract_number', sa.String(length=60), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_edefter_contract_taxpayer_id_taxpayer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edefter_contract'))
    )
    with op.batch_alter_table('edefter_contract', schema=None) as batch_op:
        batch_op.create_index('ix_edefter_contract_taxpayer', ['taxpayer_id', 'id'], unique=False)

    op.create_table('edefter_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('period_kind', sa.Enum('takvim', 'ozel', name='periodkind', native_enum=False, length=12), nullable=False),
    sa.Column('fiscal_year_start', sa.Date(), nullable=False),
    sa.Column('fiscal_year_end', sa.Date(), nullable=False),
    sa.Column('first_use_date', sa.Date(), nullable=False),
    sa.Column('founded_on', sa.Date(), nullable=False),
    sa.Column('berat_period', sa.Enum('aylik', 'uc_aylik', name='beratperiod', native_enum=False, length=12), nullable=False),
    sa.Column('split_size_mb', sa.Integer(), nullable=False),
    sa.Column('gib_application_done', sa.Boolean(), nullable=False),
    sa.Column('compatible_software_set', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('building_number', sa.String(length=20), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=60), nullable=False),
    sa.Column('postal_code', sa.String(length=10), nullable=False),
    sa.Column('country', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('website', sa.String(length=250), nullable=False),
    sa.Column('nace_code', sa.String(length=8), nullable=False),
    sa.Column('nace_description', sa.String(length=250), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_edefter_settings_taxpayer_id_taxpayer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edefter_settings')),
    sa.UniqueConstraint('taxpayer_id', name=op.f('uq_edefter_settings_taxpayer_id'))
    )
    op.create_table('edefter_yevmiye_verification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taxpayer_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('branch_code', sa.String(length=4), nullable=True),
    sa.Column('branch_name', sa.String(length=120), nullable=True),
    sa.Column('unique_id', sa.String(length=40), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('first_entry_counter', sa.BigInteger(), nullable=False),
    sa.Column('last_entry_counter', sa.BigInteger(), nullable=False),
    sa.Column('last_entry_number', sa.String(length=60), nullable=False),
    sa.Column('last_line_number', sa.String(length=30), nullable=False),
    sa.Column('signature_status', sa.String(length=12), nullable=False),
    sa.Column('signature_message', sa.String(length=500), nullable=False),
    sa.Column('signer_serial', sa.String(length=64), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('in_zip', sa.Boolean(), nullable=False),
    sa.Column('verified_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['edefter_branch.id'], name=op.f('fk_edefter_yevmiye_verification_branch_id_edefter_branch'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['taxpayer_id'], ['taxpayer.id'], name=op.f('fk_edefter_yevmiye_verification_taxpayer_id_taxpayer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edefter_yevmiye_verification'))
    )
    with op.batch_alter_table('edefter_yevmiye_verification', schema=None) as batch_op:
        batch_op.create_index('ix_edefter_yevmiye_verification_scope', ['taxpayer_id', 'branch_id', 'period_end'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('edefter_yevmiye_verification', schema=None) as batch_op:
        batch_op.drop_index('ix_edefter_yevmiye_verification_scope')

    op.drop_table('edefter_yevmiye_verification')
    op.drop_table('edefter_settings')
    with op.batch_alter_table('edefter_contract', schema=None) as batch_op:
        batch_op.drop_index('ix_edefter_contract_taxpayer')

    op.drop_table('edefter_contract')
    op.drop_table('edefter_branch')
