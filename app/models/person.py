"""A person: whoever logged in with a card — a company's mali mühür (VKN) or a person's e-imza (TCKN).

The person is who acts; the taxpayer (``Taxpayer``) is whom they act for. A mali mühür login acts for its
company; an e-imza login for the person's own TCKN taxpayer and for every taxpayer that authorised them
(``Authorisation``). Decision note 0071.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from app.db import Base, utcnow
from app.identifiers import kind_of_identifier


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(11), unique=True)  # the certificate's VKN or TCKN
    name: Mapped[str] = mapped_column(String(250))  # as the certificate names its holder
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    @validates("identifier")
    def _validate_identifier(self, _key: str, value: str) -> str:
        kind_of_identifier(value)  # raises InvalidIdentifier with a Turkish message
        return value

    @property
    def identifier_label(self) -> str:
        return "VKN" if len(self.identifier) == 10 else "TCKN"

    @property
    def is_company(self) -> bool:
        """A company's mali mühür: it acts for that company alone and cannot be authorised by others."""
        return len(self.identifier) == 10

    @property
    def display(self) -> str:
        return f"{self.identifier} {self.name}"[:120]

    # flask-login's user protocol. The id is marked, so a session from before persons existed (a bare
    # taxpayer id) is not taken for a person's.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"kisi-{self.id}"

    def __repr__(self) -> str:
        return f"<Person {self.identifier} {self.name!r}>"


class RecentTaxpayer(Base):
    """When a person last chose a taxpayer in Firma Seç: the list shows the last ones first."""

    __tablename__ = "person_recent_taxpayer"
    __table_args__ = (UniqueConstraint("person_id", "taxpayer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)
