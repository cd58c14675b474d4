"""Read an uploaded .xml invoice, or a .zip of many, with bounds on every size and count.

A problem with one file rejects that file (with its name and a Turkish reason) and the others are
still read; a problem with the upload as a whole (wrong type, broken zip, too many files, too much
data once unpacked) raises ``UploadError``. Nothing is written to disk except the spooled copy of a
non-seekable zip stream; member names are only displayed, never used as paths.
"""

from __future__ import annotations

import posixpath
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, Final, Iterator

from app.formats.safe_xml import XmlInputError, format_size
from app.formats.ubl.model import InvoiceData
from app.formats.ubl.reader import read_signed_invoices
from app.formats.ubl.zip_limits import central_directory

# Suggested bounds for the import page (the caller passes its own).
DEFAULT_MAX_FILE_BYTES: Final = 10 * 1024 * 1024
DEFAULT_MAX_TOTAL_BYTES: Final = 100 * 1024 * 1024
DEFAULT_MAX_FILES: Final = 1000

_CHUNK: Final = 64 * 1024
_SPOOL_IN_MEMORY: Final = 8 * 1024 * 1024
_MAX_DIRECTORY_BYTES_PER_ENTRY: Final = 1024  # generous: 46 bytes + name + extra fields
_ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Files operating systems add to archives on their own; skipped without a word.
_SYSTEM_FILES: Final = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_ZIP_ENCODING: Final = "cp857"  # names without the UTF-8 flag: Turkish Windows' OEM code page


class UploadError(XmlInputError):
    """The upload as a whole cannot be read; ``message`` says why in Turkish."""


@dataclass(frozen=True, slots=True)
class AcceptedFile:
    filename: str
    invoices: tuple[InvoiceData, ...]  # one, or several for a GİB envelope
    xml: bytes  # the file exactly as uploaded (keeps a signature verifiable)
    # What each invoice's signature covers, in the order of ``invoices``: the file itself for a bare
    # invoice, the invoice copied out of a GİB envelope otherwise (reader.read_signed_invoices).
    documents: tuple[bytes, ...] = ()

    def signed_documents(self) -> tuple[tuple[InvoiceData, bytes], ...]:
        return tuple(zip(self.invoices, self.documents or (self.xml,) * len(self.invoices)))


@dataclass(frozen=True, slots=True)
class RejectedFile:
    filename: str
    message: str


@dataclass(frozen=True, slots=True)
class UploadResult:
    accepted: tuple[AcceptedFile, ...]
    rejected: tuple[RejectedFile, ...]

    @property
    def invoices(self) -> tuple[InvoiceData, ...]:
        return tuple(invoice for file in self.accepted for invoice in file.invoices)

    @property
    def summary(self) -> str:
        """E.g. "12 fatura okundu, 2 dosya reddedildi." (the names and reasons are in ``rejected``)."""
        text = f"{len(self.invoices)} fatura okundu"
        if self.rejected:
            text += f", {len(self.rejected)} dosya reddedildi"
        return text + "."


@dataclass(frozen=True, slots=True)
class _Limits:
    file_bytes: int
    total_bytes: int
    files: int


def read_invoice_upload(
    filename: str,
    stream: BinaryIO,
    *,
    max_file_bytes: int,
    max_total_bytes: int,
    max_files: int,
    today: date | None = None,
) -> UploadResult:
    """Read the invoices of one uploaded file (.xml, or .zip of .xml files)."""
    name = _display_name(filename)
    limits = _Limits(max_file_bytes, max_total_bytes, max_files)
    extension = posixpath.splitext(name)[1].lower()
    if extension == ".xml":
        data = _read_at_most(stream, max_file_bytes)
        if data is None:
            return UploadResult((), (RejectedFile(name, _too_big(max_file_bytes)),))
        return _collect([_read_xml(name, data, today)])
    if extension == ".zip":
        return _read_zip(stream, limits, today)
    if not name:
        raise UploadError("Yüklenecek dosyayı seçiniz.")
    raise UploadError("Yalnızca .xml uzantılı fatura dosyası ya da bunları içeren .zip dosyası yüklenebilir.")


def _read_zip(stream: BinaryIO, limits: _Limits, today: date | None) -> UploadResult:
    with _seekable(stream, limits.total_bytes) as archive:
        _check_directory(archive, limits)
        try:
            zip_file = zipfile.ZipFile(archive, metadata_encoding=_ZIP_ENCODING)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            raise UploadError(_BROKEN_ZIP) from None
        with zip_file:
            return _collect(_read_members(zip_file, limits, today))


def _read_members(zip_file: zipfile.ZipFile, limits: _Limits, today: date | None) -> list[AcceptedFile | RejectedFile]:
    members = [info for info in zip_file.infolist() if not info.is_dir() and not _is_system_file(info.filename)]
    if not members:
        raise UploadError("Zip dosyasının içinde dosya yok.")
    if len(members) > limits.files:
        raise UploadError(_too_many(len(members), limits.files))
    declared = sum(info.file_size for info in members)
    if declared > limits.total_bytes:
        raise UploadError(_too_much(declared, limits.total_bytes))
    results: list[AcceptedFile | RejectedFile] = []
    unpacked = 0
    for info in members:
        name = _display_name(info.filename, keep_folders=True)
        problem = _member_problem(info, limits.file_bytes)
        if problem:
            results.append(RejectedFile(name, problem))
            continue
        data = _unpack(zip_file, info, limits.file_bytes)
        if isinstance(data, str):
            results.append(RejectedFile(name, data))
            continue
        unpacked += len(data)
        if unpacked > limits.total_bytes:  # only when declared sizes lied
            raise UploadError(_too_much(unpacked, limits.total_bytes))
        results.append(_read_xml(name, data, today))
    return results


