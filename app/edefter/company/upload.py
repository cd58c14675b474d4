"""An uploaded yevmiye copied, chunk by chunk, to a temporary file that is removed afterwards.

The copy hashes and counts as it goes and stops at the size bound, so a file of hundreds of MB never
sits in memory; the core reader and the signature check then read the file from disk (decision 0062).
"""

from __future__ import annotations

import hashlib
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from app.formats.xbrl.source import too_big

CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class StoredUpload:
    path: Path
    file_name: str  # the name the user's browser sent, without any folder
    size: int
    sha256: str


def plain_file_name(name: str | None) -> str:
    """The last part of a browser-sent name (some send C:\\folder\\file.xml), at most 255 characters."""
    name = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    return (name or "yevmiye.xml")[-255:]


@contextmanager
def stored_upload(stream: BinaryIO, file_name: str | None, max_bytes: int) -> Iterator[StoredUpload]:
    """Yield the upload as a temporary file; raise the core's YevmiyeReadError (TOO_BIG) past ``max_bytes``."""
    with tempfile.NamedTemporaryFile(prefix="yevmiye-", suffix=".upload") as handle:
        digest = hashlib.sha256()
        size = 0
        while chunk := stream.read(CHUNK_SIZE):
            size += len(chunk)
            if size > max_bytes:
                raise too_big(max_bytes)
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        yield StoredUpload(Path(handle.name), plain_file_name(file_name), size, digest.hexdigest())
