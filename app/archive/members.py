"""The members of an upload kept in the file store: one .xml, or every file of a .zip, read one at a time.

A zip's end record is read before anything else (``app.formats.ubl.zip_limits``), so an archive declaring more
members or bytes than allowed is refused before any entry is read. The central directory is then walked as a
stream, twice (once to count and sum the declared sizes, once to read), without keeping an entry: zipfile's
``ZipInfo`` list cost ~65 MB for 100,000 members (decision note 0095). Each member is handed on *packed* (as stored
in the zip, at most ``MAX_DOCUMENT_BYTES`` declared) and unpacked by ``unpack`` where it is checked — in a checking
process when there is a pool — by zipfile's own reader, which stops at the declared size and checks the CRC.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from app.archive import rules
from app.formats.safe_xml import format_size
from app.formats.ubl.zip_limits import central_directory

SYSTEM_PREFIXES = ("__MACOSX/",)
SYSTEM_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")
UNREADABLE = "Arşivdeki dosya açılamadı (bozuk ya da desteklenmeyen sıkıştırma)."
ENCRYPTED = "Şifreli arşiv üyesi açılamaz; belgeyi şifresiz yükleyiniz."
NOT_A_ZIP = "Dosya geçerli bir .zip arşivi değil ya da eksik/bozuk."
_CENTRAL = struct.Struct(zipfile.structCentralDir)
_LOCAL = struct.Struct(zipfile.structFileHeader)
_ENCRYPTED, _PATCHED, _STRONG, _UTF8 = 0x1, 0x20, 0x40, 0x800
_ZIP64_MARK = 0xFFFFFFFF  # a size or offset given in the Zip64 extra instead


@dataclass(frozen=True, slots=True)
class Packed:
    """A zip member's bytes as stored, with what unpacking them needs and checks."""

    method: int
    flags: int
    crc: int
    size: int
    raw: bytes


@dataclass(frozen=True, slots=True)
class Member:
    position: int
    filename: str
    data: bytes | None  # None: refused before reading (``problem``) or still ``packed``
    problem: str | None = None
    packed: Packed | None = None


def is_zip(filename: str) -> bool:
    return filename.lower().endswith(".zip")


def _display(name: str) -> str:
    return rules.clean_name(name)


def unpack(member: Member) -> Member:
    """The member with its document's bytes (or its problem): a packed zip member is inflated and its CRC checked."""
    packed = member.packed
    if packed is None:
        return member
    data = _inflate(packed) if packed.method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else _read_other(member)
    if data is None or len(data) != packed.size or zlib.crc32(data) != packed.crc:
        return Member(member.position, member.filename, None, UNREADABLE)
    return Member(member.position, member.filename, data)


def _inflate(packed: Packed) -> bytes | None:
    """Stored or deflated bytes (nearly every zip), by zlib directly: zipfile's reader costs more than inflating."""
    if packed.method == zipfile.ZIP_STORED:
        return packed.raw
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        data = inflater.decompress(packed.raw, packed.size + 1)  # never more than declared (+1 to see a lie)
    except zlib.error:
        return None
    return data if inflater.eof and not inflater.unconsumed_tail else None


def _read_other(member: Member) -> bytes | None:
    """bzip2 or LZMA members by zipfile's own reader (it stops at the declared size)."""
    packed = member.packed
    assert packed is not None
    info = zipfile.ZipInfo(member.filename)
    info.compress_type, info.flag_bits, info.CRC = packed.method, packed.flags, packed.crc
    info.compress_size, info.file_size = len(packed.raw), packed.size
    try:
        with zipfile.ZipExtFile(io.BytesIO(packed.raw), "r", info, None, True) as reader:
            return reader.read(rules.MAX_DOCUMENT_BYTES + 1)
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError, RuntimeError):
        return None


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    raw_name: bytes
    flags: int
    method: int
    crc: int
    compress_size: int
    size: int
    offset: int

    @property
    def listed(self) -> bool:
        return not self.name.endswith("/") and not self.name.startswith(SYSTEM_PREFIXES) \
            and self.name.rsplit("/", 1)[-1] not in SYSTEM_NAMES


@contextmanager
def opened(path: Path, filename: str, start: int = 0) -> Iterator[tuple[int, Iterator[Member]]]:
    """(member count, members from position ``start``) of the upload at ``path``; ArchiveRefused for a bad zip."""
    if not is_zip(filename):
        yield 1, _single(path, filename)
        return
    with path.open("rb") as raw:
        directory = central_directory(raw)
        if directory is None:
            raise rules.ArchiveRefused(NOT_A_ZIP)
        if directory.entries > rules.MAX_MEMBERS:
            raise rules.ArchiveRefused(f".zip arşivinde {directory.entries} dosya var; bir arşivde en fazla "
                                       f"{rules.MAX_MEMBERS} dosya olabilir.")
        place = _directory_place(raw)
        count = declared = 0
        for entry in _entries(path, *place):
            if entry.listed:
                count += 1
                declared += entry.size
        if declared > rules.MAX_TOTAL_BYTES:
            raise rules.ArchiveRefused(f".zip arşivinin açılmış hâli çok büyük ({format_size(declared)}); en "
                                       f"fazla {format_size(rules.MAX_TOTAL_BYTES)} olabilir.")
        yield count, _zip_members(raw, (entry for entry in _entries(path, *place) if entry.listed), start)


