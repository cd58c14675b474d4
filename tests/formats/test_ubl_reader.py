"""Reading UBL-TR invoices: GİB's samples, envelopes, and every refusal a user can meet."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest
from lxml import etree

from app.formats.safe_xml import UnsafeXmlError, XmlFormatError, XmlTooLargeError
from app.formats.ubl.examples import example_invoice
from app.formats.ubl.model import InvoiceData, Party
from app.formats.ubl.namespaces import NSMAP
from app.formats.ubl.reader import InvoiceFormatError, read_invoice, read_invoices
from app.formats.ubl.writer import PartyDetails, build_invoice

GIB = Path("/work/shared/gib")
SAMPLE_DIRS = [GIB / "ubl-tr-1.2.1" / "samples", GIB / "efatura-paketi" / "samples"]
SAMPLES = sorted(path for folder in SAMPLE_DIRS if folder.is_dir() for path in folder.glob("*.xml"))
# GİB's own old samples that break rules GİB's current schematron enforces; they are refused, and say why.
NONCONFORMING = {
    "TemelFaturaOrnegi.xml": "number",  # GIB20090000000001 has 17 characters
    "ISTISNA-1.xml": "sender",  # VKN 870612534 has 9 digits
    "OTV.xml": "receiver",  # VKN 333063526 has 9 digits
}
TODAY = date(2026, 1, 1)


def sample_kind(path: Path) -> str:
    """What a sample is, seen with plain lxml (trusted files): invoice, broken or other."""
    try:
        root = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError:
        return "broken"
    if etree.QName(root).localname == "Invoice":
        return "invoice"
    return "invoice" if root.findtext("ef:Package/Elements/ElementType", namespaces=NSMAP) == "INVOICE" else "other"


def test_gib_samples_are_present() -> None:
    if not SAMPLES:
        pytest.skip(f"GİB sample folders absent: {', '.join(map(str, SAMPLE_DIRS))}")
    assert len(SAMPLES) > 40


@pytest.mark.parametrize("path", SAMPLES, ids=[path.name for path in SAMPLES])
def test_every_gib_sample_is_read_or_refused_with_a_reason(path: Path) -> None:
    data = path.read_bytes()
    kind = sample_kind(path)
    if kind == "invoice" and path.name not in NONCONFORMING:
        invoices = read_invoices(data, today=TODAY)
        assert invoices and all(isinstance(invoice, InvoiceData) for invoice in invoices)
    elif kind == "invoice":
        with pytest.raises(InvoiceFormatError) as refused:
            read_invoices(data, today=TODAY)
        assert refused.value.field == NONCONFORMING[path.name]
    elif kind == "broken":
        with pytest.raises(XmlFormatError):
            read_invoices(data, today=TODAY)
    else:
        with pytest.raises(InvoiceFormatError) as refused:
            read_invoices(data, today=TODAY)
        assert refused.value.field in ("root", "envelope")
        assert "fatura" in refused.value.message.lower()


def sample(name: str) -> bytes:
    path = next((path for path in SAMPLES if path.name == name), None)
    if path is None:
        pytest.skip(f"GİB sample {name} absent under {GIB}")
    return path.read_bytes()


def test_ticari_fatura_sample_values() -> None:
    invoice = read_invoice(sample("TicariFaturaOrnegi.xml"), today=TODAY)
    assert invoice == InvoiceData(
        ettn="f47ac10b-58cc-4372-a567-0e02b2c3d479",
        number="GIB2009000000011",
        profile_id="TICARIFATURA",
        invoice_type_code="SATIS",
        issue_date=date(2009, 1, 5),
        issue_time=time(14, 42),
        sender=Party("1288331521", "VKN", "AAA Anonim Şirketi"),
        receiver=Party("9205121120", "VKN", "BBB Limited Şirketi"),
        payable_amount=Decimal("29755.47"),
        currency="TRY",
        has_signature=False,
    )


def test_signed_gib_invoice_and_its_envelope_read_the_same() -> None:
    bare = read_invoice(sample("1_TEMEL_FATURA.xml"), today=TODAY)
    enveloped = read_invoice(sample("1_TEMEL_FATURA_ZARF.xml"), today=TODAY)
    assert bare == enveloped
    assert bare.has_signature
    assert (bare.number, bare.profile_id, bare.payable_amount, bare.currency) == (
        "TST2013000000766", "TEMELFATURA", Decimal("10.10"), "TRL"
    )  # fmt: skip


def test_person_names_come_from_first_and_family_name() -> None:
    invoice = read_invoice(sample("YOLCUBERABER.xml"), today=TODAY)
    assert invoice.sender == Party("77777777703", "TCKN", "Tax Free Mükellef")
    assert invoice.receiver.name.endswith("Bilgi İşlem Dairesi Başkanlığı")  # line break and indent collapsed


def test_hks_sample_number_with_digit_prefix_is_accepted() -> None:
    invoice = read_invoice(sample("HKS-Ornek1.xml"), today=TODAY)
    assert (invoice.number, invoice.profile_id) == ("0012020000000010", "HKS")
    assert invoice.sender.identifier == "1111111157"  # MERSISNO is ignored, the VKN is taken


# --- refusals on invoices made by the writer and then spoiled -----------------------------------------


def spoiled(change: Callable[[etree._Element], None], **overrides: object) -> bytes:
    root = etree.fromstring(build_invoice(example_invoice(**overrides)))  # type: ignore[arg-type]
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def set_text(path: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        element = root.find(path, NSMAP)
        assert element is not None, path
        element.text = value

    return change


def remove(path: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        element = root.find(path, NSMAP)
        assert element is not None, path
        element.getparent().remove(element)

    return change


def refusal(data: bytes) -> InvoiceFormatError:
    with pytest.raises(InvoiceFormatError) as refused:
        read_invoice(data, today=TODAY)
    return refused.value


def test_the_unspoiled_example_reads() -> None:
    invoice = read_invoice(build_invoice(example_invoice()), today=TODAY)
    assert invoice.number == "ANA2025000000001"


def test_wrong_root_application_response_is_refused() -> None:
    document = (
        b'<ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2">'
        b"<x/></ApplicationResponse>"
    )
    error = refusal(document)
    assert error.field == "root"
    assert error.message == "Bu dosya bir UBL-TR fatura değil; bir uygulama yanıtı (ApplicationResponse)."


def test_invoice_outside_the_ubl_namespace_is_refused() -> None:
    assert refusal(b"<Invoice><ID>ABC2024000000001</ID></Invoice>").field == "root"


def test_missing_payable_amount_is_refused() -> None:
    error = refusal(spoiled(remove("cac:LegalMonetaryTotal/cbc:PayableAmount")))
    assert error.field == "payable_amount"
    assert error.message == "Ödenecek tutar (PayableAmount) bulunamadı ya da boş."


@pytest.mark.parametrize("number", ["ABC123", "abc2024000000001", "ABC2024000000001X", "ABC1999000000001", ""])
def test_bad_invoice_number_is_refused(number: str) -> None:
    error = refusal(spoiled(set_text("cbc:ID", number)))
    assert error.field == "number"
    assert "ABC2009123456789" in error.message or "bulunamadı" in error.message


@pytest.mark.parametrize(
    "ettn", ["not-a-uuid", "f47ac10bx58cc-4372-a567-0e02b2c3d479", "{f47ac10b-58cc-4372-a567-0e02b2c3d479}"]
)
def test_bad_ettn_is_refused(ettn: str) -> None:
    assert refusal(spoiled(set_text("cbc:UUID", ettn))).field == "ettn"


def test_ettn_is_stored_lower_case() -> None:
    data = spoiled(set_text("cbc:UUID", "F47AC10B-58CC-4372-A567-0E02B2C3D479"))
    assert read_invoice(data, today=TODAY).ettn == "f47ac10b-58cc-4372-a567-0e02b2c3d479"


@pytest.mark.parametrize("amount", ["1.234,56", "-5.00", "12.345", "1e3", "NaN", "12 500", "1" * 16])
def test_bad_amount_is_refused(amount: str) -> None:
    error = refusal(spoiled(set_text("cac:LegalMonetaryTotal/cbc:PayableAmount", amount)))
    assert error.field == "payable_amount"
    assert "1250.50" in error.message


def test_amount_keeps_its_exact_decimal_value() -> None:
    data = spoiled(set_text("cac:LegalMonetaryTotal/cbc:PayableAmount", " 123456789012345.99 "))
    assert read_invoice(data, today=TODAY).payable_amount == Decimal("123456789012345.99")


@pytest.mark.parametrize("value", ["2024-02-30", "02.05.2024", "2024-5-2", "yesterday"])
def test_bad_date_is_refused(value: str) -> None:
    error = refusal(spoiled(set_text("cbc:IssueDate", value)))
    assert error.field == "issue_date"
    assert "YYYY-AA-GG" in error.message


def test_date_before_2005_and_in_the_future_are_refused() -> None:
    assert "2005" in refusal(spoiled(set_text("cbc:IssueDate", "2004-12-31"))).message
    future = refusal(spoiled(set_text("cbc:IssueDate", "2026-01-02")))
    assert future.message == "Fatura tarihi (02.01.2026) bugünden ileri bir tarih olamaz."
    assert read_invoice(spoiled(set_text("cbc:IssueDate", "2026-01-01")), today=TODAY).issue_date == TODAY


def test_issue_time_is_optional_and_checked() -> None:
    assert read_invoice(spoiled(remove("cbc:IssueTime")), today=TODAY).issue_time is None
    assert read_invoice(spoiled(set_text("cbc:IssueTime", "16:58:34.961+03:00")), today=TODAY).issue_time == time(
        16, 58, 34, 961000
    )
    assert refusal(spoiled(set_text("cbc:IssueTime", "25:00:00"))).field == "issue_time"


def test_unknown_profile_and_type_codes_are_refused() -> None:
    assert refusal(spoiled(set_text("cbc:ProfileID", "BASICINVOICE"))).field == "profile_id"
    assert refusal(spoiled(set_text("cbc:InvoiceTypeCode", "SALE"))).field == "invoice_type_code"


PARTY_ID = "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID"
BUYER_ID = "cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID"


@pytest.mark.parametrize("identifier", ["123456789", "12345678901", "12345A7890", ""])
def test_sender_vkn_must_have_ten_digits(identifier: str) -> None:
    error = refusal(spoiled(set_text(PARTY_ID, identifier)))
    assert error.field == "sender"
    assert "10 haneli" in error.message


def test_sender_without_vkn_or_tckn_is_refused() -> None:
    def other_scheme(root: etree._Element) -> None:
        root.find(PARTY_ID, NSMAP).set("schemeID", "MERSISNO")

    error = refusal(spoiled(other_scheme))
    assert (error.field, "bulunamadı" in error.message) == ("sender", True)


def test_receiver_with_both_vkn_and_tckn_is_refused() -> None:
    def add_tckn(root: etree._Element) -> None:
        identification = root.find(BUYER_ID, NSMAP).getparent()
        extra = etree.fromstring(etree.tostring(identification))
        extra[0].set("schemeID", "TCKN")
        extra[0].text = "12345678901"
        identification.addnext(extra)

    error = refusal(spoiled(add_tckn))
    assert (error.field, "birden fazla" in error.message) == ("receiver", True)


def test_tckn_receiver_must_have_eleven_digits() -> None:
    buyer = PartyDetails("12345678901", "Ayşe Yılmaz")
    error = refusal(spoiled(set_text(BUYER_ID, "1234567890"), buyer=buyer))
    assert error.field == "receiver"
    assert "TCKN 11 haneli" in error.message


def test_party_without_name_is_refused() -> None:
    error = refusal(spoiled(remove("cac:AccountingCustomerParty/cac:Party/cac:PartyName")))
    assert error.field == "receiver"


def test_check_digits_are_left_to_the_import() -> None:
    """GİB's own samples use test VKNs such as 9999999999, so only the length is checked here."""
    data = spoiled(set_text(PARTY_ID, "1111111111"))
    assert read_invoice(data, today=TODAY).sender.identifier == "1111111111"


