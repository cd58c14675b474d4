"""The canonical writer, the streaming signer and the streaming verifier, checked against libxml2's C14N, xmlsec1,
GİB's XSD and schematron — on small documents of every shape and on a 50 MB part."""

from __future__ import annotations

import re

import contextlib
import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from app.formats.xbrl.berat import ROOT as BERAT_ROOT
from app.formats.xbrl.berat import ROOT_END as BERAT_END
from app.formats.xbrl.berat import BeratInput, berat_bytes
from app.formats.xbrl.canonical import DECLARATION, root_start
from app.formats.xbrl.defter_raporu import ROOT as DR_ROOT
from app.formats.xbrl.defter_raporu import ROOT_END as DR_END
from app.formats.xbrl.defter_raporu import AccountMovement, defter_raporu_bytes
from app.formats.xbrl.defter_stream import ROOT, ROOT_END, write_kebir_parts, write_yevmiye_parts
from app.formats.xbrl.model import EntryLine, JournalEntry, LedgerAccount, LedgerLine
from app.formats.xbrl.samples import entries_for_size, sample_company, sample_document, sample_entries
from app.signing.act import signing_act
from app.signing.demo_pki import DemoPKI
from app.signing.stream_verify import _stream_c14n, verify_signed_file
from app.signing.streamed import PreparedDocument, sign_prepared, write_signed
from tests.edefter_creation.gib_checks import schematron_errors, xsd_errors
from tests.signing.conftest import xmlsec1_verify


class Parts:
    """Parts written to a folder, by index."""

    def __init__(self, folder: Path, code: str) -> None:
        self.folder, self.code, self.paths = folder, code, {}

    @contextlib.contextmanager
    def open(self, index: int) -> Iterator[io.BufferedWriter]:
        path = self.folder / f"{self.code}-{index}.xml"
        with open(path, "wb") as handle:
            yield handle
        self.paths[index] = path


def _c14n_without_declaration(path: Path) -> bytes:
    return etree.tostring(etree.parse(str(path)), method="c14n")


def _sign_file(pki: DemoPKI, key: str, unsigned: Path, size: int, digest: bytes, root: str, end: bytes,
               target: Path) -> None:
    token = pki.token(key)
    prepared = PreparedDocument(digest, root_start(root).encode(), end)
    with signing_act(pki.module_path, token.label, token.pin) as act:
        signature = sign_prepared(act, prepared, signature_id=f"Signature_{uuid.uuid4().hex[:8]}")
    with open(unsigned, "rb") as source, open(target, "wb") as out:
        out.write(source.read(len(DECLARATION)))
        write_signed(source, size - len(DECLARATION), prepared, signature, out)


def _tricky_entries(document) -> Iterator[JournalEntry]:  # type: ignore[no-untyped-def]
    """Text C14N escapes: &, <, >, quotes, a carriage return, Turkish letters."""
    for entry in sample_entries(document, 6):
        yield replace(entry, comment=f'Ödeme & "tahsilat" <{entry.counter}> İş\r\nçıkışı', entered_by="Şükrü > Ali")


def test_written_parts_are_their_own_inclusive_c14n(tmp_path: Path) -> None:
    document = sample_document()
    company = sample_company()
    parts = Parts(tmp_path, "Y")
    written = write_yevmiye_parts(parts.open, company, document, _tricky_entries(document), first_entry_counter=1)
    for part in written:
        data = parts.paths[part.index].read_bytes()
        assert data.startswith(DECLARATION)
        assert data[len(DECLARATION):] == _c14n_without_declaration(parts.paths[part.index])
        assert hashlib.sha256(data[len(DECLARATION):]).digest() == part.digest
    body, digest = berat_bytes(company, BeratInput("journal", "YEV202403000001", document, str(uuid.uuid4()), 6, 123,
                                                   "c2ln", "Signature_1-SignatureValue", None))
    assert etree.tostring(etree.ElementTree(etree.fromstring(body)), method="c14n") == body
    body, _ = defter_raporu_bytes(company, document, str(uuid.uuid4()), 6,
                                  [AccountMovement("120", "ALICILAR & <A>", 2, Decimal("10.00"), 0, Decimal(0))])
    assert etree.tostring(etree.ElementTree(etree.fromstring(body)), method="c14n") == body


