"""Yetkilendirme: a taxpayer lets a person (by TCKN) act for it with a role, until an optional end date.

The grant is a document signed with the taxpayer's own card (XAdES-BES) and kept as signed. It takes effect
once the person accepts it and stops at its end date or when the taxpayer revokes it, whichever comes first.
At most one open (not revoked) authorisation per taxpayer and person: a new one replaces the old.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.models.taxpayer import Taxpayer


class AuthorisationRole(enum.Enum):
    MALI_MUSAVIR = "mali_musavir"
    MUHASEBE_PERSONELI = "muhasebe_personeli"
    GORUNTULEME = "goruntuleme"

    @property
    def label(self) -> str:
        return {
            "mali_musavir": "Mali Müşavir",
            "muhasebe_personeli": "Muhasebe Personeli",
            "goruntuleme": "Görüntüleme",
        }[self.value]

    @property
    def scope(self) -> str:
        """What the role lets the person do, as the form and the signed document say it."""
        return {
            "mali_musavir": "Tüm işlemler (mükellefin imzası gereken işlemler mükellefin kartıyla)",
            "muhasebe_personeli": "Görüntüleme ve hazırlık; mükellefin imzası gereken işlemler hariç",
            "goruntuleme": "Yalnızca görüntüleme",
        }[self.value]


class AuthorisationState(enum.Enum):
    PENDING = "Kabul Bekliyor"
    ACTIVE = "Geçerli"
    EXPIRED = "Süresi Doldu"
    REVOKED = "İptal Edildi"

    @property
    def label(self) -> str:
        return self.value


class Authorisation(Base):
    __tablename__ = "authorisation"
    __table_args__ = (
        # One open authorisation per taxpayer and person, held by the database against two racing grants.
        Index(
            "uq_authorisation_open",
            "taxpayer_id",
            "person_identifier",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
        Index("ix_authorisation_person", "person_identifier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The one-time id of the confirmation form: a resubmitted "Onayla" finds this row again.
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    # The person may not have logged in yet: named by TCKN and the name the taxpayer typed.
    person_identifier: Mapped[str] = mapped_column(String(11))
    person_name: Mapped[str] = mapped_column(String(250))
    role: Mapped[AuthorisationRole] = mapped_column(
        Enum(AuthorisationRole, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    valid_until: Mapped[date | None]  # the last day it holds (Europe/Istanbul); none: until revoked
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by: Mapped[str] = mapped_column(String(120))
    document_xml: Mapped[bytes] = mapped_column(LargeBinary)
    certificate_serial: Mapped[str] = mapped_column(String(64))
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(120))

    taxpayer: Mapped[Taxpayer] = relationship(lazy="joined", innerjoin=True)

    def state(self, today: date) -> AuthorisationState:
        if self.revoked_at is not None:
            return AuthorisationState.REVOKED
        if self.valid_until is not None and self.valid_until < today:
            return AuthorisationState.EXPIRED
        if self.accepted_at is None:
            return AuthorisationState.PENDING
        return AuthorisationState.ACTIVE
