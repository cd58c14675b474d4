"""Uploading invoices: one .xml or a .zip of many, with every bound a hostile upload could test."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from datetime import date

import pytest

from app.formats.ubl.examples import example_invoice
from app.formats.ubl.reader import read_invoice
from app.formats.ubl.upload import UploadError, UploadResult, read_invoice_upload
from app.formats.ubl.writer import build_invoice

TODAY = date(2026, 1, 1)
MB = 1024 * 1024
LIMITS = {"max_file_bytes": MB, "max_total_bytes": 8 * MB, "max_files": 50}
APPLICATION_RESPONSE = (
    b'<ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"/>'
)


def invoice_xml(sequence: int) -> bytes:
    return build_invoice(
        example_invoice(number=f"ANA2025{sequence:09d}", ettn=f"5f0c2a8e-3b1d-4c6e-9a7f-{sequence:012d}")
    )


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buffer.getvalue()


def upload(filename: str, data: bytes, **limits: int) -> UploadResult:
    return read_invoice_upload(filename, io.BytesIO(data), **{**LIMITS, **limits}, today=TODAY)


def refused_upload(filename: str, data: bytes, **limits: int) -> str:
    with pytest.raises(UploadError) as refused:
        upload(filename, data, **limits)
    return refused.value.message


class OneWayStream(io.RawIOBase):
    """A stream that cannot seek, like a request body read straight from the socket."""

    def __init__(self, data: bytes) -> None:
        self.inner = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self.inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


# --- a single XML file ---------------------------------------------------------------------------------


def test_single_xml_is_read_and_kept_byte_for_byte() -> None:
    data = invoice_xml(1)
    result = upload("fatura.xml", data)
    assert result.rejected == ()
    assert [file.filename for file in result.accepted] == ["fatura.xml"]
    assert result.accepted[0].xml == data
    assert result.invoices == (read_invoice(data, today=TODAY),)
    assert result.summary == "1 fatura okundu."


def test_client_side_path_is_dropped_from_the_name() -> None:
    result = upload("C:\\Users\\muhasebe\\Masaüstü\\FATURA.XML", invoice_xml(1))
    assert result.accepted[0].filename == "FATURA.XML"


def test_single_xml_over_the_bound_is_rejected_without_reading_it_all() -> None:
    stream = io.BytesIO(b"<r>" + b"a" * (3 * MB) + b"</r>")
    result = read_invoice_upload("buyuk.xml", stream, **LIMITS, today=TODAY)
    assert result.rejected[0].filename == "buyuk.xml"
    assert result.rejected[0].message == "Dosya çok büyük; en fazla 1 MB olabilir."
    assert stream.tell() <= MB + 64 * 1024


def test_single_bad_xml_is_rejected_with_its_reason() -> None:
    result = upload("yanit.xml", APPLICATION_RESPONSE)
    assert result.accepted == ()
    assert result.rejected[0].message.startswith("Bu dosya bir UBL-TR fatura değil")
    assert result.summary == "0 fatura okundu, 1 dosya reddedildi."


@pytest.mark.parametrize("filename", ["fatura.pdf", "fatura.xml.exe", "fatura"])
def test_other_file_types_are_refused(filename: str) -> None:
    assert ".xml" in refused_upload(filename, invoice_xml(1))


def test_no_file_chosen() -> None:
    assert refused_upload("", b"") == "Yüklenecek dosyayı seçiniz."


# --- zip of many -----------------------------------------------------------------------------------------


def test_zip_of_many_reports_what_was_read_and_what_was_refused() -> None:
    members = {f"faturalar/{n:02d}.xml": invoice_xml(n) for n in range(1, 13)}
    members["faturalar/bozuk.xml"] = invoice_xml(13)[:300]
    members["faturalar/yanit.xml"] = APPLICATION_RESPONSE
    members["notlar.txt"] = b"not an invoice"
    result = upload("faturalar.zip", make_zip(members))
    assert len(result.invoices) == 12
    assert result.summary == "12 fatura okundu, 3 dosya reddedildi."
    reasons = {file.filename: file.message for file in result.rejected}
    assert set(reasons) == {"faturalar/bozuk.xml", "faturalar/yanit.xml", "notlar.txt"}
    assert reasons["notlar.txt"] == "Yalnızca .xml uzantılı dosyalar okunur."
    assert "eksik/bozuk" in reasons["faturalar/bozuk.xml"]


def test_folders_and_operating_system_leftovers_are_ignored() -> None:
    members = {
        "faturalar/": b"",
        "faturalar/01.xml": invoice_xml(1),
        "__MACOSX/faturalar/._01.xml": b"\x00\x05\x16\x07",
        "faturalar/._01.xml": b"\x00\x05\x16\x07",
        "faturalar/Thumbs.db": b"\x00",
        ".DS_Store": b"\x00",
    }
    result = upload("arsiv.zip", make_zip(members))
    assert (len(result.invoices), result.rejected) == (1, ())


def test_envelope_in_a_zip_counts_each_invoice() -> None:
    body = b"".join(invoice_xml(n).split(b"?>", 1)[1] for n in (1, 2))
    envelope = (
        b'<sh:StandardBusinessDocument xmlns:sh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"'
        b' xmlns:ef="http://www.efatura.gov.tr/package-namespace"><ef:Package><Elements>'
        b"<ElementType>INVOICE</ElementType><ElementCount>2</ElementCount><ElementList>" + body +
        b"</ElementList></Elements></ef:Package></sh:StandardBusinessDocument>"
    )  # fmt: skip
    result = upload("zarf.zip", make_zip({"zarf.xml": envelope}))
    assert [len(file.invoices) for file in result.accepted] == [2]
    assert result.summary == "2 fatura okundu."


def test_turkish_names_from_a_windows_zip_are_shown_right() -> None:
    """Windows' built-in zip writes names in the OEM code page (cp857) without the UTF-8 flag."""
    raw = make_zip({"fatura_X.xml": invoice_xml(1)}, compression=zipfile.ZIP_STORED)
    raw = raw.replace(b"fatura_X.xml", "fatura_ç.xml".encode("cp857"))
    assert upload("arsiv.zip", raw).accepted[0].filename == "fatura_ç.xml"