def test_currency_must_match_the_document_currency() -> None:
    def other_currency(root: etree._Element) -> None:
        root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NSMAP).set("currencyID", "USD")

    error = refusal(spoiled(other_currency))
    assert error.field == "currency"
    assert error.message == "Ödenecek tutarın para birimi (USD) belgenin para birimiyle (TRY) aynı değil."


def test_signature_value_marks_the_invoice_signed() -> None:
    def fill(root: etree._Element) -> None:
        signature = root.find("ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature", NSMAP)
        etree.SubElement(signature, f"{{{NSMAP['ds']}}}SignatureValue").text = "c2lnbmF0dXJl"

    assert read_invoice(spoiled(fill), today=TODAY).has_signature
    assert not read_invoice(build_invoice(example_invoice()), today=TODAY).has_signature


def test_long_values_are_cut_in_messages() -> None:
    error = refusal(spoiled(set_text("cbc:ID", "X" * 5000)))
    assert len(error.message) < 300


# --- hostile and broken input ------------------------------------------------------------------------


def test_external_entity_in_an_invoice_never_reaches_the_data() -> None:
    data = build_invoice(example_invoice()).replace(
        b"<?xml version='1.0' encoding='UTF-8'?>",
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ).replace(b"Anadolu Yaz", b"&xxe;Anadolu Yaz")
    assert b"&xxe;" in data
    with pytest.raises(UnsafeXmlError) as refused:
        read_invoice(data, today=TODAY)
    assert "root:" not in refused.value.message


