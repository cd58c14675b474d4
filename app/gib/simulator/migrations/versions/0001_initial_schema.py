"""GİB simulator: initial schema (taxpayers, e-Fatura applications, label requests, aliases, berats,
idempotent responses). Times are stored as UTC without a zone.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gibsim_idempotent_responses",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("request_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_gibsim_idempotent_responses")),
    )
    op.create_table(
        "gibsim_taxpayers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=11), nullable=False),
        sa.Column("title", sa.String(length=250), nullable=False),
        sa.Column("user_type", sa.String(length=4), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gibsim_taxpayers")),
        sa.UniqueConstraint("identifier", name=op.f("uq_gibsim_taxpayers_identifier")),
    )
    op.create_table(
        "gibsim_berats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taxpayer_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=2), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.Column("filename", sa.String(length=80), nullable=False),
        sa.Column("signer_serial", sa.String(length=80), nullable=False),
        sa.Column("submitted_berat", sa.LargeBinary(), nullable=False),
        sa.Column("approved_berat", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["taxpayer_id"], ["gibsim_taxpayers.id"], name=op.f("fk_gibsim_berats_taxpayer_id_gibsim_taxpayers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gibsim_berats")),
        sa.UniqueConstraint("filename", name=op.f("uq_gibsim_berats_filename")),
        sa.UniqueConstraint("taxpayer_id", "period", "kind", "part", name=op.f("uq_gibsim_berats_taxpayer_id")),
    )
    with op.batch_alter_table("gibsim_berats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gibsim_berats_taxpayer_id"), ["taxpayer_id"], unique=False)
    op.create_table(
        "gibsim_efatura_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taxpayer_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("tax_office", sa.String(length=120), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("signer_serial", sa.String(length=80), nullable=False),
        sa.Column("signed_document", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["taxpayer_id"],
            ["gibsim_taxpayers.id"],
            name=op.f("fk_gibsim_efatura_applications_taxpayer_id_gibsim_taxpayers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gibsim_efatura_applications")),
        sa.UniqueConstraint("taxpayer_id", name=op.f("uq_gibsim_efatura_applications_taxpayer_id")),
    )
    op.create_table(
        "gibsim_label_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("taxpayer_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=5), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("activation_date", sa.Date(), nullable=True),
        sa.Column("effective_at", sa.DateTime(), nullable=False),
        sa.Column("signer_serial", sa.String(length=80), nullable=False),
        sa.Column("signed_document", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["taxpayer_id"], ["gibsim_taxpayers.id"], name=op.f("fk_gibsim_label_requests_taxpayer_id_gibsim_taxpayers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gibsim_label_requests")),
    )
    with op.batch_alter_table("gibsim_label_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gibsim_label_requests_taxpayer_id"), ["taxpayer_id"], unique=False)
    op.create_table(
        "gibsim_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taxpayer_id", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("account_type", sa.String(length=20), nullable=False),
        sa.Column("integrator", sa.String(length=120), nullable=False),
        sa.Column("option_code", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("opening_request_id", sa.String(length=36), nullable=True),
        sa.Column("closing_request_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["closing_request_id"],
            ["gibsim_label_requests.id"],
            name=op.f("fk_gibsim_aliases_closing_request_id_gibsim_label_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["opening_request_id"],
            ["gibsim_label_requests.id"],
            name=op.f("fk_gibsim_aliases_opening_request_id_gibsim_label_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["taxpayer_id"], ["gibsim_taxpayers.id"], name=op.f("fk_gibsim_aliases_taxpayer_id_gibsim_taxpayers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gibsim_aliases")),
    )
    with op.batch_alter_table("gibsim_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gibsim_aliases_taxpayer_id"), ["taxpayer_id"], unique=False)
        batch_op.create_index(
            "uq_gibsim_aliases_live",
            ["taxpayer_id", "document_type", "name"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("gibsim_aliases", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_gibsim_aliases_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_gibsim_aliases_taxpayer_id"))
    op.drop_table("gibsim_aliases")
    with op.batch_alter_table("gibsim_label_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gibsim_label_requests_taxpayer_id"))
    op.drop_table("gibsim_label_requests")
    op.drop_table("gibsim_efatura_applications")
    with op.batch_alter_table("gibsim_berats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gibsim_berats_taxpayer_id"))
    op.drop_table("gibsim_berats")
    op.drop_table("gibsim_taxpayers")
    op.drop_table("gibsim_idempotent_responses")