def _directory_place(raw: BinaryIO) -> tuple[int, int, int]:
    """Where the central directory starts, its size and how far the archive was shifted (data prepended to it),
    found as zipfile finds them."""
    try:
        end = zipfile._EndRecData(raw)  # zipfile's own reader of the end records (Zip64 included)
    except OSError:
        end = None
    if not end:
        raise rules.ArchiveRefused(NOT_A_ZIP)
    size, offset = end[zipfile._ECD_SIZE], end[zipfile._ECD_OFFSET]
    concat = end[zipfile._ECD_LOCATION] - size - offset
    if end[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:
        concat -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator
    if offset + concat < 0:
        raise rules.ArchiveRefused(NOT_A_ZIP)
    return offset + concat, size, concat


def _entries(path: Path, start: int, size: int, concat: int) -> Iterator[_Entry]:
    """The central directory's entries in order, read as a stream (nothing kept); ArchiveRefused when broken."""
    with path.open("rb", buffering=1 << 16) as stream:
        stream.seek(start)
        total = 0
        while total < size:
            head = stream.read(_CENTRAL.size)
            if len(head) != _CENTRAL.size:
                raise rules.ArchiveRefused(NOT_A_ZIP)
            fields = _CENTRAL.unpack(head)
            if fields[zipfile._CD_SIGNATURE] != zipfile.stringCentralDir:
                raise rules.ArchiveRefused(NOT_A_ZIP)
            name_length, extra_length, comment_length = fields[12], fields[13], fields[14]
            raw_name = stream.read(name_length)
            extra = stream.read(extra_length)
            stream.seek(comment_length, io.SEEK_CUR)
            flags = fields[zipfile._CD_FLAG_BITS]
            try:
                name = raw_name.decode("utf-8") if flags & _UTF8 else raw_name.decode("cp437")
            except UnicodeDecodeError:
                raise rules.ArchiveRefused(NOT_A_ZIP) from None
            null = name.find("\0")  # as ZipInfo cuts a name
            if null >= 0:
                name = name[:null]
            compress_size, file_size = fields[zipfile._CD_COMPRESSED_SIZE], fields[zipfile._CD_UNCOMPRESSED_SIZE]
            offset = fields[zipfile._CD_LOCAL_HEADER_OFFSET]
            if _ZIP64_MARK in (compress_size, file_size, offset):
                # zipfile's own decoding of the Zip64 extra (sizes and offset that do not fit 32 bits).
                info = zipfile.ZipInfo(name)
                info.extra, info.compress_size, info.file_size, info.header_offset = extra, compress_size, file_size, offset
                try:
                    info._decodeExtra()
                except (zipfile.BadZipFile, struct.error):
                    raise rules.ArchiveRefused(NOT_A_ZIP) from None
                compress_size, file_size, offset = info.compress_size, info.file_size, info.header_offset
            yield _Entry(name, raw_name, flags, fields[zipfile._CD_COMPRESS_TYPE], fields[zipfile._CD_CRC],
                         compress_size, file_size, offset + concat)
            total += _CENTRAL.size + name_length + extra_length + comment_length


def _single(path: Path, filename: str) -> Iterator[Member]:
    size = path.stat().st_size
    if not filename.lower().endswith(".xml"):
        yield Member(0, _display(filename), None, rules.not_xml(filename))
    elif size > rules.MAX_DOCUMENT_BYTES:
        yield Member(0, _display(filename), None, rules.too_big(size))
    else:
        yield Member(0, _display(filename), path.read_bytes())


def _zip_members(raw: BinaryIO, entries: Iterator[_Entry], start: int) -> Iterator[Member]:
    for position, entry in enumerate(entries):
        if position < start:  # committed by an earlier run: not even read
            continue
        name = _display(entry.name)
        if not entry.name.lower().endswith(".xml"):
            yield Member(position, name, None, rules.not_xml(PurePosixPath(entry.name).name))
            continue
        if entry.size > rules.MAX_DOCUMENT_BYTES:
            yield Member(position, name, None, rules.too_big(entry.size))
            continue
        if entry.flags & _ENCRYPTED:
            yield Member(position, name, None, ENCRYPTED)
            continue
        packed = _read_packed(raw, entry)
        yield Member(position, name, None, UNREADABLE) if packed is None else Member(position, name, None, None, packed)


def _read_packed(raw: BinaryIO, entry: _Entry) -> Packed | None:
    """The member's stored bytes after its local header (checked as zipfile checks it), or None when broken."""
    # Deflate (and bzip2/lzma) never grows a document by more than a small fraction: a bigger claim is a lie.
    if entry.flags & (_PATCHED | _STRONG) or entry.compress_size > entry.size + entry.size // 100 + 1024:
        return None
    raw.seek(entry.offset)
    head = raw.read(_LOCAL.size)
    if len(head) != _LOCAL.size:
        return None
    fields = _LOCAL.unpack(head)
    if fields[zipfile._FH_SIGNATURE] != zipfile.stringFileHeader:
        return None
    if raw.read(fields[zipfile._FH_FILENAME_LENGTH]) != entry.raw_name:
        return None
    raw.seek(fields[zipfile._FH_EXTRA_FIELD_LENGTH], io.SEEK_CUR)
    data = raw.read(entry.compress_size)
    if len(data) != entry.compress_size:
        return None
    return Packed(entry.method, entry.flags, entry.crc, entry.size, data)


