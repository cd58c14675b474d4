"""Open an uploaded e-Defter file as a bounded, DTD-free XML byte stream.

Accepts a plain XML file or a zip holding exactly one XML, given as a path or a binary file object.
Before any XML parser sees a byte, the prolog is scanned and any ``<!DOCTYPE`` (or other ``<!``
declaration) is refused: with no DTD there are no entities, so neither entity bombs nor external
entities can reach the parser, even with lxml's ``huge_tree`` limits lifted. Every byte handed to the
parser is counted against ``max_bytes`` (a zip's member is counted after decompression), so neither a
big file nor a zip bomb can make the reader work past the bound.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from app.formats.safe_xml import format_size
from app.formats.xbrl.errors import YevmiyeErrorCode as Code
from app.formats.xbrl.errors import YevmiyeReadError

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
PROLOG_LIMIT = 64 * 1024  # the root element must start within this many bytes
MAX_ZIP_MEMBERS = 64
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ROOT_START = re.compile(r"<([^\s/>!?]+)")

Source = str | os.PathLike[str] | BinaryIO


class BoundedStream:
    """A ``read(size)`` file object that serves pushed-back bytes first and counts all it hands out."""

    def __init__(self, raw: BinaryIO, limit: int, *, zip_member: bool = False) -> None:
        self._raw = raw
        self._limit = limit
        self._zip_member = zip_member
        self._pending = b""
        self.bytes_read = 0

    def push_back(self, data: bytes) -> None:
        self._pending = data + self._pending
        self.bytes_read -= len(data)

    def read(self, size: int = -1) -> bytes:
        if self._pending:
            cut = len(self._pending) if size < 0 else size
            data, self._pending = self._pending[:cut], self._pending[cut:]
        else:
            data = self._read_raw(size)
        self.bytes_read += len(data)
        if self.bytes_read > self._limit:
            raise too_big(self._limit)
        return data

    def _read_raw(self, size: int) -> bytes:
        if not self._zip_member:
            return self._raw.read(size)
        try:
            return self._raw.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            # Found only while inflating: a damaged member or a wrong CRC.
            raise YevmiyeReadError(Code.BAD_ZIP, "Zip dosyasının içi bozuk; dosya açılamadı.") from error

    def read_up_to(self, size: int) -> bytes:
        """Read until ``size`` bytes or the end: file objects may return less than asked."""
        parts: list[bytes] = []
        wanted = size
        while wanted > 0:
            chunk = self.read(wanted)
            if not chunk:
                break
            parts.append(chunk)
            wanted -= len(chunk)
        return b"".join(parts)


@dataclass
class XmlSource:
    stream: BoundedStream
    root_name: str  # the root element's name as written, e.g. "edefter:defter"
    size: int | None  # bytes of the XML (a zip member's declared size) when known beforehand
    in_zip: bool


def too_big(limit: int) -> YevmiyeReadError:
    return YevmiyeReadError(Code.TOO_BIG, f"Dosya çok büyük: en fazla {format_size(limit)} okunabilir.")


def _remaining_size(raw: BinaryIO) -> int | None:
    """Bytes from the current position to the end, when the file can tell."""
    try:
        return os.fstat(raw.fileno()).st_size - raw.tell()
    except (AttributeError, OSError, ValueError):
        pass
    if raw.seekable():
        here = raw.tell()
        end = raw.seek(0, os.SEEK_END)
        raw.seek(here)
        return end - here
    return None


def _open_zip_member(raw: BinaryIO, max_bytes: int, stack: ExitStack) -> tuple[BinaryIO, int]:
    try:
        archive = stack.enter_context(zipfile.ZipFile(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise YevmiyeReadError(Code.BAD_ZIP, "Zip dosyası bozuk ya da eksik; açılamadı.") from error
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise YevmiyeReadError(Code.BAD_ZIP, "Zip dosyasında çok fazla dosya var; yalnızca yevmiye XML'i yükleyin.")
    xml_members = [m for m in members if not m.is_dir() and m.filename.lower().endswith(".xml")]
    if not xml_members:
        raise YevmiyeReadError(Code.ZIP_WITHOUT_XML, "Zip dosyasında XML dosyası yok.")
    if len(xml_members) > 1:
        names = ", ".join(m.filename for m in xml_members[:5])
        raise YevmiyeReadError(
            Code.ZIP_WITH_MANY_XML,
            f"Zip dosyasında birden fazla XML var ({names}); yalnızca son yevmiye dosyasını yükleyin.",
        )
    member = xml_members[0]
    if member.flag_bits & 0x1:
        raise YevmiyeReadError(Code.BAD_ZIP, "Zip dosyası şifreli; şifresiz bir zip ya da XML yükleyin.")
    if member.file_size > max_bytes:
        raise too_big(max_bytes)
    try:
        return stack.enter_context(archive.open(member)), member.file_size
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as error:
        raise YevmiyeReadError(Code.BAD_ZIP, "Zip dosyası bozuk ya da desteklenmeyen biçimde sıkıştırılmış.") from error


def _decode_prolog(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    return head.decode("utf-8", errors="replace")


def root_name_of(head: bytes, *, whole_file: bool) -> str:
    """Return the root element's name; refuse any DOCTYPE or other declaration before it."""
    text = _decode_prolog(head).lstrip("\ufeff")
    if not text.strip():
        raise YevmiyeReadError(Code.NOT_XML, "Dosya boş.")
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            pos = -1 if end < 0 else end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            pos = -1 if end < 0 else end + 3
        elif text.startswith("<!", pos):
            raise YevmiyeReadError(
                Code.HOSTILE_XML,
                "Dosya DOCTYPE/varlık (entity) tanımı içeriyor; güvenlik nedeniyle okunmadı. "
                "e-Defter dosyalarında DOCTYPE bulunmaz.",
            )
        else:
            match = _ROOT_START.match(text, pos)
            if match:
                return match.group(1)
            pos = -1
        if pos < 0:
            reason = "dosya bozuk ya da eksik" if whole_file else "dosyanın başı beklenmedik biçimde uzun"
            raise YevmiyeReadError(Code.NOT_XML, f"Dosya bir XML belgesi değil ({reason}).")


@contextmanager
def open_xml_source(source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[XmlSource]:
    """Yield the XML of ``source`` (the file, or the single XML in a zip) as a bounded stream.

    Raises :class:`YevmiyeReadError` for a broken zip, a zip without exactly one XML, a file over
    ``max_bytes``, a file that is not XML, or a prolog with a DOCTYPE. A file object is not closed.
    """
    with ExitStack() as stack:
        raw: BinaryIO = (
            stack.enter_context(open(source, "rb")) if isinstance(source, (str, os.PathLike)) else source
        )
        size = _remaining_size(raw)
        if size is not None and size > max_bytes:
            raise too_big(max_bytes)
        stream = BoundedStream(raw, max_bytes)
        magic = stream.read_up_to(4)
        in_zip = magic in _ZIP_MAGICS
        if in_zip:
            if not raw.seekable():
                raise ValueError("a zip upload must be given as a seekable file")
            raw.seek(raw.tell() - len(magic))
            member, size = _open_zip_member(raw, max_bytes, stack)
            stream = BoundedStream(member, max_bytes, zip_member=True)
        else:
            stream.push_back(magic)
        head = stream.read_up_to(PROLOG_LIMIT)
        root = root_name_of(head, whole_file=len(head) < PROLOG_LIMIT)
        stream.push_back(head)
        yield XmlSource(stream, root, size, in_zip)
