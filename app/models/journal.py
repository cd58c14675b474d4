"""e-Defter journal (SPEC D5): a period's yevmiye entries as they arrive from an accounting program or a spreadsheet.

A ``JournalPeriod`` is one month of one ledger (the company's, or a branch's); its entries arrive in batches
(``JournalBatch``: one API post, one upload) that are accepted whole or refused whole. The creation of the
defter files reads the entries in date order and numbers them (``entryNumberCounter``, ``lineNumber``) then;
what arrives keeps the numbers the accounting program gave (``entry_number``: the fiş/madde no).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.edefter import _enum


class JournalPeriodState(enum.Enum):
    """Where a period is on its way to GİB; entries can be added or deleted only while it is OPEN."""

    OPEN = "acik"
    CREATED = "olusturuldu"
    SIGNED = "imzalandi"
    SENT = "gonderildi"
    APPROVED = "onaylandi"
    FAILED = "hata"

    @property
    def label(self) -> str:
        return _PERIOD_STATE_LABELS[self]


_PERIOD_STATE_LABELS = {
    JournalPeriodState.OPEN: "Kayıt Alınıyor",
    JournalPeriodState.CREATED: "Oluşturuldu",
    JournalPeriodState.SIGNED: "İmzalandı",
    JournalPeriodState.SENT: "Gönderildi",
    JournalPeriodState.APPROVED: "GİB Onaylandı",
    JournalPeriodState.FAILED: "Hata",
}


class JournalSource(enum.Enum):
    API = "api"
    UPLOAD = "yukleme"
    CLI = "komut"

    @property
    def label(self) -> str:
        return {"api": "Web servis (API)", "yukleme": "Dosya yükleme", "komut": "Komut satırı"}[self.value]


class ApiKeyScope(enum.Enum):
    """What an accounting program may do with a key (each scope includes the ones above it)."""

    READ = "okuma"  # read periods and entries
    WRITE = "yazma"  # and post / delete entries
    LEDGER = "defter"  # and create, sign and download the period's e-Defter

    @property
    def label(self) -> str:
        return {"okuma": "Okuma", "yazma": "Kayıt gönderme", "defter": "Kayıt gönderme ve defter oluşturma"}[self.value]

    def allows(self, needed: ApiKeyScope) -> bool:
        order = list(ApiKeyScope)
        return order.index(self) >= order.index(needed)


class ApiKey(Base):
    """A taxpayer's key for /api/v1 (decision note 0101): only the SHA-256 of the secret is kept.

    ``prefix`` is the public part of the key (shown on the page, used to find the row); ``rate_window_*`` is the
    per-key request counter of the current minute, kept in the database so every gunicorn worker shares it.
    """

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[ApiKeyScope] = mapped_column(_enum(ApiKeyScope))
    prefix: Mapped[str] = mapped_column(String(24), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[date | None] = mapped_column(Date)  # the last day it works (Istanbul), None: no end
    revoked_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    rate_window_start: Mapped[datetime | None] = mapped_column()
    rate_window_count: Mapped[int] = mapped_column(Integer, default=0)


class JournalPeriod(Base):
    """One month of one ledger: the company's (``branch_code`` empty) or a branch's (its Şube No)."""

    __tablename__ = "journal_period"
    __table_args__ = (UniqueConstraint("taxpayer_id", "branch_code", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    branch_code: Mapped[str] = mapped_column(String(4), default="")
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    state: Mapped[JournalPeriodState] = mapped_column(_enum(JournalPeriodState), default=JournalPeriodState.OPEN)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def label(self) -> str:
        return f"{self.year}/{self.month:02d}"


class JournalBatch(Base):
    """One arrival of entries (an API post, an uploaded file, a CLI import): all of it or none of it is kept."""

    __tablename__ = "journal_batch"
    __table_args__ = (
        Index("ix_journal_batch_period", "period_id", "received_at"),
        UniqueConstraint("period_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("journal_period.id", ondelete="CASCADE"))
    source: Mapped[JournalSource] = mapped_column(_enum(JournalSource))
    actor: Mapped[str] = mapped_column(String(200))  # who sent it: "API anahtarı: Muhasebe", a person's name
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the API body the key was used with
    file_name: Mapped[str | None] = mapped_column(String(255))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id", ondelete="SET NULL"))
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class JournalEntry(Base):
    """One yevmiye madde as the accounting program sent it."""

    __tablename__ = "journal_entry"
    __table_args__ = (
        Index("ix_journal_entry_order", "period_id", "entry_date", "id"),
        Index("ix_journal_entry_number", "period_id", "entry_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("journal_period.id", ondelete="CASCADE"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("journal_batch.id", ondelete="CASCADE"), index=True)
    entry_number: Mapped[str] = mapped_column(String(50))  # madde/fiş no → gl-cor:entryNumber
    entry_date: Mapped[date] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(String(500), default="")


class JournalLine(Base):
    """One line (gl-cor:entryDetail) of a madde; ``period_id`` repeated so the kebir groups without a join."""

    __tablename__ = "journal_line"
    __table_args__ = (
        Index("ix_journal_line_entry", "entry_id", "line_no"),
        Index("ix_journal_line_account", "period_id", "account_main_id", "account_sub_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("journal_period.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entry.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)  # 1.. within the madde, in the order sent
    account_main_id: Mapped[str] = mapped_column(String(4))
    account_main_description: Mapped[str] = mapped_column(String(250))
    account_sub_id: Mapped[str | None] = mapped_column(String(50))
    account_sub_description: Mapped[str | None] = mapped_column(String(250))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    side: Mapped[str] = mapped_column(String(1))  # "D" borç, "C" alacak
    document_type: Mapped[str | None] = mapped_column(String(20))  # GİB's list: invoice, check, …
    document_type_description: Mapped[str | None] = mapped_column(String(100))
    document_number: Mapped[str | None] = mapped_column(String(50))
    document_date: Mapped[date | None] = mapped_column(Date)
    payment_method: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(String(500))