def test_non_seekable_stream_is_read_too() -> None:
    data = make_zip({"01.xml": invoice_xml(1)})
    stream = io.BufferedReader(OneWayStream(data))
    assert not stream.seekable()
    result = read_invoice_upload("a.zip", stream, **LIMITS, today=TODAY)  # type: ignore[arg-type]
    assert len(result.invoices) == 1


def test_zip_itself_over_the_bound_is_refused_seekable_or_not() -> None:
    data = make_zip({f"{n}.xml": invoice_xml(n) for n in range(1, 4)}, compression=zipfile.ZIP_STORED)
    message = refused_upload("a.zip", data, max_total_bytes=len(data) - 1)
    assert message.startswith("Zip dosyası çok büyük")
    with pytest.raises(UploadError):
        stream = io.BufferedReader(OneWayStream(data))
        read_invoice_upload("a.zip", stream, **{**LIMITS, "max_total_bytes": len(data) - 1})  # type: ignore[arg-type]


# --- hostile zips ------------------------------------------------------------------------------------------


def test_too_many_files_is_refused() -> None:
    data = make_zip({f"{n}.xml": b"<r/>" for n in range(6)})
    assert refused_upload("a.zip", data, max_files=5) == (
        "Zip dosyasında çok fazla dosya var (6); bir seferde en fazla 5 dosya yüklenebilir."
    )


def end_record_offset(data: bytes) -> int:
    return data.rindex(b"PK\x05\x06")


def test_huge_central_directory_is_refused_before_zipfile_parses_it() -> None:
    data = bytearray(make_zip({"1.xml": invoice_xml(1)}))
    end = end_record_offset(bytes(data))
    struct.pack_into("<HHL", data, end + 8, 0xFFFF, 0xFFFF, 0x7FFFFFFF)  # entries, entries total, size
    assert "çok fazla dosya" in refused_upload("a.zip", bytes(data))


def test_zip64_end_record_cannot_hide_a_huge_central_directory() -> None:
    data = make_zip({"1.xml": invoice_xml(1)})
    end = end_record_offset(data)
    classic = bytearray(data[end:])
    directory_size, directory_offset = struct.unpack_from("<LL", classic, 12)
    zip64_end = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 10**7, 10**7, 10**9, directory_offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    forged = data[:end] + zip64_end + locator + bytes(classic)
    assert "çok fazla dosya" in refused_upload("a.zip", forged)