OTHER_SERIALISATIONS = [
    # attributes out of order, single quotes, spaces inside tags, an empty element written short
    b"<?xml version='1.0'?>\n<r xmlns:b='urn:b' xmlns:a='urn:a'><a:x  b:z='1' a:y=\"2\" c='&amp;&lt;&quot;&#9;&#10;&#13;>'/></r>",
    # comments everywhere (dropped), PIs before, inside and after the root (kept)
    b"<?xml version='1.0'?><?pi-before x?><!-- c --><r><!--i-->a<?pi inside?>b<c/>t</r><?after?><!-- c -->",
    # namespaces declared late, redundantly, a default namespace and its undeclaration
    b"<r xmlns='urn:d'><a xmlns:p='urn:p'><p:b xmlns:p='urn:p' xmlns='urn:d'><c xmlns=''>x</c></p:b></a></r>",
    # CDATA, character references, \r in text, xml:lang inherited, whitespace between elements
    b"<r xml:lang='tr'>\n  <a><![CDATA[<&>]]>&#x130;&#13;&#xD;</a>\n  <b>\xc4\xb0\xc5\x9f</b>\n</r>",
]


@pytest.mark.parametrize("document", OTHER_SERIALISATIONS, ids=["attributes", "comments-pis", "namespaces", "text"])
def test_streaming_c14n_agrees_with_libxml2(document: bytes) -> None:
    canonical = etree.tostring(etree.ElementTree(etree.fromstring(document)), method="c14n", with_comments=False)
    expected = hashlib.sha256(canonical).digest()
    _, signature, digest = _stream_c14n(io.BytesIO(document), "sha256")
    assert signature is None
    assert digest == expected


@pytest.mark.slow
def test_the_streaming_verifier_and_xmlsec1_agree_on_a_50_mb_part(demo_pki: DemoPKI, tmp_path: Path) -> None:
    document = sample_document()
    owner = demo_pki.token("anadolu").owner_id
    parts = Parts(tmp_path, "Y")
    [part] = write_yevmiye_parts(parts.open, sample_company(owner), document,
                                 sample_entries(document, entries_for_size(52 * 1024 * 1024)), first_entry_counter=1)
    assert part.size > 50 * 1024 * 1024
    signed = tmp_path / "signed.xml"
    _sign_file(demo_pki, "anadolu", parts.paths[0], part.size, part.digest, ROOT, ROOT_END, signed)
    parts.paths[0].unlink()
    assert xmlsec1_verify(signed.read_bytes(), demo_pki.ca_cert_path, tmp_path).returncode == 0
    assert verify_signed_file(signed, demo_pki.trust_anchors(), expected_owner_id=owner).ok
    # The same document written otherwise (a comment after the root's start tag) takes the streaming C14N path.
    other = tmp_path / "other.xml"
    with open(signed, "rb") as source, open(other, "wb") as out:
        head = source.read(4096)
        cut = head.index(b"<xbrli:xbrl>")
        out.write(head[:cut] + b"<!-- baska bir yazici -->" + head[cut:])
        while chunk := source.read(1 << 20):
            out.write(chunk)
    assert verify_signed_file(other, demo_pki.trust_anchors()).ok
    # One changed amount near the end: both verifiers refuse.
    data = bytearray(signed.read_bytes())
    where = data.rindex(b">1180.00<")
    data[where + 1:where + 8] = b"1180.01"
    (tmp_path / "changed.xml").write_bytes(bytes(data))
    del data
    result = verify_signed_file(tmp_path / "changed.xml", demo_pki.trust_anchors())
    assert not result.ok and result.code == "tampered"
    assert xmlsec1_verify((tmp_path / "changed.xml").read_bytes(), demo_pki.ca_cert_path, tmp_path).returncode != 0


