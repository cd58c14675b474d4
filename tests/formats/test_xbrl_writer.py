"""The e-Defter writer (defter_stream, the portal's only one) produces what GİB's XSD and schematron accept,
spelt the way the schematron compares text, and refuses in Turkish what GİB would reject."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.model import Branch, EntryLine, JournalEntry, LedgerAccount, LedgerLine
from app.formats.xbrl.rules import LedgerWriteError
from app.formats.xbrl.canonical import DECLARATION
from app.formats.xbrl.defter_stream import ROOT_END
from app.formats.xbrl.samples import sample_company, sample_document, sample_entries, write_kebir_file, write_yevmiye_file
from tests.edefter_creation.gib_checks import schematron_errors

GIB_XSD = Path(__file__).resolve().parents[3] / "shared" / "gib" / "edefter" / "xsd" / "edefter.xsd"
NS = {"gl-cor": ns.GL_COR, "gl-bus": ns.GL_BUS, "xbrli": ns.XBRLI, "ds": ns.DS}


@pytest.fixture(scope="module")
def edefter_schema() -> etree.XMLSchema:
    if not GIB_XSD.exists():
        pytest.skip(f"GİB's e-Defter XSD is not on this machine ({GIB_XSD}); schema check skipped")
    return etree.XMLSchema(etree.parse(str(GIB_XSD), etree.XMLParser(no_network=True)))


def _assert_valid_xbrl(schema: etree.XMLSchema, root: etree._Element) -> None:
    """Validate the xbrli:xbrl content; the envelope's ds:Signature is the signer's part (test_xbrl_signature)."""
    xbrl = root.find(ns.xbrli("xbrl"))
    assert xbrl is not None
    assert schema.validate(etree.ElementTree(xbrl)), schema.error_log


def _write_bytes(**kwargs: object) -> bytes:
    document = sample_document()
    buffer = io.BytesIO()
    write_yevmiye_file(
        buffer,
        kwargs.pop("company", sample_company()),  # type: ignore[arg-type]
        document,
        kwargs.pop("entries", sample_entries(document, 3, first_counter=41)),  # type: ignore[arg-type]
        first_entry_counter=kwargs.pop("first_entry_counter", 41),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )
    return buffer.getvalue()


def _write(**kwargs: object) -> etree._Element:
    return etree.fromstring(_write_bytes(**kwargs))


@pytest.mark.parametrize("branch", [None, Branch("0001", "İzmir")], ids=["no-branch", "branch"])
def test_yevmiye_is_valid_against_gib_xsd_and_schematron(edefter_schema: etree.XMLSchema, branch: Branch | None,
                                                         tmp_path: Path) -> None:
    data = _write_bytes(company=sample_company(branch=branch))
    root = etree.fromstring(data)
    _assert_valid_xbrl(edefter_schema, root)
    descriptions = root.xpath("//gl-bus:organizationDescription/text()", namespaces=NS)
    assert ("Şube No" in descriptions) is (branch is not None)
    (tmp_path / "yevmiye.xml").write_bytes(data)
    assert schematron_errors(tmp_path / "yevmiye.xml", "edefter_yevmiye.xsl") == []


def test_yevmiye_numbers_maddeler_and_lines_consecutively_and_spells_amounts_like_gib() -> None:
    root = _write(first_entry_counter=41, first_line_number=121)
    counters = root.xpath("//gl-cor:entryNumberCounter/text()", namespaces=NS)
    assert counters == ["41", "42", "43"]
    assert root.xpath("//gl-cor:lineNumber/text()", namespaces=NS) == [str(n) for n in range(121, 130)]
    assert root.xpath("//gl-cor:entryHeader[1]/gl-bus:totalDebit/text()", namespaces=NS) == ["1180.00"]
    assert root.xpath("//gl-cor:entryHeader[1]/gl-bus:totalCredit/text()", namespaces=NS) == ["1180.00"]
    assert root.xpath("string(//gl-cor:uniqueID)", namespaces=NS) == "YEV202403000001"
    assert root.xpath("string(//xbrli:identifier)", namespaces=NS) == "9000068418"
    assert root.xpath("string(//gl-cor:periodCoveredEnd)", namespaces=NS) == "2024-03-31"
    assert set(root.xpath("//@decimals", namespaces=NS)) == {"INF"}


def test_person_is_named_by_adi_soyadi_and_the_root_ends_where_the_signer_inserts() -> None:
    data = _write_bytes(company=sample_company("10000000146"))
    root = etree.fromstring(data)
    assert root.xpath("//gl-bus:organizationDescription/text()", namespaces=NS)[0] == "Adı Soyadı"
    # Unsigned: only xbrli:xbrl; the signer puts ds:Signature before the root's end tag (test_xbrl_signature).
    assert [child.tag for child in root] == [ns.xbrli("xbrl")]
    assert data.startswith(DECLARATION) and data.endswith(b"</xbrli:xbrl>" + ROOT_END)


def test_kebir_is_valid_and_writes_net_balance(edefter_schema: etree.XMLSchema, tmp_path: Path) -> None:
    document = sample_document()
    day = date(2024, 3, 5)
    accounts = [
        LedgerAccount(
            "120", "ALICILAR", Decimal("1180.00"), Decimal("180.00"),
            [LedgerLine(7, "F7", day, Decimal("1180.00"), "D"), LedgerLine(9, "F9", day, Decimal("180.00"), "C")],
            sub_id="120.001", sub_description="Müşteri A",
        ),
        LedgerAccount("600", "YURT İÇİ SATIŞLAR", Decimal(0), Decimal("1000.00"),
                      [LedgerLine(7, "F7", day, Decimal("1000.00"), "C")]),
    ]
    path = tmp_path / "kebir.xml"
    result = write_kebir_file(path, sample_company(), document, accounts)
    root = etree.parse(str(path)).getroot()
    _assert_valid_xbrl(edefter_schema, root)
    assert schematron_errors(path, "edefter_kebir.xsl") == []
    assert root.xpath("string(//gl-cor:entriesType)", namespaces=NS) == "ledger"
    assert root.xpath("string(//gl-cor:uniqueID)", namespaces=NS) == "KEB202403000001"
    totals = root.xpath("//gl-cor:entryHeader/gl-bus:totalDebit/text() | //gl-cor:entryHeader/gl-bus:totalCredit/text()",
                        namespaces=NS)
    assert totals == ["1000.00", "0.00", "0.00", "1000.00"]
    assert result.entry_count == 2 and result.last_line_number == 3


def _entry(counter: int, *lines: EntryLine) -> JournalEntry:
    return JournalEntry(counter, date(2024, 3, 1), "Muhasebe", "Deneme", tuple(lines))


DEBIT = EntryLine("100", "KASA", Decimal("50.00"), "D")
CREDIT = EntryLine("600", "YURT İÇİ SATIŞLAR", Decimal("50.00"), "C")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([_entry(1, DEBIT, CREDIT), _entry(3, DEBIT, CREDIT)], "2 beklenirken 3 geldi"),
        ([_entry(1, DEBIT, replace(CREDIT, amount=Decimal("40.00")))], "toplamları eşit değil"),
        ([_entry(1, DEBIT)], "en az iki satır"),
        ([_entry(1, replace(DEBIT, amount=Decimal("50.005")), CREDIT)], "en çok iki hane"),
        ([_entry(1, replace(DEBIT, account_main_id="10"), CREDIT)], "3 ya da 4 karakter"),
        ([_entry(1, replace(DEBIT, document_type="invoice"), CREDIT)], "numarası ve tarihi"),
        ([replace(_entry(1, DEBIT, CREDIT), date=date(2024, 4, 1))], "döneminin"),
    ],
    ids=["counter-gap", "unbalanced", "one-line", "three-decimals", "short-account", "invoice-no-number", "outside"],
)
def test_writer_refuses_what_gib_would_reject(entries: list[JournalEntry], message: str) -> None:
    with pytest.raises(LedgerWriteError, match=message):
        write_yevmiye_file(io.BytesIO(), sample_company(), sample_document(), entries)


def test_writer_refuses_missing_company_settings() -> None:
    company = replace(sample_company(), nace_code=" ", accountants=())
    with pytest.raises(LedgerWriteError, match="NACE"):
        write_yevmiye_file(io.BytesIO(), company, sample_document(), [])


_DAY = date(2024, 3, 5)
_KASA = LedgerAccount("100", "KASA", Decimal("10.00"), Decimal(0), [LedgerLine(1, "F1", _DAY, Decimal("10.00"), "D")])
_SALES = LedgerAccount("600", "YURT İÇİ SATIŞLAR", Decimal(0), Decimal("10.00"),
                       [LedgerLine(1, "F1", _DAY, Decimal("10.00"), "C")])


@pytest.mark.parametrize(
    ("accounts", "message"),
    [
        ([_SALES, _KASA], "sıralı ve tekil"),
        ([replace(_KASA, debit_sum=Decimal("11.00"))], "toplamlarıyla uyuşmuyor"),
        ([replace(_KASA, debit_sum=Decimal(0), lines=[])], "satırı olmayan hesap"),
        ([replace(_KASA, lines=[replace(_KASA.lines[0], date=date(2024, 4, 1))])], "döneminin"),
    ],
    ids=["unsorted", "sums-differ", "no-lines", "outside"],
)
def test_kebir_writer_refuses_what_gib_would_reject(accounts: list[LedgerAccount], message: str) -> None:
    with pytest.raises(LedgerWriteError, match=message):
        write_kebir_file(io.BytesIO(), sample_company(), sample_document(), accounts)
