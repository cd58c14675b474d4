"""Seeding "Yevmiye Numarası Doğrulama" from an archived yevmiye: one click, through the verification code path
itself (``app.edefter.company.verification.verify_kept_yevmiye``): the stored file is read, its GİB rules and
signature checked again, and the numbering recorded exactly as for an uploaded file."""

from __future__ import annotations

from sqlalchemy import select

from app.cards import trust_anchors
from app.db import get_session
from app.edefter.archive import queries, rules
from app.edefter.company.upload import StoredUpload
from app.edefter.company.verification import verify_kept_yevmiye
from app.models import EdefterBranch, Taxpayer, YevmiyeVerification
from app.models.edefter_archive import ArchiveKind, EdefterArchiveEntry
from app.storage import file_store


def seed_numbering(taxpayer: Taxpayer, entry_id: int) -> YevmiyeVerification:
    """Record where the numbering stands after the archived yevmiye ``entry_id`` (the last part of its period)."""
    entry = queries.entry_of(taxpayer.id, entry_id)
    if entry is None:
        raise rules.ArchiveRefused("Arşiv kaydı bulunamadı.")
    if not queries.seedable(entry):
        raise rules.ArchiveRefused("Yalnızca imzası doğrulanmış bir yevmiye defteri numaralandırmayı belirleyebilir.")
    later = get_session().scalar(select(EdefterArchiveEntry.id).where(
        EdefterArchiveEntry.taxpayer_id == taxpayer.id, EdefterArchiveEntry.kind == ArchiveKind.YEVMIYE,
        EdefterArchiveEntry.year == entry.year, EdefterArchiveEntry.month == entry.month,
        EdefterArchiveEntry.branch_code == entry.branch_code, EdefterArchiveEntry.part > entry.part))
    if later is not None:
        raise rules.ArchiveRefused("Bu dosya dönemin son yevmiye parçası değil; numaralandırma dönemin son "
                                   "parçasından belirlenir.")
    branch_id = None
    if entry.branch_code:
        branch_id = get_session().scalar(select(EdefterBranch.id).where(EdefterBranch.taxpayer_id == taxpayer.id,
                                                                       EdefterBranch.code == entry.branch_code))
        if branch_id is None:
            raise rules.ArchiveRefused(f"{entry.branch_code} kodlu şube Firma Ayarları'nda yok; önce şubeyi ekleyiniz.")
    rules.require_storage()
    path = file_store().verified_path(entry.sha256)  # type: ignore[attr-defined]
    kept = StoredUpload(path, entry.file_name, entry.size, entry.sha256)
    verification, _check = verify_kept_yevmiye(taxpayer, branch_id, kept, trust_anchors(), max(entry.size, 1))
    return verification