def test_the_verifier_refuses_other_trust_anchors_owners_and_changes(demo_pki: DemoPKI, tmp_path: Path) -> None:
    document = sample_document()
    owner = demo_pki.token("anadolu").owner_id
    parts = Parts(tmp_path, "Y")
    [part] = write_yevmiye_parts(parts.open, sample_company(owner), document, sample_entries(document, 5),
                                 first_entry_counter=1)
    signed = tmp_path / "signed.xml"
    _sign_file(demo_pki, "anadolu", parts.paths[0], part.size, part.digest, ROOT, ROOT_END, signed)
    assert not verify_signed_file(signed, []).ok
    wrong_owner = verify_signed_file(signed, demo_pki.trust_anchors(), expected_owner_id="3900383669")
    assert not wrong_owner.ok
    text = signed.read_bytes()
    for changed in (text.replace(b"Muhasebe Servisi", b"Muhasebe Servisj", 1),
                    text.replace(b"<gl-cor:entryHeader>", b"<gl-cor:entryHeader><gl-cor:x></gl-cor:x>", 1),
                    text.replace(b"<ds:SignatureValue Id", b"<ds:SignatureValue  Id", 1).replace(b"==</ds:SignatureValue>", b"=A</ds:SignatureValue>", 1)):
        path = tmp_path / "c.xml"
        path.write_bytes(changed)
        assert not verify_signed_file(path, demo_pki.trust_anchors()).ok
    # The declaration is not signed: one that names another encoding makes a parser read other text (Turkish
    # letters in UTF-8 read as ISO-8859-9), so it must not pass on the bytes alone.
    assert verify_signed_file(signed, demo_pki.trust_anchors()).ok and "ş".encode() in text
    relabelled = tmp_path / "relabelled.xml"
    relabelled.write_bytes(re.sub(rb"\A<\?xml[^>]*\?>", b'<?xml version="1.0" encoding="ISO-8859-9"?>', text, count=1))
    assert relabelled.read_bytes() != text
    assert not verify_signed_file(relabelled, demo_pki.trust_anchors()).ok
    (tmp_path / "bad.xml").write_bytes(b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;</r>")
    assert verify_signed_file(tmp_path / "bad.xml", demo_pki.trust_anchors()).code in ("malformed", "no_signature")


def _ledger(entries: list[JournalEntry]) -> list[LedgerAccount]:
    accounts: dict[tuple[str, str], list[tuple[JournalEntry, EntryLine]]] = {}
    for entry in entries:
        for line in entry.lines:
            accounts.setdefault((line.account_main_id, line.account_sub_id or ""), []).append((entry, line))
    result = []
    for (main, sub), items in sorted(accounts.items()):
        debit = sum((line.amount for _, line in items if line.side == "D"), Decimal(0))
        credit = sum((line.amount for _, line in items if line.side == "C"), Decimal(0))
        result.append(LedgerAccount(main, items[0][1].account_main_description, debit, credit,
                                    [LedgerLine(e.counter, e.number_text, e.date, line.amount, line.side)
                                     for e, line in items], sub or None, items[0][1].account_sub_description))
    return result


def test_every_signed_kind_passes_gibs_xsd_and_schematron(demo_pki: DemoPKI, tmp_path: Path) -> None:
    document = sample_document()
    token = demo_pki.token("anadolu")
    company = sample_company(token.owner_id)
    entries = list(sample_entries(document, 40, first_counter=101))
    yevmiye_parts = Parts(tmp_path, "Y")
    kebir_parts = Parts(tmp_path, "K")
    yevmiye = write_yevmiye_parts(yevmiye_parts.open, company, document, entries, first_entry_counter=101,
                                  first_line_number=301, max_part_bytes=40_000)
    kebir = write_kebir_parts(kebir_parts.open, company, document, _ledger(entries), max_part_bytes=40_000)
    assert len(yevmiye) > 2 and all(p.size <= 40_000 for p in yevmiye)
    assert [p.first_entry_counter for p in yevmiye][1:] == [p.last_entry_counter + 1 for p in yevmiye][:-1]
    assert yevmiye[-1].last_line_number == 301 + 40 * 3 - 1
    for code, parts, written, stylesheet in (("Y", yevmiye_parts, yevmiye, "edefter_yevmiye_with_ds.xsl"),
                                             ("K", kebir_parts, kebir, "edefter_kebir_with_ds.xsl")):
        for part in written:
            signed = tmp_path / f"signed-{code}-{part.index}.xml"
            _sign_file(demo_pki, "anadolu", parts.paths[part.index], part.size, part.digest, ROOT, ROOT_END, signed)
            assert xsd_errors(signed) == []
            assert schematron_errors(signed, stylesheet) == []
    for tax_totals in ({"600C": Decimal("1000.00"), "391C": Decimal("180.00")}, None):  # with and without tax detail
        body, digest = berat_bytes(company, BeratInput("journal", yevmiye[0].unique_id, document,
                                                       str(uuid.uuid4()).upper(), 5, 4242, "c2lnbmF0dXJl",
                                                       "Signature_X-SignatureValue", tax_totals))
        unsigned = tmp_path / "berat-unsigned.xml"
        unsigned.write_bytes(DECLARATION + body)
        signed = tmp_path / "berat.xml"
        _sign_file(demo_pki, "anadolu", unsigned, len(DECLARATION) + len(body), digest, BERAT_ROOT, BERAT_END, signed)
        assert xsd_errors(signed) == []
        assert schematron_errors(signed, "edefter_berat_with_ds.xsl") == []
        assert xmlsec1_verify(signed.read_bytes(), demo_pki.ca_cert_path, tmp_path).returncode == 0
    body, digest = defter_raporu_bytes(company, document, str(uuid.uuid4()).upper(), 40,
                                       [AccountMovement("120", "ALICILAR", 40, Decimal("47200.00"), 0, Decimal(0))])
    unsigned = tmp_path / "dr-unsigned.xml"
    unsigned.write_bytes(DECLARATION + body)
    signed = tmp_path / "dr.xml"
    _sign_file(demo_pki, "anadolu", unsigned, len(DECLARATION) + len(body), digest, DR_ROOT, DR_END, signed)
    assert xsd_errors(signed) == []
    assert verify_signed_file(signed, demo_pki.trust_anchors()).ok


def test_gibs_schematron_is_really_applied(tmp_path: Path) -> None:
    """A yevmiye with a gap in its madde numbers is reported by GİB's schematron (the check can fail)."""
    document = sample_document()
    parts = Parts(tmp_path, "Y")
    write_yevmiye_parts(parts.open, sample_company(), document, sample_entries(document, 3), first_entry_counter=1)
    broken = parts.paths[0].read_bytes().replace(b'unitRef="countable">2</gl-cor:entryNumberCounter>',
                                                 b'unitRef="countable">7</gl-cor:entryNumberCounter>', 1)
    (tmp_path / "broken.xml").write_bytes(broken)
    assert schematron_errors(tmp_path / "broken.xml", "edefter_yevmiye.xsl")


def test_a_part_never_splits_a_madde_and_a_huge_madde_gets_a_part_of_its_own(tmp_path: Path) -> None:
    document = sample_document()
    entries = list(sample_entries(document, 10))
    big = replace(entries[4], lines=entries[4].lines * 40)  # 120 lines, balanced: the sale repeated
    entries[4] = big
    parts = Parts(tmp_path, "Y")
    written = write_yevmiye_parts(parts.open, sample_company(), document, entries, first_entry_counter=1,
                                  max_part_bytes=20_000)
    assert sum(p.entry_count for p in written) == 10
    for part in written:
        root = etree.parse(str(parts.paths[part.index])).getroot()
        headers = root.findall(".//{*}entryHeader")
        assert len(headers) == part.entry_count
        if part.size > 20_000:
            assert part.entry_count == 1 and part.line_count == 120
