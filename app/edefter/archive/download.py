"""A zip of one archived period (every kind, one branch), written while it is sent, with a SHA256SUMS manifest.

One file's chunk in memory at a time; each member is the original bytes, hash checked as read from the store."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from app.archive.download import _Sink  # Belge Saklama's zip sink: the same streaming writer
from app.models.edefter_archive import EdefterArchiveEntry
from app.storage import CHUNK_SIZE, file_store

_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


def member_names(entries: list[EdefterArchiveEntry]) -> list[str]:
    """Safe, distinct names: the file's own name, numbered when two share one."""
    seen: set[str] = set()
    names = []
    for entry in entries:
        base = _UNSAFE.sub("_", entry.file_name).strip("._") or f"dosya-{entry.id}.xml"
        name, number = base, 0
        while name in seen:  # "<id>-name" may itself be another file's name
            number += 1
            name = f"{entry.id}-{number}-{base}" if number > 1 else f"{entry.id}-{base}"
        seen.add(name)
        names.append(name)
    return names


def stream_period_zip(entries: list[EdefterArchiveEntry]) -> Iterator[bytes]:
    sink = _Sink()
    names = member_names(entries)
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:  # type: ignore[arg-type]
        for entry, name in zip(entries, names):
            with file_store().open(entry.sha256) as reader, archive.open(name, "w", force_zip64=True) as member:
                for chunk in reader.iter_chunks(CHUNK_SIZE):
                    member.write(chunk)
                    yield sink.take()
            yield sink.take()
        manifest = "".join(f"{entry.sha256}  {name}\n" for entry, name in zip(entries, names))
        archive.writestr("SHA256SUMS.txt", manifest)
    yield sink.take()
