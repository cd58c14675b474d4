"""persons and authorisations

Revision ID: c4d2a9e7f310
Revises: b3e8f2c41d07
Create Date: 2026-12-02 07:00:00+00:00

Who logged in (a person: the card's holder) apart from whom they act for (a taxpayer); the signed
authorisations that let a person act for a taxpayer; the taxpayers a person chose last (Firma Seç).
Decision note 0071. Persons are made at login, so nothing is copied from existing rows.
"""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "c4d2a9e7f310"
down_revision: str | Sequence[str] | None = "b3e8f2c41d07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=11), nullable=False),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("identifier", name=op.f("uq_person_identifier")),
    )
    op.create_table(
        "authorisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.Column("taxpayer_id", sa.Integer(), nullable=False),
        sa.Column("person_identifier", sa.String(length=11), nullable=False),
        sa.Column("person_name", sa.String(length=250), nullable=False),
        sa.Column(
            "role",
            sa.Enum("mali_musavir", "muhasebe_personeli", "goruntuleme", name="authorisationrole", native_enum=False,
                    length=20),
            nullable=False,
        ),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("granted_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(length=120), nullable=False),
        sa.Column("document_xml", sa.LargeBinary(), nullable=False),
        sa.Column("certificate_serial", sa.String(length=64), nullable=False),
        sa.Column("accepted_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(["taxpayer_id"], ["taxpayer.id"], name=op.f("fk_authorisation_taxpayer_id_taxpayer"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorisation")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_authorisation_submission_id")),
    )
    with op.batch_alter_table("authorisation", schema=None) as batch_op:
        batch_op.create_index("ix_authorisation_person", ["person_identifier"], unique=False)
        batch_op.create_index("uq_authorisation_open", ["taxpayer_id", "person_identifier"], unique=True,
                              sqlite_where=sa.text("revoked_at IS NULL"),
                              postgresql_where=sa.text("revoked_at IS NULL"))
    op.create_table(
        "person_recent_taxpayer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("taxpayer_id", sa.Integer(), nullable=False),
        sa.Column("chosen_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_recent_taxpayer_person_id_person"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["taxpayer_id"], ["taxpayer.id"],
                                name=op.f("fk_person_recent_taxpayer_taxpayer_id_taxpayer"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_recent_taxpayer")),
        sa.UniqueConstraint("person_id", "taxpayer_id", name=op.f("uq_person_recent_taxpayer_person_id_taxpayer_id")),
    )


def downgrade() -> None:
    op.drop_table("person_recent_taxpayer")
    with op.batch_alter_table("authorisation", schema=None) as batch_op:
        batch_op.drop_index("uq_authorisation_open")
        batch_op.drop_index("ix_authorisation_person")
    op.drop_table("authorisation")
    op.drop_table("person")
