"""Yevmiye Numarası Doğrulama's reader: the right facts from a good file, a clear refusal for a bad one."""

from __future__ import annotations

import http.server
import io
import threading
import time
import zipfile
from pathlib import Path
from typing import Iterator

import pytest

from app.formats.xbrl.errors import YevmiyeErrorCode as Code
from app.formats.xbrl.errors import YevmiyeReadError
from app.formats.xbrl.model import Branch
from app.formats.xbrl.defter_stream import ROOT_END
from app.formats.xbrl.samples import (
    SAMPLE_VKN,
    sample_company,
    sample_document,
    sample_entries,
    write_kebir_file,
    write_yevmiye_file,
)
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary


def yevmiye_bytes(*, count: int = 5, first_counter: int = 101, branch: Branch | None = None,
                  tax_id: str = SAMPLE_VKN, placeholder: str | None = None) -> bytes:
    """An unsigned yevmiye; ``placeholder``: with an empty ``ds:Signature Id=…`` where a signature goes (as some
    programs leave it for their signer)."""
    document = sample_document(2024, 3)
    buffer = io.BytesIO()
    write_yevmiye_file(buffer, sample_company(tax_id, branch=branch), document,
                       sample_entries(document, count, first_counter=first_counter), first_entry_counter=first_counter,
                       first_line_number=3 * (first_counter - 1) + 1)
    data = buffer.getvalue()
    if placeholder is not None:
        data = data[: -len(ROOT_END)] + f'<ds:Signature Id="{placeholder}"></ds:Signature>'.encode() + ROOT_END
    return data


def zipped(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def refusal(data: bytes, **kwargs: object) -> YevmiyeReadError:
    with pytest.raises(YevmiyeReadError) as caught:
        read_yevmiye_summary(io.BytesIO(data), **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- good files ---------------------------------------------------------------------------------------------


def test_reads_owner_period_and_last_numbers_of_a_yevmiye(tmp_path: Path) -> None:
    path = tmp_path / f"{SAMPLE_VKN}-202403-Y-000001.xml"
    path.write_bytes(yevmiye_bytes(count=7, first_counter=101))
    summary = read_yevmiye_summary(path, expected_owner_id=SAMPLE_VKN)
    assert summary.owner_id == SAMPLE_VKN
    assert summary.entries_type == "journal"
    assert summary.unique_id == "YEV202403000001"
    assert (summary.period_start.isoformat(), summary.period_end.isoformat()) == ("2024-03-01", "2024-03-31")
    assert summary.creation_date is not None and summary.creation_date.isoformat() == "2024-04-10"
    assert (summary.entry_count, summary.first_entry_counter, summary.last_entry_counter) == (7, 101, 107)
    assert summary.next_entry_counter == 108
    assert summary.last_entry_number == "F00000107"
    assert summary.last_line_number == str(3 * 107)
    assert summary.branch_code is None and not summary.has_signature and not summary.in_zip


def test_reads_branch_and_accepts_matching_branch() -> None:
    data = yevmiye_bytes(branch=Branch("0007", "Bornova Şubesi"))
    summary = read_yevmiye_summary(io.BytesIO(data), expected_owner_id=SAMPLE_VKN, expected_branch_code="0007")
    assert (summary.branch_code, summary.branch_name) == ("0007", "Bornova Şubesi")


def test_reads_the_xml_inside_a_zip_and_an_unseekable_stream() -> None:
    data = yevmiye_bytes(count=3, first_counter=1)
    summary = read_yevmiye_summary(io.BytesIO(zipped((f"{SAMPLE_VKN}-202403-Y-000001.xml", data))))
    assert summary.in_zip and summary.last_entry_counter == 3

    class Pipe(io.RawIOBase):  # what a socket or a pipe looks like: read only, no seek
        def __init__(self) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert read_yevmiye_summary(Pipe()).last_entry_counter == 3  # type: ignore[arg-type]


def test_empty_signature_placeholder_is_not_a_signature() -> None:
    data = yevmiye_bytes(placeholder="Signature_YEV")
    assert b'<ds:Signature Id="Signature_YEV"></ds:Signature></edefter:defter>' in data
    summary = read_yevmiye_summary(io.BytesIO(data))
    assert not summary.has_signature and summary.last_entry_counter == 105


# --- hostile XML --------------------------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE edefter:defter ['
    + b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10 if i else b"lol") for i in range(10))
    + b']><edefter:defter xmlns:edefter="http://www.edefter.gov.tr">&l9;</edefter:defter>'
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY x "FETCHED">')

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recording_server() -> Iterator[tuple[str, list[str]]]:
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    server.server_close()


def test_billion_laughs_is_refused_at_once_without_expanding() -> None:
    started = time.monotonic()
    error = refusal(BILLION_LAUGHS)
    assert error.code is Code.HOSTILE_XML and "DOCTYPE" in error.message
    assert time.monotonic() - started < 1


