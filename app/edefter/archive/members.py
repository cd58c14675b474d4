"""The files of an upload kept in the file store: one .xml (read where it lies), or each .xml of a .zip copied to a
temporary file one at a time (e-Defter files reach hundreds of MB: never in memory).

A zip's end record is read before zipfile opens it (``app.formats.ubl.zip_limits``): too many members or too many
declared bytes are refused before any entry is built. Each member is copied up to its declared size and the
per-file bound, counting what it really inflates to (a lying header cannot push past the bound); names that
climb out of a folder or are absolute are refused.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.edefter.archive import rules
from app.formats.safe_xml import format_size
from app.formats.ubl.zip_limits import central_directory

CHUNK = 1024 * 1024
SYSTEM_PREFIXES = ("__MACOSX/",)
SYSTEM_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class Member:
    position: int
    filename: str
    path: Path | None  # None: refused before reading (``problem``)
    problem: str | None = None


def is_zip(filename: str) -> bool:
    return filename.lower().endswith(".zip")


def _listed(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith(SYSTEM_PREFIXES)
            and PurePosixPath(info.filename).name not in SYSTEM_NAMES]


@contextmanager
def opened(path: Path, filename: str, max_bytes: int, start: int = 0) -> Iterator[tuple[int, Iterator[Member]]]:
    """(member count, members from ``start``) of the upload at ``path``; ArchiveRefused for a bad zip. A resumed
    run starts after what it decided: the members before ``start`` are not unpacked again."""
    if not is_zip(filename):
        yield 1, iter([_single(path, filename)] if start < 1 else [])
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
        with archive, tempfile.TemporaryDirectory(prefix="edefter-arsiv-") as folder:
            listed = _listed(archive)
            declared = sum(info.file_size for info in listed)
            if declared > rules.MAX_TOTAL_BYTES:
                raise rules.ArchiveRefused(f".zip arşivinin açılmış hâli çok büyük ({format_size(declared)}); en "
                                           f"fazla {format_size(rules.MAX_TOTAL_BYTES)} olabilir.")
            yield len(listed), _zip_members(archive, listed, Path(folder), max_bytes, start)


def _single(path: Path, filename: str) -> Member:
    name = rules.clean_name(filename)
    if not filename.lower().endswith(".xml"):
        return Member(0, name, None, rules.not_xml(name))
    return Member(0, name, path)


def _unsafe_name(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _zip_members(archive: zipfile.ZipFile, listed: list[zipfile.ZipInfo], folder: Path,
                 max_bytes: int, start: int = 0) -> Iterator[Member]:
    target = folder / "uye.xml"
    for position, info in enumerate(listed):
        if position < start:
            continue
        name = rules.clean_name(info.filename)
        if _unsafe_name(info.filename):
            yield Member(position, name, None, "Dosya adı arşivin dışına çıkan ya da mutlak bir yol içeriyor; "
                                               "güvenlik nedeniyle açılmadı.")
        elif not info.filename.lower().endswith(".xml"):
            yield Member(position, name, None, rules.not_xml(PurePosixPath(info.filename).name))
        elif info.file_size > max_bytes:
            yield Member(position, name, None, rules.too_big(info.file_size, max_bytes))
        elif info.flag_bits & 0x1:
            yield Member(position, name, None, "Şifreli arşiv üyesi açılamaz; dosyayı şifresiz yükleyiniz.")
        else:
            problem = _copy(archive, info, target, max_bytes)
            yield Member(position, name, None if problem else target, problem)
        target.unlink(missing_ok=True)


def _copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, max_bytes: int) -> str | None:
    """Inflate one member to ``target``; the reason when it cannot be (bomb, damage)."""
    written = 0
    try:
        with archive.open(info) as member, target.open("wb") as out:
            while chunk := member.read(CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    return rules.too_big(written, max_bytes)
                out.write(chunk)
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError, zlib.error):
        return "Arşivdeki dosya açılamadı (bozuk ya da desteklenmeyen sıkıştırma)."
    return None