def _member_problem(info: zipfile.ZipInfo, max_file_bytes: int) -> str | None:
    """Why a member is not opened at all, judged from its central-directory entry."""
    raw = info.filename
    parts = raw.replace("\\", "/").split("/")
    if raw.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts or any(ord(c) < 32 for c in raw):
        return "Dosya adı güvenli değil (mutlak yol ya da üst klasöre çıkan yol); dosya açılmadı."
    if raw.lower().endswith(".zip"):
        return _NESTED_ZIP
    if not raw.lower().endswith(".xml"):
        return "Yalnızca .xml uzantılı dosyalar okunur."
    if info.flag_bits & 0x1:
        return "Şifreli dosya açılamaz; zip dosyasını şifresiz hazırlayınız."
    if info.file_size > max_file_bytes:
        return _too_big(max_file_bytes)
    return None


def _unpack(zip_file: zipfile.ZipFile, info: zipfile.ZipInfo, max_file_bytes: int) -> bytes | str:
    """The member's bytes, read in chunks never beyond the bound whatever its header says; or why not."""
    try:
        with zip_file.open(info) as member:
            data = _read_at_most(member, max_file_bytes)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
        return "Zip içindeki dosya bozuk ya da desteklenmeyen biçimde sıkıştırılmış; açılamadı."
    if data is None:
        return _too_big(max_file_bytes)
    if data.startswith(_ZIP_MAGIC):
        return _NESTED_ZIP
    return data


def _read_xml(name: str, data: bytes, today: date | None) -> AcceptedFile | RejectedFile:
    try:
        # The size bound was applied while reading; the parser's own bound only repeats it.
        signed = read_signed_invoices(data, max_bytes=max(len(data), 1), today=today)
    except XmlInputError as error:
        return RejectedFile(name, error.message)
    return AcceptedFile(name, tuple(invoice for invoice, _ in signed), data, tuple(document for _, document in signed))


def _collect(results: list[AcceptedFile | RejectedFile]) -> UploadResult:
    return UploadResult(
        accepted=tuple(result for result in results if isinstance(result, AcceptedFile)),
        rejected=tuple(result for result in results if isinstance(result, RejectedFile)),
    )


def _check_directory(archive: BinaryIO, limits: _Limits) -> None:
    directory = central_directory(archive)
    if directory is None:
        raise UploadError(_BROKEN_ZIP)
    # Folders have entries too, hence the factor two; the exact file count is checked after opening.
    most_entries = 2 * limits.files
    if directory.entries > most_entries or directory.size > most_entries * _MAX_DIRECTORY_BYTES_PER_ENTRY:
        raise UploadError(_too_many(directory.entries, limits.files))
    archive.seek(0)


@contextmanager
def _seekable(stream: BinaryIO, limit: int) -> Iterator[BinaryIO]:
    """The stream itself when it can seek, else a spooled copy; either way at most ``limit`` bytes."""
    if _can_seek(stream):
        start = stream.tell()
        size = stream.seek(0, 2) - start
        stream.seek(start)
        if size > limit:
            raise UploadError(_too_big(limit, what="Zip dosyası"))
        yield stream
        return
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as copy:
        if _copy_at_most(stream, copy, limit) is None:  # type: ignore[arg-type]
            raise UploadError(_too_big(limit, what="Zip dosyası"))
        copy.seek(0)
        yield copy  # type: ignore[misc]


def _can_seek(stream: BinaryIO) -> bool:
    try:
        return stream.seekable()
    except (AttributeError, ValueError):
        return False


def _copy_at_most(source: BinaryIO, target: BinaryIO, limit: int) -> int | None:
    copied = 0
    while chunk := source.read(_CHUNK):
        copied += len(chunk)
        if copied > limit:
            return None
        target.write(chunk)
    return copied


def _read_at_most(stream: BinaryIO, limit: int) -> bytes | None:
    """All of the stream, or None as soon as it proves longer than ``limit``."""
    buffer = bytearray()
    while chunk := stream.read(min(_CHUNK, limit + 1 - len(buffer))):
        buffer += chunk
        if len(buffer) > limit:
            return None
    return bytes(buffer)


def _display_name(filename: str, *, keep_folders: bool = False) -> str:
    """A name safe to show: no control characters; an uploaded file loses any client-side path."""
    cleaned = "".join(c if ord(c) >= 32 else "?" for c in (filename or "")).strip()
    if keep_folders:
        return cleaned
    return cleaned.replace("\\", "/").rsplit("/", 1)[-1]


def _is_system_file(member_name: str) -> bool:
    parts = member_name.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or parts[-1].startswith("._") or parts[-1].lower() in _SYSTEM_FILES


def _too_big(limit: int, *, what: str = "Dosya") -> str:
    return f"{what} çok büyük; en fazla {format_size(limit)} olabilir."


def _too_many(count: int, limit: int) -> str:
    return f"Zip dosyasında çok fazla dosya var ({count}); bir seferde en fazla {limit} dosya yüklenebilir."


def _too_much(size: int, limit: int) -> str:
    return (
        f"Zip içindeki dosyaların açılmış toplam boyutu ({format_size(size)}) sınırı aşıyor; "
        f"en fazla {format_size(limit)} olabilir."
    )


_BROKEN_ZIP: Final = "Zip dosyası bozuk ya da eksik yüklenmiş; açılamadı."
_NESTED_ZIP: Final = "Zip içindeki zip dosyaları açılmaz; faturaları tek bir zip dosyasına koyunuz."
