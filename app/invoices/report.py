"""What an import did: counts, invoice numbers and every refusal, shown on the page and kept in its audit entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

IMPORT_AUDIT_ACTION = "fatura_yuklendi"
# The audit entry keeps at most this many numbers and reasons per list; the counts are always exact.
LISTED_AT_MOST = 200


@dataclass(frozen=True)
class Refusal:
    filename: str
    message: str
    number: str | None = None  # None: the whole file was refused


@dataclass
class ImportReport:
    filename: str = ""
    imported: list[str] = field(default_factory=list)  # invoice numbers stored by this import
    already_registered: list[str] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    uploader_only: list[str] = field(default_factory=list)  # of ``imported``: unsigned, seen by the uploader only
    audit_id: int | None = None  # the import's audit entry, once committed

    @property
    def stored_anything(self) -> bool:
        """True when the upload was worth recording: new invoices, or ones that were already there."""
        return bool(self.imported or self.already_registered)

    def fresh_copy(self) -> "ImportReport":
        """The same file's refusals so far, nothing stored yet (a transaction fills the copy)."""
        return ImportReport(self.filename, refusals=list(self.refusals))

    def summary(self) -> "ImportSummary":
        return ImportSummary(
            filename=self.filename,
            imported=len(self.imported),
            uploader_only=len(self.uploader_only),
            already_registered=len(self.already_registered),
            refused_files=sum(1 for r in self.refusals if r.number is None),
            refused_invoices=sum(1 for r in self.refusals if r.number is not None),
            imported_numbers=tuple(self.imported[:LISTED_AT_MOST]),
            already_numbers=tuple(self.already_registered[:LISTED_AT_MOST]),
            reasons=tuple(self.refusals[:LISTED_AT_MOST]),
        )


@dataclass(frozen=True)
class ImportSummary:
    """The import's result as the page shows it; stored as the details of the import's audit entry."""

    filename: str
    imported: int
    already_registered: int
    refused_files: int
    refused_invoices: int
    imported_numbers: tuple[str, ...] = ()
    already_numbers: tuple[str, ...] = ()
    reasons: tuple[Refusal, ...] = ()
    uploader_only: int = 0  # of ``imported``: unsigned (demo mode), visible to the uploader only

    @property
    def text(self) -> str:
        """E.g. "12 fatura alındı, 2 zaten kayıtlı, 1 dosya reddedildi." (the reasons are listed apart)."""
        parts = [f"{self.imported} fatura alındı"]
        if self.uploader_only:
            parts[0] += f" (bunlardan {self.uploader_only} tanesi imzasız olduğu için yalnızca size görünür)"
        if self.already_registered:
            parts.append(f"{self.already_registered} zaten kayıtlı")
        if self.refused_files:
            parts.append(f"{self.refused_files} dosya reddedildi")
        if self.refused_invoices:
            parts.append(f"{self.refused_invoices} fatura reddedildi")
        return ", ".join(parts) + "."

    @property
    def unlisted_reasons(self) -> int:
        return self.refused_files + self.refused_invoices - len(self.reasons)

    def to_details(self) -> dict[str, Any]:
        return {
            "dosya": self.filename,
            "alinan": self.imported,
            "imzasiz_yalnizca_yukleyen": self.uploader_only,
            "zaten_kayitli": self.already_registered,
            "reddedilen_dosya": self.refused_files,
            "reddedilen_fatura": self.refused_invoices,
            "alinan_faturalar": list(self.imported_numbers),
            "zaten_kayitli_faturalar": list(self.already_numbers),
            "nedenler": [[r.filename, r.number, r.message] for r in self.reasons],
        }

    @classmethod
    def from_details(cls, details: dict[str, Any]) -> "ImportSummary":
        return cls(
            filename=details.get("dosya", ""),
            imported=details.get("alinan", 0),
            uploader_only=details.get("imzasiz_yalnizca_yukleyen", 0),
            already_registered=details.get("zaten_kayitli", 0),
            refused_files=details.get("reddedilen_dosya", 0),
            refused_invoices=details.get("reddedilen_fatura", 0),
            imported_numbers=tuple(details.get("alinan_faturalar", ())),
            already_numbers=tuple(details.get("zaten_kayitli_faturalar", ())),
            reasons=tuple(Refusal(filename, message, number) for filename, number, message in details.get("nedenler", ())),
        )
