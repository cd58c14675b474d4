"""A signed period as one zip: every signed file and GİB's approved (sealed) berats, streamed from the store, and a
manifest of SHA-256 sums naming every file in the zip (SHA256SUMS.txt, sha256sum's format)."""

from __future__ import annotations

import hashlib
import zipfile
from typing import BinaryIO

from sqlalchemy import select

from app.db import get_session
from app.edefter.creation.refusals import CreationRefused
from app.models import DefterCreation, DefterFile, DefterSubmission, SubmissionState
from app.models.defter_file import CreationState
from app.storage import CHUNK_SIZE, file_store

MANIFEST = "SHA256SUMS.txt"


def signed_files(creation: DefterCreation) -> list[DefterFile]:
    return list(get_session().scalars(
        select(DefterFile).where(DefterFile.creation_id == creation.id, DefterFile.signed_key.is_not(None))
        .order_by(DefterFile.kind, DefterFile.part_index)))


def write_zip(creation: DefterCreation, target: BinaryIO) -> list[tuple[str, str, int]]:
    """Write the zip to ``target``; return the manifest lines (name, sha256, size)."""
    if creation.state is not CreationState.SIGNED:
        raise CreationRefused("Yalnızca imzalanmış bir dönem dışa aktarılabilir.")
    manifest: list[tuple[str, str, int]] = []
    entries = [(item.file_name, item.signed_key) for item in signed_files(creation)]
    entries += [(row.approved_file_name, row.approved_key) for row in approved_berats(creation)]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for name, key in entries:
            assert key is not None and name is not None
            digest = hashlib.sha256()
            size = 0
            with file_store().open(key) as reader, archive.open(name, "w", force_zip64=True) as out:
                while chunk := reader.read(CHUNK_SIZE):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            manifest.append((name, digest.hexdigest(), size))
        archive.writestr(MANIFEST, "".join(f"{sha}  {name}\n" for name, sha, _ in manifest))
    return manifest


def approved_berats(creation: DefterCreation) -> list[DefterSubmission]:
    """GİB's sealed berats kept for the creation's files (GIB-VKN-YYYYMM-YB-000001.xml …)."""
    return list(get_session().scalars(
        select(DefterSubmission).where(DefterSubmission.creation_id == creation.id,
                                       DefterSubmission.state == SubmissionState.APPROVED,
                                       DefterSubmission.approved_key.is_not(None))
        .order_by(DefterSubmission.kind, DefterSubmission.part_index)))
