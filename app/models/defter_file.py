"""e-Defter creation (SPEC D5, D10): one creation per journal period, and the files it made.

A ``DefterCreation`` is prepared by a job (parts written, digests known, no PIN) and signed in the request in
which the user typed the PIN (every part, berat and the DR in one card login). ``DefterFile`` rows keep each
file's storage keys (content-addressed, ``app.storage``), sizes, digests, counts and numbering ranges.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.edefter import _enum


class CreationState(enum.Enum):
    PREPARING = "hazirlaniyor"
    PREPARED = "hazir"  # parts written and checked: waiting for the card
    SIGNING = "imzalaniyor"  # signed on the card; a job assembles, stores and verifies the big files
    SIGNED = "imzali"
    FAILED = "hata"

    @property
    def label(self) -> str:
        return {
            "hazirlaniyor": "Hazırlanıyor",
            "hazir": "İmza Bekleniyor",
            "imzalaniyor": "İmzalı dosyalar hazırlanıyor",
            "imzali": "İmzalandı",
            "hata": "Hata aldı",
        }[self.value]


class DefterCreation(Base):
    """The current creation of one journal period (re-creating a period replaces its files)."""

    __tablename__ = "defter_creation"
    __table_args__ = (UniqueConstraint("period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("journal_period.id", ondelete="CASCADE"))
    state: Mapped[CreationState] = mapped_column(_enum(CreationState), default=CreationState.PREPARING)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    max_part_bytes: Mapped[int] = mapped_column(BigInteger)
    first_entry_counter: Mapped[int] = mapped_column(Integer, default=1)
    last_entry_counter: Mapped[int | None] = mapped_column(Integer)
    first_line_number: Mapped[int] = mapped_column(Integer, default=1)
    last_line_number: Mapped[int | None] = mapped_column(Integer)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    # The DR's account table ([{main_id, description, debit_count, debit_total, credit_count, credit_total}]).
    movements: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)  # GİB rules a file broke (Turkish)
    error: Mapped[str | None] = mapped_column(String(1000))
    signer_serial: Mapped[str | None] = mapped_column(String(80))
    signer_name: Mapped[str | None] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    prepared_at: Mapped[datetime | None] = mapped_column()
    signed_at: Mapped[datetime | None] = mapped_column()


class DefterFileKind(enum.Enum):
    YEVMIYE = "Y"
    KEBIR = "K"
    YEVMIYE_BERAT = "YB"
    KEBIR_BERAT = "KB"
    DEFTER_RAPORU = "DR"

    @property
    def label(self) -> str:
        return {
            "Y": "Yevmiye defteri",
            "K": "Büyük defter (kebir)",
            "YB": "Yevmiye beratı",
            "KB": "Kebir beratı",
            "DR": "Defter raporu",
        }[self.value]


class DefterFile(Base):
    """One file of a creation. Defter parts exist unsigned after preparing; berats and the DR only once signed."""

    __tablename__ = "defter_file"
    __table_args__ = (
        UniqueConstraint("creation_id", "kind", "part_index"),
        Index("ix_defter_file_taxpayer", "taxpayer_id", "creation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    creation_id: Mapped[int] = mapped_column(ForeignKey("defter_creation.id", ondelete="CASCADE"))
    kind: Mapped[DefterFileKind] = mapped_column(_enum(DefterFileKind, 4))
    part_index: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(80))  # VKN-YYYYMM-Y-000000.xml
    unique_id: Mapped[str] = mapped_column(String(40))  # YEV…/KEB…/EDR… or the berat's UUID
    unsigned_key: Mapped[str | None] = mapped_column(String(64))
    unsigned_size: Mapped[int | None] = mapped_column(BigInteger)
    canonical_sha256: Mapped[str | None] = mapped_column(String(64))  # the Reference URI="" digest (hex)
    signed_key: Mapped[str | None] = mapped_column(String(64))
    signed_size: Mapped[int | None] = mapped_column(BigInteger)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    first_entry_counter: Mapped[int | None] = mapped_column(Integer)
    last_entry_counter: Mapped[int | None] = mapped_column(Integer)
    first_line_number: Mapped[int | None] = mapped_column(Integer)
    last_line_number: Mapped[int | None] = mapped_column(Integer)
    tax_totals: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # "391D" → "180.00"
    signature_value_id: Mapped[str | None] = mapped_column(String(120))
    # The ds:Signature made on the card for a defter part, until the job has put it into the signed file.
    signature_xml: Mapped[str | None] = mapped_column(Text)
    verification_ok: Mapped[bool | None] = mapped_column()
    verification_message: Mapped[str | None] = mapped_column(String(500))
    signed_at: Mapped[datetime | None] = mapped_column()
