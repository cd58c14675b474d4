"""A berat or DR as GİB receives it: one zip named like its file (``VKN-YYYYMM-YB-000001.zip`` holding
``VKN-YYYYMM-YB-000001.xml``), and the checks GİB's side makes before reading what is inside.

GİB's side never trusts the zip: exactly one member, named as the zip says, no folders, no more than the
size limit once inflated (read in chunks and stopped past it, whatever the header claims: a zip bomb), XML.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from app.formats.gib.common import DocumentError

# VKN (10) or TCKN (11), an optional branch number, the period, the kind, the six-digit part.
FILE_NAME = re.compile(r"^(?P<owner>\d{10,11})(?:-(?P<branch>\d{1,4}))?-(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])-"
                       r"(?P<kind>YB|KB|DR)-(?P<part>\d{6})$")
_CHUNK = 64 * 1024


class PackageError(DocumentError):
    """The zip is not what GİB accepts; ``detail`` says why in Turkish."""


@dataclass(frozen=True)
class FileName:
    owner: str
    branch: str
    period: str  # YYYY-MM
    kind: str  # YB | KB | DR
    part: int

    @property
    def stem(self) -> str:
        owner = f"{self.owner}-{self.branch}" if self.branch else self.owner
        return f"{owner}-{self.period.replace('-', '')}-{self.kind}-{self.part:06d}"


def parse_file_name(name: str) -> FileName:
    """``VKN-YYYYMM-YB-000001`` with or without ``.zip``/``.xml``; PackageError when it is not GİB's form."""
    stem = name.removesuffix(".zip").removesuffix(".xml")
    match = FILE_NAME.match(stem)
    if match is None:
        raise PackageError(f"Dosya adı '{name[:100]}' GİB'in VKN-YYYYAA-YB|KB|DR-000000.zip biçiminde değil.")
    return FileName(match["owner"], match["branch"] or "", f"{match['year']}-{match['month']}", match["kind"],
                    int(match["part"]))


def zip_file(xml_name: str, content: bytes) -> bytes:
    """The zip GİB expects for one signed file (deflated; the XML's bytes untouched). The same file always gives
    the same bytes (a fixed date in the entry): a retry with the same Idempotency-Key is the same request."""
    buffer = io.BytesIO()
    entry = zipfile.ZipInfo(xml_name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry, content)
    return buffer.getvalue()


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_zip(zip_name: str, data: bytes, max_bytes: int) -> bytes:
    """The one XML file inside the zip ``zip_name``; PackageError for anything GİB would refuse."""
    expected = zip_name.removesuffix(".zip") + ".xml"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise PackageError("Gönderilen dosya geçerli bir zip değil.") from exc
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) != 1 or len(archive.infolist()) != 1:
            raise PackageError(f"Zip dosyasında yalnızca bir dosya ({expected}) bulunmalıdır; "
                               f"{len(archive.infolist())} girdi var.")
        member = members[0]
        if "/" in member.filename or "\\" in member.filename or member.filename.startswith("."):
            raise PackageError("Zip içindeki dosya adı klasör ya da yol içeremez.")
        if member.filename != expected:
            raise PackageError(f"Zip içindeki dosyanın adı '{member.filename[:100]}'; '{expected}' olmalıdır.")
        if member.flag_bits & 0x1:
            raise PackageError("Şifreli zip dosyası kabul edilmez.")
        if member.file_size > max_bytes:
            raise PackageError(f"Zip içindeki dosya {max_bytes} bayttan büyük.")
        content = bytearray()
        try:
            with archive.open(member) as reader:
                while chunk := reader.read(_CHUNK):
                    content += chunk
                    if len(content) > max_bytes:  # the header lied: stop inflating
                        raise PackageError(f"Zip içindeki dosya {max_bytes} bayttan büyük.")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as exc:
            raise PackageError("Zip dosyası açılamadı (bozuk ya da desteklenmeyen sıkıştırma).") from exc
    data = bytes(content)
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise PackageError(f"{expected} bir XML dosyası değil.")
    return data
