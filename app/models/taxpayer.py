"""A taxpayer (mükellef): the company or person a certificate names, and whom a logged-in person acts for."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from app.db import Base, utcnow
from app.identifiers import InvalidIdentifier, kind_of_identifier


class TaxpayerKind(enum.Enum):
    """VKN for companies (tüzel kişi), TCKN for persons (gerçek kişi)."""

    TUZEL = "tuzel"
    GERCEK = "gercek"

    @property
    def label(self) -> str:
        return "Tüzel kişi (VKN)" if self is TaxpayerKind.TUZEL else "Gerçek kişi (TCKN)"


class Taxpayer(Base):
    __tablename__ = "taxpayer"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(11), unique=True)
    kind: Mapped[TaxpayerKind] = mapped_column(
        Enum(TaxpayerKind, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    unvan: Mapped[str] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @validates("identifier")
    def _validate_identifier(self, _key: str, value: str) -> str:
        kind = kind_of_identifier(value)  # raises InvalidIdentifier with a Turkish message
        self.kind = TaxpayerKind.TUZEL if kind == "VKN" else TaxpayerKind.GERCEK
        return value

    @validates("unvan")
    def _validate_unvan(self, _key: str, value: str) -> str:
        value = " ".join((value or "").split())
        if not value:
            raise InvalidIdentifier("Unvan veya adı soyadı boş olamaz.")
        return value

    @property
    def identifier_label(self) -> str:
        return "VKN" if self.kind is TaxpayerKind.TUZEL else "TCKN"

    def __repr__(self) -> str:
        return f"<Taxpayer {self.identifier} {self.unvan!r}>"