def test_highly_compressible_huge_member_is_never_inflated() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("bomba.xml", "w") as member:
            for _ in range(64):
                member.write(b"\0" * MB)  # 64 MB of zeros, about 64 KB compressed
    started = time.perf_counter()
    result = upload("bomba.zip", buffer.getvalue(), max_total_bytes=128 * MB)
    assert time.perf_counter() - started < 1
    assert len(buffer.getvalue()) < MB
    assert result.rejected[0].message == "Dosya çok büyük; en fazla 1 MB olabilir."


def test_bomb_with_a_lying_size_header_is_stopped_at_the_declared_size() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("yalan.xml", "w") as member:
            for _ in range(32):
                member.write(b"\0" * MB)
    data = bytearray(buffer.getvalue())
    struct.pack_into("<L", data, 22, 100)  # local header: uncompressed size
    struct.pack_into("<L", data, data.rindex(b"PK\x01\x02") + 24, 100)  # central directory entry
    started = time.perf_counter()
    result = upload("yalan.zip", bytes(data))
    assert time.perf_counter() - started < 1
    assert "bozuk" in result.rejected[0].message


def test_declared_total_over_the_bound_refuses_the_whole_zip() -> None:
    members = {f"{n}.xml": b" " * MB for n in range(9)}  # 9 x 1 MB > 8 MB
    assert "açılmış toplam boyutu" in refused_upload("a.zip", make_zip(members))


def test_nested_zips_are_not_opened() -> None:
    inner = make_zip({"01.xml": invoice_xml(1)})
    result = upload("a.zip", make_zip({"ic.zip": inner, "gizli.xml": inner, "02.xml": invoice_xml(2)}))
    assert len(result.invoices) == 1
    assert {file.filename: file.message for file in result.rejected} == {
        "ic.zip": "Zip içindeki zip dosyaları açılmaz; faturaları tek bir zip dosyasına koyunuz.",
        "gizli.xml": "Zip içindeki zip dosyaları açılmaz; faturaları tek bir zip dosyasına koyunuz.",
    }


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/evil.xml", "C:/evil.xml", "a\\..\\evil.xml", "a/../../evil.xml"])
def test_path_tricks_are_refused(name: str) -> None:
    result = upload("a.zip", make_zip({name: invoice_xml(1)}))
    assert result.accepted == ()
    assert result.rejected[0].message.startswith("Dosya adı güvenli değil")


def test_encrypted_member_is_refused() -> None:
    data = bytearray(make_zip({"sifreli.xml": invoice_xml(1)}))
    data[6] |= 0x1  # local header flag
    data[data.rindex(b"PK\x01\x02") + 8] |= 0x1  # central directory flag
    assert upload("a.zip", bytes(data)).rejected[0].message.startswith("Şifreli dosya açılamaz")


BROKEN_ZIP = "Zip dosyası bozuk ya da eksik yüklenmiş; açılamadı."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", BROKEN_ZIP),
        (b"", BROKEN_ZIP),
        (make_zip({"01.xml": b"<r/>"})[:40], BROKEN_ZIP),
        (make_zip({"01.xml": b"<r/>"})[:-30], BROKEN_ZIP),
        (b"PK\x05\x06" + b"\0" * 18, "Zip dosyasının içinde dosya yok."),
    ],
    ids=["text", "empty", "head-only", "end-cut", "end-record-only"],
)
def test_broken_zip_is_refused_with_a_clear_message(data: bytes, message: str) -> None:
    assert refused_upload("a.zip", data) == message


def test_corrupted_member_is_rejected_and_the_others_are_read() -> None:
    first = invoice_xml(1)
    data = bytearray(make_zip({"01.xml": first, "02.xml": invoice_xml(2)}))
    middle = data.index(b"01.xml") + 6 + 200  # inside the first member's compressed bytes
    data[middle : middle + 50] = bytes(50)
    result = upload("a.zip", bytes(data))
    assert [file.filename for file in result.accepted] == ["02.xml"]
    assert result.rejected[0].filename == "01.xml"
    assert "bozuk" in result.rejected[0].message


def test_empty_zip_is_refused() -> None:
    assert refused_upload("a.zip", make_zip({"bos/": b""})) == "Zip dosyasının içinde dosya yok."
