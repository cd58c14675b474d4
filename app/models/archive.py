"""Belge Saklama (SPEC C10): a taxpayer's earlier signed documents kept in the file store, and the imports that
brought them (one file or a zip), with a verdict per member.

A document's bytes live in the content-addressed store (never changed); the row keeps what was read from it and
how its signature verified. ``(taxpayer_id, product, ettn)`` is unique: the same ETTN with the same bytes is a
duplicate (free), with other bytes it is refused.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


def _enum(enum_class: type[enum.Enum], length: int = 16) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class ImportStatus(enum.Enum):
    SIRADA = "sirada"
    SURUYOR = "suruyor"
    TAMAMLANDI = "tamamlandi"
    HATA = "hata"

    @property
    def label(self) -> str:
        return {"sirada": "Sırada", "suruyor": "Sürüyor", "tamamlandi": "Tamamlandı", "hata": "Hata"}[self.value]


class Verdict(enum.Enum):
    SAKLANDI = "saklandi"
    ZATEN_VAR = "zaten_var"
    REDDEDILDI = "reddedildi"

    @property
    def label(self) -> str:
        return {"saklandi": "Saklandı", "zaten_var": "Zaten saklanıyor", "reddedildi": "Reddedildi"}[self.value]


class ArchivedDocument(Base):
    """One stored document: what it is, who signed it, where its bytes are."""

    __tablename__ = "archived_document"
    __table_args__ = (
        UniqueConstraint("taxpayer_id", "product", "ettn", name="uq_archived_document_ettn"),
        Index("ix_archived_document_list", "taxpayer_id", "product", "issue_date", "id"),
        Index("ix_archived_document_number", "taxpayer_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    product: Mapped[str] = mapped_column(String(20))  # efatura, earsiv, eirsaliye, esmm, emm (app.integrator.catalogue)
    document_type: Mapped[str] = mapped_column(String(30))  # fatura, uygulama_yaniti, irsaliye, irsaliye_yaniti, …
    ettn: Mapped[str] = mapped_column(String(36))
    number: Mapped[str] = mapped_column(String(40))
    issue_date: Mapped[date] = mapped_column(Date)
    sender_identifier: Mapped[str] = mapped_column(String(11))
    sender_name: Mapped[str] = mapped_column(String(250))
    receiver_identifier: Mapped[str] = mapped_column(String(11))
    receiver_name: Mapped[str] = mapped_column(String(250))
    outgoing: Mapped[bool]  # the taxpayer is the sender (Giden) or the receiver (Gelen)
    filename: Mapped[str] = mapped_column(String(250))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    signer_identifier: Mapped[str] = mapped_column(String(11))
    signer_name: Mapped[str] = mapped_column(String(250))
    certificate_serial: Mapped[str] = mapped_column(String(64))
    signing_time: Mapped[datetime | None]
    charged: Mapped[int] = mapped_column(Integer)  # kontör taken for it (units or MB)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("archive_import.id", ondelete="RESTRICT"), index=True)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def counterparty(self) -> tuple[str, str]:
        if self.outgoing:
            return self.receiver_identifier, self.receiver_name
        return self.sender_identifier, self.sender_name


class ArchiveImport(Base):
    """One upload (a file or a zip) being stored by a job; ``processed`` members are decided and committed."""

    __tablename__ = "archive_import"
    __table_args__ = (Index("ix_archive_import_taxpayer", "taxpayer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(250))
    sha256: Mapped[str] = mapped_column(String(64))  # the upload itself, in the file store
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[ImportStatus] = mapped_column(_enum(ImportStatus), default=ImportStatus.SIRADA)
    total: Mapped[int] = mapped_column(Integer, default=0)  # members found (0 until counted)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    stored_count: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)
    refused_count: Mapped[int] = mapped_column(Integer, default=0)
    charged: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class ImportVerdict(Base):
    """What became of one member of an import (position = its place in the upload, from 0)."""

    __tablename__ = "archive_import_verdict"
    __table_args__ = (UniqueConstraint("import_id", "position", name="uq_archive_import_verdict_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("archive_import.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(250))
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict, 12))
    reason: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("archived_document.id", ondelete="SET NULL"))
