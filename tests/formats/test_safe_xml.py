"""Hostile and broken XML is refused with a Turkish message; nothing is expanded, read or fetched."""

from __future__ import annotations

import gzip
import http.server
import io
import threading
import time
from typing import Iterator

import pytest
from lxml import etree

from app.formats.safe_xml import (
    SAFE_PARSER_OPTIONS,
    UnsafeXmlError,
    XmlFormatError,
    XmlInputError,
    XmlTooLargeError,
    ensure_no_doctype,
    parse_untrusted,
)

LIMIT = 1024 * 1024
PASSWD_LINE = "root:"


def billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(levels)}]><lolz a="&lol9;">&lol9;</lolz>'.encode()


XXE_TEXT = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
XXE_ATTRIBUTE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r a="&x;"/>'


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        body = b'<!ENTITY x "FETCHED">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def listening_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on a local socket that records every request it gets."""
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_plain_document_parses() -> None:
    root = parse_untrusted(b"<?xml version='1.0' encoding='UTF-8'?>\n<r><a>\xc3\x87</a></r>", max_bytes=LIMIT)
    assert root.tag == "r"
    assert root.findtext("a") == "Ç"


def test_doctype_text_inside_cdata_after_the_root_is_not_mistaken_for_a_doctype() -> None:
    root = parse_untrusted(b"<r><![CDATA[<!DOCTYPE x>]]><!-- <!ENTITY y 'z'> --></r>", max_bytes=LIMIT)
    assert root.text == "<!DOCTYPE x>"


def test_billion_laughs_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(UnsafeXmlError) as refused:
        parse_untrusted(billion_laughs(), max_bytes=LIMIT)
    assert time.perf_counter() - started < 1
    assert "DOCTYPE" in refused.value.message


@pytest.mark.parametrize("document", [XXE_TEXT, XXE_ATTRIBUTE], ids=["text", "attribute"])
def test_external_entity_never_reads_the_file(document: bytes) -> None:
    with pytest.raises(UnsafeXmlError) as refused:
        parse_untrusted(document, max_bytes=LIMIT)
    assert PASSWD_LINE not in refused.value.message
    assert PASSWD_LINE not in str(refused.value)


def test_doctype_in_utf16_is_refused_too() -> None:
    document = XXE_TEXT.decode().replace("1.0\"?>", "1.0\" encoding=\"UTF-16\"?>").encode("utf-16")
    with pytest.raises(UnsafeXmlError):
        parse_untrusted(document, max_bytes=LIMIT)


def test_a_bare_doctype_without_entities_is_refused() -> None:
    with pytest.raises(UnsafeXmlError):
        parse_untrusted(b"<!DOCTYPE r><r/>", max_bytes=LIMIT)


def test_an_undeclared_entity_is_refused_as_unsafe() -> None:
    with pytest.raises(UnsafeXmlError):
        parse_untrusted(b"<r>&x;</r>", max_bytes=LIMIT)


def test_external_dtd_and_parameter_entities_are_never_fetched(listening_server: tuple[str, list[str]]) -> None:
    base, requests = listening_server
    documents = [
        f'<?xml version="1.0"?><!DOCTYPE r SYSTEM "{base}/dtd"><r/>',
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "{base}/pe"> %p;]><r>&x;</r>',
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{base}/x">]><r>&x;</r>',
    ]
    for document in documents:
        with pytest.raises(UnsafeXmlError):
            parse_untrusted(document.encode(), max_bytes=LIMIT)
    # The server works: a request made on purpose is recorded.
    import urllib.request

    with urllib.request.urlopen(f"{base}/probe", timeout=5) as response:
        assert response.status == 200
    assert requests == ["/probe"]


def test_too_big_is_refused_before_parsing() -> None:
    document = b"<r>" + b"a" * 2048 + b"</r>"
    with pytest.raises(XmlTooLargeError) as refused:
        parse_untrusted(document, max_bytes=1024)
    assert refused.value.message == "XML dosyası çok büyük (2 KB); en fazla 1 KB olabilir."
    assert isinstance(refused.value, UnsafeXmlError)


@pytest.mark.parametrize("data", [b"", b"  \n\t "], ids=["empty", "blank"])
def test_empty_is_refused(data: bytes) -> None:
    with pytest.raises(XmlFormatError) as refused:
        parse_untrusted(data, max_bytes=LIMIT)
    assert refused.value.message == "Dosya boş."


def test_truncated_document_is_refused_with_the_line() -> None:
    with pytest.raises(XmlFormatError) as refused:
        parse_untrusted(b"<r>\n<a>1</a>\n<b>", max_bytes=LIMIT)
    assert refused.value.message.startswith("Dosya geçerli bir XML belgesi değil ya da eksik/bozuk (satır 3")


@pytest.mark.parametrize(
    "data",
    [b"fatura", b"%PDF-1.7\n", b"PK\x03\x04rest-of-a-zip", gzip.compress(b"<r>gzip</r>")],
    ids=["text", "pdf", "zip", "gzip"],
)
def test_not_xml_is_refused(data: bytes) -> None:
    with pytest.raises(XmlFormatError):
        parse_untrusted(data, max_bytes=LIMIT)


def test_very_deep_nesting_is_refused() -> None:
    with pytest.raises(XmlFormatError):
        parse_untrusted(b"<a>" * 5000 + b"</a>" * 5000, max_bytes=LIMIT)


def test_every_refusal_has_a_turkish_message() -> None:
    for data in (billion_laughs(), b"", b"<r>", b"x" * 10):
        with pytest.raises(XmlInputError) as refused:
            parse_untrusted(data, max_bytes=5)
        assert refused.value.message and refused.value.message == str(refused.value)


def test_streaming_readers_get_the_same_protection() -> None:
    """iterparse with SAFE_PARSER_OPTIONS does not read the file; ensure_no_doctype refuses the DOCTYPE."""
    events = etree.iterparse(io.BytesIO(XXE_TEXT), events=("start", "end"), **SAFE_PARSER_OPTIONS)
    texts = []
    with pytest.raises(UnsafeXmlError):
        for _event, element in events:
            texts.append(element.text or "")
            ensure_no_doctype(element.getroottree())
    assert not any(PASSWD_LINE in text for text in texts)


def test_streaming_readers_accept_a_plain_document() -> None:
    events = etree.iterparse(io.BytesIO(b"<r><a>1</a></r>"), events=("start",), **SAFE_PARSER_OPTIONS)
    _event, root = next(events)
    ensure_no_doctype(root.getroottree())
    assert root.tag == "r"
