"""The members of an upload kept in the file store: one .xml, or every file of a .zip, read one at a time.

A zip's end record is read before zipfile opens it (``app.formats.ubl.zip_limits``), so an archive declaring
more members or bytes than allowed is refused before any entry is built; each member is read up to its declared
size (zipfile stops there and checks the CRC), at most ``MAX_DOCUMENT_BYTES``: memory stays at one document.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.archive import rules
from app.formats.safe_xml import format_size
from app.formats.ubl.zip_limits import central_directory

SYSTEM_PREFIXES = ("__MACOSX/",)
SYSTEM_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class Member:
    position: int
    filename: str
    data: bytes | None  # None: refused before reading (``problem``)
    problem: str | None = None


def is_zip(filename: str) -> bool:
    return filename.lower().endswith(".zip")


def _display(name: str) -> str:
    return rules.clean_name(name)


def _listed(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith(SYSTEM_PREFIXES)
            and PurePosixPath(info.filename).name not in SYSTEM_NAMES]


@contextmanager
def opened(path: Path, filename: str) -> Iterator[tuple[int, Iterator[Member]]]:
    """(member count, members from the first) of the upload at ``path``; ArchiveRefused for a bad zip."""
    if not is_zip(filename):
        yield 1, _single(path, filename)
        return
    with path.open("rb") as raw:
        directory = central_directory(raw)
        if directory is None:
            raise rules.ArchiveRefused("Dosya geçerli bir .zip arşivi değil ya da eksik/bozuk.")
        if directory.entries > rules.MAX_MEMBERS:
            raise rules.ArchiveRefused(f".zip arşivinde {directory.entries} dosya var; bir arşivde en fazla "
                                       f"{rules.MAX_MEMBERS} dosya olabilir.")
        raw.seek(0)
        try:
            archive = zipfile.ZipFile(raw)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise rules.ArchiveRefused("Dosya geçerli bir .zip arşivi değil ya da eksik/bozuk.") from None
        with archive:
            listed = _listed(archive)
            declared = sum(info.file_size for info in listed)
            if declared > rules.MAX_TOTAL_BYTES:
                raise rules.ArchiveRefused(f".zip arşivinin açılmış hâli çok büyük ({format_size(declared)}); en "
                                           f"fazla {format_size(rules.MAX_TOTAL_BYTES)} olabilir.")
            yield len(listed), _zip_members(archive, listed)


def _single(path: Path, filename: str) -> Iterator[Member]:
    size = path.stat().st_size
    if not filename.lower().endswith(".xml"):
        yield Member(0, _display(filename), None, rules.not_xml(filename))
    elif size > rules.MAX_DOCUMENT_BYTES:
        yield Member(0, _display(filename), None, rules.too_big(size))
    else:
        yield Member(0, _display(filename), path.read_bytes())


def _zip_members(archive: zipfile.ZipFile, listed: list[zipfile.ZipInfo]) -> Iterator[Member]:
    for position, info in enumerate(listed):
        name = _display(info.filename)
        if not info.filename.lower().endswith(".xml"):
            yield Member(position, name, None, rules.not_xml(PurePosixPath(info.filename).name))
            continue
        if info.file_size > rules.MAX_DOCUMENT_BYTES:
            yield Member(position, name, None, rules.too_big(info.file_size))
            continue
        if info.flag_bits & 0x1:
            yield Member(position, name, None, "Şifreli arşiv üyesi açılamaz; belgeyi şifresiz yükleyiniz.")
            continue
        try:
            with archive.open(info) as member:
                data = member.read(rules.MAX_DOCUMENT_BYTES + 1)
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError):
            yield Member(position, name, None, "Arşivdeki dosya açılamadı (bozuk ya da desteklenmeyen sıkıştırma).")
            continue
        yield Member(position, name, data)
