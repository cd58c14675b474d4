"""A zip of chosen stored documents, written while it is sent: one document in memory at a time.

Each member is the original bytes (hash checked as they are read from the store) under a name that cannot
collide or climb out of a folder.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from app.models import ArchivedDocument
from app.storage import CHUNK_SIZE, file_store

_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


def member_name(document: ArchivedDocument) -> str:
    return f"{_UNSAFE.sub('_', document.number)}_{document.ettn}.xml"


class _Sink:
    """A write-only file zipfile writes into; what it wrote is taken out chunk by chunk."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def stream_zip(documents: list[ArchivedDocument]) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for document in documents:
            with file_store().open(document.sha256) as reader, archive.open(member_name(document), "w") as member:
                for chunk in reader.iter_chunks(CHUNK_SIZE):
                    member.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
