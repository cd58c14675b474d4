"""e-Defter company records (SPEC D1–D4): settings, contracts, branches, yevmiye number verifications.

Each row belongs to one taxpayer and is read only through that taxpayer (``taxpayer_id``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


def _enum(enum_class: type[enum.Enum], length: int = 12) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class PeriodKind(enum.Enum):
    """Hesap dönemi: the calendar year, or a special period (özel hesap dönemi) granted by the Ministry."""

    TAKVIM = "takvim"
    OZEL = "ozel"

    @property
    def label(self) -> str:
        return "Takvim yılı" if self is PeriodKind.TAKVIM else "Özel hesap dönemi"


class BeratPeriod(enum.Enum):
    """How often berats are sent to GİB: every month, or every quarter (geçici vergi dönemi)."""

    AYLIK = "aylik"
    UC_AYLIK = "uc_aylik"

    @property
    def label(self) -> str:
        return "Aylık" if self is BeratPeriod.AYLIK else "Üç aylık (geçici vergi dönemi)"


class EdefterSettings(Base):
    """Firma Ayarları (SPEC D1): everything XBRL-GL ``entityInformation`` and the defter parts need."""

    __tablename__ = "edefter_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"), unique=True)
    period_kind: Mapped[PeriodKind] = mapped_column(_enum(PeriodKind))
    fiscal_year_start: Mapped[date] = mapped_column(Date)
    fiscal_year_end: Mapped[date] = mapped_column(Date)
    first_use_date: Mapped[date] = mapped_column(Date)  # e-Defter Uygulamasına İlk Geçiş Tarihi
    founded_on: Mapped[date] = mapped_column(Date)  # Firma Kuruluş Tarihi
    berat_period: Mapped[BeratPeriod] = mapped_column(_enum(BeratPeriod))
    split_size_mb: Mapped[int] = mapped_column(Integer)  # a defter part is split above this size
    gib_application_done: Mapped[bool] = mapped_column(Boolean)  # e-Defter başvurusu GİB'e yapıldı
    compatible_software_set: Mapped[bool] = mapped_column(Boolean)  # GİB'de "Uyumlu Yazılım" bu portal
    name: Mapped[str] = mapped_column(String(250))  # Kurum Unvanı (VKN) or Adı Soyadı (TCKN)
    building_number: Mapped[str] = mapped_column(String(20))
    street: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(60))
    postal_code: Mapped[str] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254))
    website: Mapped[str] = mapped_column(String(250))
    nace_code: Mapped[str] = mapped_column(String(8))  # İşletme Faaliyet Konusu, e.g. 62.01 or 47.11.01
    nace_description: Mapped[str] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContractKind(enum.Enum):
    """Who keeps (or certifies) the books: a free accountant, or the company's own accounting office."""

    SM = "SM"
    SMMM = "SMMM"
    YMM = "YMM"
    BUNYE = "BUNYE"  # books kept in-house: the contract fields are "-"

    @property
    def label(self) -> str:
        return {
            "SM": "SM (Serbest Muhasebeci)",
            "SMMM": "SMMM (Serbest Muhasebeci Mali Müşavir)",
            "YMM": "YMM (Yeminli Mali Müşavir)",
            "BUNYE": "İşletme bünyesinde (muhasebe bölüm yetkilisi)",
        }[self.value]

    @property
    def short_label(self) -> str:
        return "İşletme bünyesi" if self is ContractKind.BUNYE else self.value

    @property
    def keeps_books(self) -> bool:
        return self is not ContractKind.YMM


class AccountingContract(Base):
    """Sözleşme Ayarları (SPEC D2): one SM/SMMM/YMM contract, or the in-house accounting officer."""

    __tablename__ = "edefter_contract"
    __table_args__ = (Index("ix_edefter_contract_taxpayer", "taxpayer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    kind: Mapped[ContractKind] = mapped_column(_enum(ContractKind, 5))
    title: Mapped[str] = mapped_column(String(250))  # unvan (of the accountant, or of the in-house officer)
    person_name: Mapped[str] = mapped_column(String(120))  # adı soyadı
    description: Mapped[str] = mapped_column(String(250))  # sözleşme açıklaması, "-" in-house
    contract_type: Mapped[str] = mapped_column(String(120))  # sözleşme çeşidi, "-" in-house
    contract_date: Mapped[date | None] = mapped_column(Date)  # none in-house
    contract_number: Mapped[str] = mapped_column(String(60))  # "-" in-house
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EdefterBranch(Base):
    """Şube Ayarları (SPEC D3): a branch whose books carry ``Şube No`` and ``Şube Adı``."""

    __tablename__ = "edefter_branch"
    __table_args__ = (UniqueConstraint("taxpayer_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def display(self) -> str:
        return f"{self.code} {self.name}"


class YevmiyeVerification(Base):
    """Yevmiye Numarası Doğrulama (SPEC D4): the previous integrator's last yevmiye, as read and checked.

    The latest row of a branch (or of the unbranched company) says where its numbering continues.
    """

    __tablename__ = "edefter_yevmiye_verification"
    __table_args__ = (
        Index("ix_edefter_yevmiye_verification_scope", "taxpayer_id", "branch_id", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    # A branch with ledgers cannot be deleted: the database refuses it too.
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("edefter_branch.id", ondelete="RESTRICT"))
    branch_code: Mapped[str | None] = mapped_column(String(4))
    branch_name: Mapped[str | None] = mapped_column(String(120))
    unique_id: Mapped[str] = mapped_column(String(40))  # gl-cor:uniqueID, e.g. YEV202403000001
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    entry_count: Mapped[int] = mapped_column(Integer)
    first_entry_counter: Mapped[int] = mapped_column(BigInteger)
    last_entry_counter: Mapped[int] = mapped_column(BigInteger)
    last_entry_number: Mapped[str] = mapped_column(String(60))
    last_line_number: Mapped[str] = mapped_column(String(30))
    signature_status: Mapped[str] = mapped_column(String(12))  # app.formats.xbrl.signature_check.SignatureStatus
    signature_message: Mapped[str] = mapped_column(String(500))
    signer_serial: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    file_size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    in_zip: Mapped[bool] = mapped_column(Boolean)
    verified_at: Mapped[datetime] = mapped_column(default=utcnow)

    branch: Mapped[EdefterBranch | None] = relationship()

    @property
    def next_entry_counter(self) -> int:
        return self.last_entry_counter + 1
