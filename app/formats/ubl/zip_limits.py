"""Read a zip's end record before zipfile does, so a huge central directory is refused unparsed.

zipfile.ZipFile builds one ZipInfo object per central-directory entry as soon as it opens an
archive; a small upload with millions of empty entries would need gigabytes. This mirrors how
zipfile (3.11) finds the end record, including a Zip64 end record that overrides the classic one.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import BinaryIO, Final

_END = struct.Struct("<4s4H2LH")  # end of central directory record (22 bytes + comment)
_END_SIGNATURE: Final = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE: Final = b"PK\x06\x07"
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")
_ZIP64_END_SIGNATURE: Final = b"PK\x06\x06"
_COMMENT_WINDOW: Final = 1 << 16  # as zipfile searches it


@dataclass(frozen=True, slots=True)
class CentralDirectory:
    entries: int
    size: int  # bytes


def central_directory(archive: BinaryIO) -> CentralDirectory | None:
    """Entry count and size the archive declares, or None when there is no end record (not a zip)."""
    archive.seek(0, os.SEEK_END)
    file_size = archive.tell()
    tail_size = min(file_size, _END.size + _COMMENT_WINDOW)
    archive.seek(file_size - tail_size)
    tail = archive.read(tail_size)
    if tail[-_END.size : -_END.size + 4] == _END_SIGNATURE and tail[-2:] == b"\0\0":
        position = len(tail) - _END.size
    else:
        position = tail.rfind(_END_SIGNATURE)
        if position < 0 or position + _END.size > len(tail):
            return None
    fields = _END.unpack_from(tail, position)
    found = CentralDirectory(entries=fields[4], size=fields[5])
    return _zip64_override(archive, file_size - tail_size + position) or found


def _zip64_override(archive: BinaryIO, end_offset: int) -> CentralDirectory | None:
    start = end_offset - _ZIP64_LOCATOR.size - _ZIP64_END.size
    if start < 0:
        return None
    archive.seek(start)
    block = archive.read(_ZIP64_END.size + _ZIP64_LOCATOR.size)
    if _ZIP64_LOCATOR.unpack_from(block, _ZIP64_END.size)[0] != _ZIP64_LOCATOR_SIGNATURE:
        return None
    record = _ZIP64_END.unpack_from(block)
    if record[0] != _ZIP64_END_SIGNATURE:
        return None
    return CentralDirectory(entries=record[7], size=record[8])
