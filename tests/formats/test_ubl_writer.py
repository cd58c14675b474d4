"""The invoice writer: what it writes reads back the same, is XSD-valid, and is ready for signing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner, methods

from app.formats.ubl.examples import DEMO_BUYER, DEMO_SELLER, example_invoice
from app.formats.ubl.model import Party
from app.formats.ubl.namespaces import NSMAP
from app.formats.ubl.reader import read_invoice
from app.formats.ubl.writer import LineItem, NewInvoice, PartyDetails, build_invoice, compute_totals, signature_id

INVOICE_XSD = Path("/work/shared/gib/ubl-tr-1.2.1/xsdrt/maindoc/UBL-Invoice-2.1.xsd")
TODAY = date(2026, 1, 1)
PERSON = PartyDetails("12345678901", "Ayşe Nur Yılmaz", city="İstanbul", district="Kadıköy")
LINES = (
    LineItem("Danışmanlık", Decimal("3"), Decimal("1250.555")),
    LineItem("Kitap", Decimal("2"), Decimal("100"), vat_percent=Decimal("10"), unit_code="NIU"),
    LineItem("Kırtasiye", Decimal("0.5"), Decimal("19.99")),
)


@pytest.fixture(scope="module")
def invoice_schema() -> etree.XMLSchema:
    if not INVOICE_XSD.is_file():
        pytest.skip(f"GİB's UBL-TR XSD absent: {INVOICE_XSD}")
    return etree.XMLSchema(etree.parse(str(INVOICE_XSD)))


def schema_errors(schema: etree.XMLSchema, data: bytes) -> list[tuple[str, str]]:
    schema.validate(etree.fromstring(data))
    return [(error.path, error.message) for error in schema.error_log]


PLACEHOLDER_PATH = "/*/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature"


@pytest.mark.parametrize(
    "invoice",
    [
        example_invoice(),
        example_invoice(profile_id="TICARIFATURA", buyer=PERSON, lines=LINES, issue_time=None),
        example_invoice(seller=PERSON, buyer=DEMO_SELLER),
    ],
    ids=["temel", "ticari-person-buyer", "person-seller"],
)
def test_output_is_valid_ubl_tr_except_for_the_empty_signature(
    invoice: NewInvoice, invoice_schema: etree.XMLSchema
) -> None:
    """The only XSD complaint is the empty ds:Signature that signing fills in."""
    errors = schema_errors(invoice_schema, build_invoice(invoice))
    assert len(errors) == 1, errors
    path, message = errors[0]
    assert path == PLACEHOLDER_PATH
    assert "Missing child element(s). Expected is ( {http://www.w3.org/2000/09/xmldsig#}SignedInfo )" in message


def sign_with_software_key(data: bytes) -> etree._Element:
    """Fill the placeholder the way app.signing does (signxml finds it by Id="placeholder")."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Demo Mali Mühür")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256())
    )  # fmt: skip
    root = etree.fromstring(data)
    root.find(".//ds:Signature", NSMAP).set("Id", "placeholder")
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    )
    return signer.sign(root, key=key, cert=[certificate])


def test_once_signed_in_place_the_invoice_is_fully_valid(invoice_schema: etree.XMLSchema) -> None:
    signed = sign_with_software_key(build_invoice(example_invoice()))
    assert schema_errors(invoice_schema, etree.tostring(signed)) == []
    signatures = signed.findall(".//ds:Signature", NSMAP)
    assert len(signatures) == 1 and signatures[0].getparent().tag.endswith("ExtensionContent")
    assert read_invoice(etree.tostring(signed), today=TODAY).has_signature


def test_a_real_mistake_is_caught_by_the_schema(invoice_schema: etree.XMLSchema) -> None:
    root = etree.fromstring(build_invoice(example_invoice()))
    root.remove(root.find("cbc:LineCountNumeric", NSMAP))
    assert len(schema_errors(invoice_schema, etree.tostring(root))) == 2


