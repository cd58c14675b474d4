"""e-Defter Arşivi's rules: the bounds of an upload, the Turkish reasons, and whether the file store is reachable."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

from app.archive.rules import clean_name  # noqa: F401  (one file-name hygiene for both archives)
from app.formats.safe_xml import format_size
from app.refusals import Refused
from app.storage import file_store

MAX_MEMBERS = 10_000  # files in one zip
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024  # a zip's members unpacked, as declared (each is counted as read too)
IMMEDIATE_BYTES = 8 * 1024 * 1024  # a smaller upload (a zip: its members unpacked) is checked in the request
IMMEDIATE_MEMBERS = 20
JOB_KIND = "edefter_arsivi"
STORAGE_UNREACHABLE = "Belge deposuna ulaşılamıyor"


class ArchiveRefused(Refused):
    """An upload or a request the e-Defter Arşivi cannot take."""


class FileRefused(Refused):
    """One file of an upload is not archived; ``message`` is its verdict's reason."""


def max_file_bytes() -> int:
    """One e-Defter file's bound: the yevmiye limit in force (PORTAL_EDEFTER_YEVMIYE_MAX_MB, the upload limit)."""
    return int(current_app.config["EDEFTER_YEVMIYE_MAX_BYTES"])


def too_big(size: int, limit: int) -> str:
    return f"Dosya çok büyük ({format_size(size)}); bir e-Defter dosyası en fazla {format_size(limit)} olabilir."


def not_xml(name: str) -> str:
    return f"{name}: yalnızca XBRL/XML (.xml) e-Defter dosyaları arşivlenebilir."


def storage_problem() -> str | None:
    """Why the file store cannot be used now, naming it (D9), or None. A store not created yet is fine when its
    nearest existing folder is writable (nothing is created on disk until the first file)."""
    root = Path(getattr(file_store(), "root", "") or "")
    if not str(root):
        return None
    probe = root
    while not probe.exists() and probe != probe.parent:  # the store makes its missing folders on the first put
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        return f"{STORAGE_UNREACHABLE} ({root}): klasör yok ya da yazılamıyor. Sistem yöneticinize bildiriniz."
    return None


def require_storage() -> None:
    problem = storage_problem()
    if problem is not None:
        raise ArchiveRefused(problem)
