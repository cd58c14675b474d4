"""The file store on the real filesystem under the test's temporary folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.storage import LocalFileStore
from app.storage.local import READ_ONLY


@pytest.fixture
def store(tmp_path: Path) -> LocalFileStore:
    return LocalFileStore(tmp_path / "depo")


def stored_files(store: LocalFileStore) -> list[Path]:
    """Every file under the store's root, temporary ones included."""
    return sorted(path for path in store.root.rglob("*") if path.is_file())


@pytest.fixture
def damage(store: LocalFileStore) -> Callable[..., None]:
    """Change a stored file on disk behind the store's back (a bit rot, an operator's edit)."""

    def change(sha256: str, *, flip_at: int | None = None, truncate_to: int | None = None,
               append: bytes = b"") -> None:
        path = store.path_for(sha256)
        os.chmod(path, 0o644)
        with open(path, "r+b") as handle:
            if flip_at is not None:
                handle.seek(flip_at)
                byte = handle.read(1)
                handle.seek(flip_at)
                handle.write(bytes([byte[0] ^ 0x01]))
            if truncate_to is not None:
                handle.truncate(truncate_to)
            if append:
                handle.seek(0, os.SEEK_END)
                handle.write(append)
        os.chmod(path, READ_ONLY)

    return change