def test_invoice_over_the_size_bound_is_refused() -> None:
    data = build_invoice(example_invoice())
    with pytest.raises(XmlTooLargeError):
        read_invoice(data, max_bytes=len(data) - 1, today=TODAY)


def test_truncated_invoice_is_refused() -> None:
    data = build_invoice(example_invoice())
    with pytest.raises(XmlFormatError):
        read_invoice(data[: len(data) // 2], today=TODAY)


# --- envelopes -------------------------------------------------------------------------------------------


def envelope(*invoices: bytes, element_type: str = "INVOICE") -> bytes:
    body = b"".join(invoice.split(b"?>", 1)[1] for invoice in invoices)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sh:StandardBusinessDocument xmlns:sh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"'
        b' xmlns:ef="http://www.efatura.gov.tr/package-namespace"><sh:StandardBusinessDocumentHeader/>'
        b"<ef:Package><Elements><ElementType>" + element_type.encode() + b"</ElementType>"
        b"<ElementCount>" + str(len(invoices)).encode() + b"</ElementCount><ElementList>" + body +
        b"</ElementList></Elements></ef:Package></sh:StandardBusinessDocument>"
    )  # fmt: skip


def test_envelope_with_several_invoices() -> None:
    first = build_invoice(example_invoice(number="ANA2025000000001"))
    second = build_invoice(example_invoice(number="ANA2025000000002", ettn="5f0c2a8e-3b1d-4c6e-9a7f-2d4e6b8c0a13"))
    data = envelope(first, second)
    assert [invoice.number for invoice in read_invoices(data, today=TODAY)] == ["ANA2025000000001", "ANA2025000000002"]
    error = refusal(data)
    assert (error.field, error.message) == ("envelope", "Zarfta 2 fatura var; burada tek fatura bekleniyor.")


def test_envelope_of_application_responses_and_empty_envelope_are_refused() -> None:
    assert "APPLICATIONRESPONSE" in refusal(envelope(element_type="APPLICATIONRESPONSE")).message
    assert refusal(envelope()).message == "Zarfın içinde fatura (Invoice) bulunamadı."


def test_a_bad_invoice_in_an_envelope_is_named_by_its_position() -> None:
    good = build_invoice(example_invoice(number="ANA2025000000001"))
    bad = build_invoice(example_invoice(number="ANA2025000000002")).replace(b"ANA2025000000002", b"ANA25")
    with pytest.raises(InvoiceFormatError) as refused:
        read_invoices(envelope(good, bad), today=TODAY)
    assert refused.value.field == "number"
    assert refused.value.message.startswith("Zarftaki 2. fatura: Fatura numarası (cbc:ID) 'ANA25' geçersiz")