def test_external_entities_are_refused_and_nothing_is_fetched(recording_server: tuple[str, list[str]]) -> None:
    url, requests = recording_server
    for data in (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><edefter:defter '
        b'xmlns:edefter="http://www.edefter.gov.tr">&x;</edefter:defter>',
        f'<!DOCTYPE d SYSTEM "{url}/x.dtd"><edefter:defter xmlns:edefter="http://www.edefter.gov.tr"/>'.encode(),
        f'<!-- yorum --><!DOCTYPE d [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]><d/>'.encode(),
    ):
        assert refusal(data).code is Code.HOSTILE_XML
    assert requests == []


def test_a_doctype_in_an_otherwise_good_yevmiye_is_refused() -> None:
    data = yevmiye_bytes().replace(b"?>", b"?>\n<!DOCTYPE edefter:defter>", 1)
    assert refusal(data).code is Code.HOSTILE_XML


def test_an_undeclared_entity_reference_is_refused() -> None:
    data = yevmiye_bytes().replace(b">Muhasebe Servisi<", b">&xxe;<", 1)
    assert refusal(data).code is Code.HOSTILE_XML


# --- the wrong file -----------------------------------------------------------------------------------------


def test_kebir_instead_of_yevmiye() -> None:
    buffer = io.BytesIO()
    write_kebir_file(buffer, sample_company(), sample_document(), [])
    error = refusal(buffer.getvalue())
    assert error.code is Code.KEBIR and "kebir" in error.message


def test_berat_instead_of_yevmiye() -> None:
    berat = yevmiye_bytes().replace(b"edefter:defter", b"edefter:berat")
    error = refusal(berat)
    assert error.code is Code.BERAT and "berat" in error.message


def test_another_taxpayers_yevmiye() -> None:
    error = refusal(yevmiye_bytes(tax_id="6132704183"), expected_owner_id=SAMPLE_VKN)
    assert error.code is Code.OTHER_OWNER
    assert "6132704183" in error.message and SAMPLE_VKN in error.message


@pytest.mark.parametrize(
    ("file_branch", "expected", "words"),
    [(Branch("0002", "Konak"), "0001", "0002 kodlu"), (None, "0001", "şubesiz"), (Branch("0002", "Konak"), None, "şubesiz")],
)
def test_another_branchs_yevmiye(file_branch: Branch | None, expected: str | None, words: str) -> None:
    error = refusal(yevmiye_bytes(branch=file_branch), expected_branch_code=expected)
    assert error.code is Code.OTHER_BRANCH and words in error.message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", Code.NOT_XML),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", Code.NOT_XML),
        (b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
         Code.NOT_EDEFTER),
    ],
    ids=["empty", "pdf", "ubl-invoice"],
)
def test_files_that_are_no_edefter(data: bytes, code: Code) -> None:
    assert refusal(data).code is code


# --- broken files -------------------------------------------------------------------------------------------


def test_counter_gap_says_where() -> None:
    data = yevmiye_bytes(count=6, first_counter=101).replace(
        b'unitRef="countable">104</gl-cor:entryNumberCounter>', b'unitRef="countable">105</gl-cor:entryNumberCounter>'
    )
    error = refusal(data)
    assert error.code is Code.COUNTER_GAP
    assert "103 numaralı maddeden sonra 105 numaralı madde" in error.message and "4. madde" in error.message


def test_truncated_xml() -> None:
    data = yevmiye_bytes(count=20)
    error = refusal(data[: len(data) // 2])
    assert error.code is Code.BROKEN_XML and "yarıda kesilmiş" in error.message


def test_missing_identifier_and_missing_entries() -> None:
    no_owner = yevmiye_bytes().replace(b">9000068418</xbrli:identifier>", b"></xbrli:identifier>")
    assert refusal(no_owner).code is Code.MISSING_FIELD
    document = sample_document()
    buffer = io.BytesIO()
    write_yevmiye_file(buffer, sample_company(), document, [])
    error = refusal(buffer.getvalue())
    assert error.code is Code.MISSING_FIELD and "yevmiye maddesi" in error.message


def test_broken_zip() -> None:
    data = zipped(("yevmiye.xml", yevmiye_bytes(count=50)))
    assert refusal(data[: len(data) // 2]).code is Code.BAD_ZIP
    corrupted = bytearray(data)
    corrupted[200:260] = bytes(60)  # inside the compressed member: the CRC or inflate fails while streaming
    assert refusal(bytes(corrupted)).code is Code.BAD_ZIP


def test_zip_with_two_xml_files_or_none() -> None:
    data = yevmiye_bytes()
    error = refusal(zipped(("a-Y-000001.xml", data), ("a-YB-000001.xml", data)))
    assert error.code is Code.ZIP_WITH_MANY_XML and "a-YB-000001.xml" in error.message
    assert refusal(zipped(("okubeni.txt", b"merhaba"))).code is Code.ZIP_WITHOUT_XML


def test_file_and_zip_bomb_over_the_size_bound() -> None:
    data = yevmiye_bytes(count=30)
    assert refusal(data, max_bytes=len(data) - 1).code is Code.TOO_BIG
    bomb = zipped(("yevmiye.xml", data[:-30] + b" " * 5_000_000 + data[-30:]))
    assert len(bomb) < 100_000
    error = refusal(bomb, max_bytes=1_000_000)
    assert error.code is Code.TOO_BIG and "en fazla" in error.message