@pytest.mark.parametrize("profile_id", ["TEMELFATURA", "TICARIFATURA"])
def test_round_trip_gives_the_same_values(profile_id: Literal["TEMELFATURA", "TICARIFATURA"]) -> None:
    invoice = example_invoice(
        number="XYZ2025000000042",
        ettn="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        issue_date=date(2025, 12, 31),
        issue_time=time(23, 59, 59),
        buyer=PERSON,
        lines=LINES,
        profile_id=profile_id,
    )
    read = read_invoice(build_invoice(invoice), today=TODAY)
    assert (read.number, read.ettn, read.profile_id, read.invoice_type_code) == (
        "XYZ2025000000042", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", profile_id, "SATIS"
    )  # fmt: skip
    assert (read.issue_date, read.issue_time) == (date(2025, 12, 31), time(23, 59, 59))
    assert read.sender == Party(DEMO_SELLER.identifier, "VKN", DEMO_SELLER.name)
    assert read.receiver == Party("12345678901", "TCKN", "Ayşe Nur Yılmaz")
    assert (read.payable_amount, read.currency, read.has_signature) == (compute_totals(LINES).payable, "TRY", False)


def test_totals_round_each_line_then_add() -> None:
    totals = compute_totals(LINES)
    # 3 x 1250.555 = 3751.665 -> 3751.67 (+20% = 750.33); 2 x 100 = 200 (+10% = 20); 0.5 x 19.99 = 10.00 (+2.00)
    assert totals.line_extension == Decimal("3961.67")
    assert totals.vat == Decimal("772.33")
    assert totals.payable == Decimal("4734.00")
    assert totals.vat_by_percent == {
        Decimal("20"): (Decimal("3761.67"), Decimal("752.33")),
        Decimal("10"): (Decimal("200.00"), Decimal("20.00")),
    }


def test_written_amounts_and_tax_subtotals() -> None:
    root = etree.fromstring(build_invoice(example_invoice(lines=LINES)))
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NSMAP) == "4734.00"
    assert root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NSMAP) == "772.33"
    percents = [element.text for element in root.iterfind("cac:TaxTotal/cac:TaxSubtotal/cbc:Percent", NSMAP)]
    assert percents == ["10", "20"]
    assert root.findtext("cbc:LineCountNumeric", namespaces=NSMAP) == "3"
    quantities = [element.text for element in root.iterfind("cac:InvoiceLine/cbc:InvoicedQuantity", NSMAP)]
    assert quantities == ["3", "2", "0.5"]


def test_signature_placeholder_is_where_signing_expects_it() -> None:
    invoice = example_invoice()
    root = etree.fromstring(build_invoice(invoice))
    contents = root.findall("ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/*", NSMAP)
    assert [element.tag for element in contents] == [f"{{{NSMAP['ds']}}}Signature"]
    assert len(contents[0]) == 0
    assert contents[0].get("Id") == signature_id(invoice.number) == "Signature_ANA2025000000001"
    uri = root.findtext("cac:Signature/cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI", namespaces=NSMAP)
    assert uri == "#Signature_ANA2025000000001"
    signer_id = root.find("cac:Signature/cbc:ID", NSMAP)
    assert (signer_id.text, signer_id.get("schemeID")) == (DEMO_SELLER.identifier, "VKN_TCKN")


def test_example_is_about_four_kilobytes_for_the_signing_benchmark() -> None:
    assert 3500 <= len(build_invoice(example_invoice())) <= 5000


def test_person_parties_are_written_as_first_and_family_name() -> None:
    root = etree.fromstring(build_invoice(example_invoice(buyer=PERSON)))
    person = root.find("cac:AccountingCustomerParty/cac:Party/cac:Person", NSMAP)
    assert [child.text for child in person] == ["Ayşe Nur", "Yılmaz"]
    assert root.find("cac:AccountingCustomerParty/cac:Party/cac:PartyName", NSMAP) is None


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"number": "GIB20090000000001"}, "number"),
        ({"ettn": "not-a-uuid"}, "ettn"),
        ({"buyer": PartyDetails("12345678901", "Cher")}, "first name"),
        ({"buyer": PartyDetails("123456789", "Kısa VKN A.Ş.")}, "neither 10"),
        ({"lines": ()}, "at least one line"),
        ({"lines": (LineItem("Bedava", Decimal("0"), Decimal("1")),)}, "positive quantity"),
    ],
)
def test_bad_input_is_a_programming_error(change: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        build_invoice(example_invoice(**change))  # type: ignore[arg-type]


def test_demo_parties_are_distinct_companies() -> None:
    assert DEMO_SELLER.identifier != DEMO_BUYER.identifier
    assert (DEMO_SELLER.scheme, DEMO_BUYER.scheme, PERSON.scheme) == ("VKN", "VKN", "TCKN")
