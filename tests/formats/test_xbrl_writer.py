"""The e-Defter writer produces what GİB's XSD accepts, spelt the way GİB's schematron compares text."""

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
from app.formats.xbrl.samples import sample_company, sample_document, sample_entries
from app.formats.xbrl.writer import write_kebir, write_yevmiye

GIB_XSD = Path(__file__).resolve().parents[3] / "shared" / "gib" / "edefter" / "xsd" / "edefter.xsd"
NS = {"gl-cor": ns.GL_COR, "gl-bus": ns.GL_BUS, "xbrli": ns.XBRLI, "ds": ns.DS}


@pytest.fixture(scope="module")
def edefter_schema() -> etree.XMLSchema:
    if not GIB_XSD.exists():
        pytest.skip(f"GİB's e-Defter XSD is not on this machine ({GIB_XSD}); schema check skipped")
    return etree.XMLSchema(etree.parse(str(GIB_XSD), etree.XMLParser(no_network=True)))


def _assert_valid_xbrl(schema: etree.XMLSchema, root: etree._Element) -> None:
    """Validate the xbrli:xbrl content; the envelope's ds:Signature is the signer's part."""
    xbrl = root.find(ns.xbrli("xbrl"))
    assert xbrl is not None
    assert schema.validate(etree.ElementTree(xbrl)), schema.error_log


def _write(**kwargs: object) -> etree._Element:
    document = sample_document()
    buffer = io.BytesIO()
    write_yevmiye(
        buffer,
        kwargs.pop("company", sample_company()),  # type: ignore[arg-type]
        document,
        kwargs.pop("entries", sample_entries(document, 3, first_counter=41)),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )
    return etree.fromstring(buffer.getvalue())


@pytest.mark.parametrize("branch", [None, Branch("0001", "İzmir")], ids=["no-branch", "branch"])
def test_yevmiye_is_valid_against_gib_xsd(edefter_schema: etree.XMLSchema, branch: Branch | None) -> None:
    root = _write(company=sample_company(branch=branch))
    _assert_valid_xbrl(edefter_schema, root)
    descriptions = root.xpath("//gl-bus:organizationDescription/text()", namespaces=NS)
    assert ("Şube No" in descriptions) is (branch is not None)


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


def test_person_is_named_by_adi_soyadi_and_placeholder_follows_xbrl() -> None:
    root = _write(company=sample_company("10000000146"), signature_placeholder_id="Signature_YEV")
    assert root.xpath("//gl-bus:organizationDescription/text()", namespaces=NS)[0] == "Adı Soyadı"
    assert [child.tag for child in root] == [ns.xbrli("xbrl"), ns.SIGNATURE]
    assert root[1].get("Id") == "Signature_YEV" and len(root[1]) == 0


def test_kebir_is_valid_and_writes_net_balance(edefter_schema: etree.XMLSchema) -> None:
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
    buffer = io.BytesIO()
    result = write_kebir(buffer, sample_company(), document, accounts)
    root = etree.fromstring(buffer.getvalue())
    _assert_valid_xbrl(edefter_schema, root)
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
        write_yevmiye(io.BytesIO(), sample_company(), sample_document(), entries)


def test_writer_refuses_missing_company_settings() -> None:
    company = replace(sample_company(), nace_code=" ", accountants=())
    with pytest.raises(LedgerWriteError, match="NACE"):
        write_yevmiye(io.BytesIO(), company, sample_document(), [])
