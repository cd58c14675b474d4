"""e-Defter Arşivi (SPEC D8): the company's defter files kept unchanged, the uploads that brought them, and which
of its own approved periods are kept.

An entry's bytes live in the content-addressed store (never changed); the row keeps what was read from the file
and how it was checked. ``(taxpayer_id, sha256)`` is unique: the same bytes twice are one entry (free the second
time). Entries of the company's own periods point at the same storage keys as the Defter Oluştur files (no copy).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


def _enum(enum_class: type[enum.Enum], length: int = 12) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class ArchiveKind(enum.Enum):
    YEVMIYE = "Y"
    KEBIR = "K"
    YEVMIYE_BERAT = "YB"
    KEBIR_BERAT = "KB"
    DEFTER_RAPORU = "DR"
    GIB_YEVMIYE_BERAT = "GYB"  # GİB's sealed (approved) yevmiye beratı
    GIB_KEBIR_BERAT = "GKB"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ArchiveKind.YEVMIYE: "Yevmiye defteri",
    ArchiveKind.KEBIR: "Büyük defter (kebir)",
    ArchiveKind.YEVMIYE_BERAT: "Yevmiye beratı",
    ArchiveKind.KEBIR_BERAT: "Kebir beratı",
    ArchiveKind.DEFTER_RAPORU: "Defter raporu",
    ArchiveKind.GIB_YEVMIYE_BERAT: "GİB onaylı yevmiye beratı",
    ArchiveKind.GIB_KEBIR_BERAT: "GİB onaylı kebir beratı",
}


class ArchiveOrigin(enum.Enum):
    UPLOAD = "yukleme"  # uploaded: earlier years, another integrator
    OWN_PERIOD = "donem"  # a period created, signed and approved here

    @property
    def label(self) -> str:
        return "Yüklendi" if self is ArchiveOrigin.UPLOAD else "Portalda oluşturuldu"


class ArchiveUploadStatus(enum.Enum):
    SIRADA = "sirada"
    SURUYOR = "suruyor"
    TAMAMLANDI = "tamamlandi"
    HATA = "hata"

    @property
    def label(self) -> str:
        return {"sirada": "Sırada", "suruyor": "Sürüyor", "tamamlandi": "Tamamlandı", "hata": "Hata"}[self.value]


class ArchiveVerdict(enum.Enum):
    SAKLANDI = "saklandi"
    ZATEN_VAR = "zaten_var"
    REDDEDILDI = "reddedildi"

    @property
    def label(self) -> str:
        return {"saklandi": "Saklandı", "zaten_var": "Zaten arşivde", "reddedildi": "Reddedildi"}[self.value]


class PeriodKeeping(enum.Enum):
    ARSIVLENDI = "arsivlendi"
    BEKLIYOR = "bekliyor"  # not archived yet (kontör short): the reason is kept, "Arşive Al" retries

    @property
    def label(self) -> str:
        return "Arşivlendi" if self is PeriodKeeping.ARSIVLENDI else "Henüz arşivlenmedi"


class EdefterArchiveEntry(Base):
    """One kept e-Defter file: what it is, whose, which period, who signed it, where its bytes are."""

    __tablename__ = "edefter_archive_entry"
    __table_args__ = (
        UniqueConstraint("taxpayer_id", "sha256", name="uq_edefter_archive_entry_sha256"),
        Index("ix_edefter_archive_entry_list", "taxpayer_id", "year", "month", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    kind: Mapped[ArchiveKind] = mapped_column(_enum(ArchiveKind, 4))
    origin: Mapped[ArchiveOrigin] = mapped_column(_enum(ArchiveOrigin))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    branch_code: Mapped[str] = mapped_column(String(4), default="")  # "" for an unbranched defter
    part: Mapped[int] = mapped_column(Integer, default=0)  # the part number of the uniqueID (0 when it has none)
    unique_id: Mapped[str] = mapped_column(String(40), default="")
    file_name: Mapped[str] = mapped_column(String(250))
    sha256: Mapped[str] = mapped_column(String(64))  # also its key in the file store
    size: Mapped[int] = mapped_column(BigInteger)
    signer_identifier: Mapped[str] = mapped_column(String(11), default="")
    signer_name: Mapped[str] = mapped_column(String(250), default="")
    certificate_serial: Mapped[str] = mapped_column(String(80), default="")
    signing_time: Mapped[datetime | None]
    checks: Mapped[str] = mapped_column(String(500), default="")  # what was checked, in Turkish (XSD note included)
    last_entry_counter: Mapped[int | None] = mapped_column(Integer)  # a yevmiye's last madde number
    charged: Mapped[int] = mapped_column(Integer, default=0)  # MB of kontör taken for it
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("edefter_archive_upload.id", ondelete="RESTRICT"),
                                                  index=True)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("journal_period.id", ondelete="SET NULL"), index=True)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


class EdefterArchiveUpload(Base):
    """One upload (a file or a zip); ``processed`` members are decided and committed."""

    __tablename__ = "edefter_archive_upload"
    __table_args__ = (Index("ix_edefter_archive_upload_taxpayer", "taxpayer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(250))
    sha256: Mapped[str] = mapped_column(String(64))  # the upload itself, in the file store
    size: Mapped[int] = mapped_column(BigInteger)
    expected_year: Mapped[int | None] = mapped_column(Integer)  # the period the user said the files are of
    expected_month: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[ArchiveUploadStatus] = mapped_column(_enum(ArchiveUploadStatus), default=ArchiveUploadStatus.SIRADA)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    stored_count: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)
    refused_count: Mapped[int] = mapped_column(Integer, default=0)
    charged: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class EdefterArchiveVerdict(Base):
    """What became of one member of an upload (position = its place in the upload, from 0)."""

    __tablename__ = "edefter_archive_verdict"
    __table_args__ = (UniqueConstraint("upload_id", "position", name="uq_edefter_archive_verdict_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("edefter_archive_upload.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(250))
    kind: Mapped[ArchiveKind | None] = mapped_column(_enum(ArchiveKind, 4))
    verdict: Mapped[ArchiveVerdict] = mapped_column(_enum(ArchiveVerdict))
    reason: Mapped[str] = mapped_column(Text, default="")
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("edefter_archive_entry.id", ondelete="SET NULL"))


class EdefterArchivePeriod(Base):
    """Whether one of the company's own approved periods is in the archive, or why not yet."""

    __tablename__ = "edefter_archive_period"
    __table_args__ = (UniqueConstraint("period_id", name="uq_edefter_archive_period_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("journal_period.id", ondelete="CASCADE"))
    state: Mapped[PeriodKeeping] = mapped_column(_enum(PeriodKeeping))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    file_count: Mapped[int] = mapped_column(Integer, default=0)
    charged: Mapped[int] = mapped_column(Integer, default=0)
    archived_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
