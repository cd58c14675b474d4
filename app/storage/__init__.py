"""Content-addressed file storage: large files (e-Defter parts, archives, kept documents) by their SHA-256.

Rows keep the key, size and name; the bytes live here, written once and checked whenever they are read::

    stored = file_store().put(upload.stream, max_bytes=limit)    # StoredFile(sha256, size)
    with file_store().open(stored.sha256) as reader:             # raises StoredFileCorrupted on a mismatch
        shutil.copyfileobj(reader, destination, CHUNK_SIZE)

``init_app`` puts a ``LocalFileStore`` on ``PORTAL_STORAGE_PATH`` into ``app.extensions``. Decision
note 0008 and ``docs/storage.md`` describe the layout and what another backend must guarantee.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.storage.base import CHUNK_SIZE, FileStore, StoredFile, VerifiedReader, check_key
from app.storage.errors import (
    FileTooLarge,
    InvalidFileKey,
    StorageError,
    StorageReadError,
    StorageWriteError,
    StoredFileCorrupted,
    StoredFileMissing,
)
from app.storage.local import LocalFileStore

if TYPE_CHECKING:  # Flask is imported where it is used: Belge Saklama's checking processes load no Flask (note 0095)
    from flask import Flask

EXTENSION = "ebelge.storage"

__all__ = [
    "CHUNK_SIZE", "EXTENSION", "FileStore", "FileTooLarge", "InvalidFileKey", "LocalFileStore", "StorageError",
    "StorageReadError", "StorageWriteError", "StoredFile", "StoredFileCorrupted", "StoredFileMissing",
    "VerifiedReader", "check_key", "file_store", "init_app",
]  # fmt: skip


def init_app(app: Flask) -> None:
    """Attach the store configured by ``STORAGE_PATH``; nothing is created on disk until the first put."""
    app.extensions[EXTENSION] = LocalFileStore(app.config["STORAGE_PATH"])


def file_store() -> FileStore:
    """The current app's file store."""
    from flask import current_app

    return current_app.extensions[EXTENSION]
