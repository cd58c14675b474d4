"""Write UBL-TR 1.2.1 TEMELFATURA/TICARIFATURA invoices (demo data, signing benchmark, tests).

The result is unsigned: ``ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent`` holds an empty
``<ds:Signature Id="Signature_<number>"/>`` placeholder that the signing code fills as an enveloped
XAdES signature, and ``cac:Signature`` already points at that Id. Apart from that empty placeholder
the output is valid against GİB's UBL-Invoice-2.1.xsd. Amounts are in TRY with two decimals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

from lxml import etree

from app.formats.ubl import codes
from app.formats.ubl.namespaces import CAC, CBC, DS, EXT, INVOICE

CURRENCY: Final = "TRY"
VAT_TAX_TYPE_CODE: Final = "0015"  # KDV in GİB's TaxType code list
_CENT: Final = Decimal("0.01")
_NSMAP: Final = {None: INVOICE, "cac": CAC, "cbc": CBC, "ext": EXT, "ds": DS}
_PREFIXES: Final = {"cac": CAC, "cbc": CBC, "ext": EXT, "ds": DS}


@dataclass(frozen=True, slots=True)
class PartyDetails:
    """Seller or buyer. A TCKN holder's name is "Ad Soyad": the last word is written as FamilyName."""

    identifier: str  # VKN (10 digits) or TCKN (11 digits)
    name: str
    city: str = "Ankara"
    district: str = "Çankaya"
    street: str | None = None
    tax_office: str | None = None

    @property
    def scheme(self) -> Literal["VKN", "TCKN"]:
        return "VKN" if len(self.identifier) == 10 else "TCKN"


@dataclass(frozen=True, slots=True)
class LineItem:
    name: str
    quantity: Decimal
    unit_price: Decimal  # before VAT
    vat_percent: Decimal = Decimal("20")
    unit_code: str = "C62"  # adet

    @property
    def amount(self) -> Decimal:
        return _money(self.quantity * self.unit_price)

    @property
    def vat(self) -> Decimal:
        return _money(self.amount * self.vat_percent / 100)


@dataclass(frozen=True, slots=True)
class NewInvoice:
    number: str  # ABC2024000000001
    ettn: str  # UUID
    issue_date: date
    seller: PartyDetails
    buyer: PartyDetails
    lines: tuple[LineItem, ...]
    issue_time: time | None = None
    profile_id: Literal["TEMELFATURA", "TICARIFATURA"] = "TEMELFATURA"
    invoice_type_code: str = "SATIS"
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class InvoiceTotals:
    line_extension: Decimal  # sum of line amounts before VAT
    vat: Decimal
    payable: Decimal
    vat_by_percent: dict[Decimal, tuple[Decimal, Decimal]]  # percent -> (taxable amount, VAT)


def signature_id(number: str) -> str:
    """The Id of the ds:Signature placeholder (and of cac:Signature's reference) for an invoice."""
    return f"Signature_{number}"


def compute_totals(lines: tuple[LineItem, ...]) -> InvoiceTotals:
    """Invoice totals as the written document states them (VAT rounded per line, then summed)."""
    by_percent: dict[Decimal, tuple[Decimal, Decimal]] = defaultdict(lambda: (Decimal(0), Decimal(0)))
    for line in lines:
        taxable, vat = by_percent[line.vat_percent]
        by_percent[line.vat_percent] = (taxable + line.amount, vat + line.vat)
    line_extension = sum((line.amount for line in lines), Decimal(0))
    vat_total = sum((line.vat for line in lines), Decimal(0))
    return InvoiceTotals(line_extension, vat_total, line_extension + vat_total, dict(by_percent))


def build_invoice(invoice: NewInvoice) -> bytes:
    """The invoice as compact UTF-8 XML bytes (with an XML declaration), ready to be signed."""
    _check(invoice)
    totals = compute_totals(invoice.lines)
    root = etree.Element(f"{{{INVOICE}}}Invoice", nsmap=_NSMAP)
    content = _add(_add(_add(root, "ext:UBLExtensions"), "ext:UBLExtension"), "ext:ExtensionContent")
    _add(content, "ds:Signature", Id=signature_id(invoice.number))
    _header(root, invoice)
    _signature_reference(root, invoice)
    _party(_add(root, "cac:AccountingSupplierParty"), invoice.seller)
    _party(_add(root, "cac:AccountingCustomerParty"), invoice.buyer)
    _tax_total(root, totals.vat, totals.vat_by_percent)
    monetary = _add(root, "cac:LegalMonetaryTotal")
    _amount(monetary, "cbc:LineExtensionAmount", totals.line_extension)
    _amount(monetary, "cbc:TaxExclusiveAmount", totals.line_extension)
    _amount(monetary, "cbc:TaxInclusiveAmount", totals.payable)
    _amount(monetary, "cbc:PayableAmount", totals.payable)
    for number, line in enumerate(invoice.lines, start=1):
        _line(root, number, line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _check(invoice: NewInvoice) -> None:
    problems = []
    if not codes.INVOICE_NUMBER.fullmatch(invoice.number):
        problems.append(f"number {invoice.number!r} does not match GİB's pattern")
    if not codes.ETTN.fullmatch(invoice.ettn):
        problems.append(f"ettn {invoice.ettn!r} is not a UUID")
    for role, party in (("seller", invoice.seller), ("buyer", invoice.buyer)):
        if not (party.identifier.isascii() and party.identifier.isdigit() and len(party.identifier) in (10, 11)):
            problems.append(f"{role} identifier {party.identifier!r} is neither 10 (VKN) nor 11 (TCKN) digits")
        if party.scheme == "TCKN" and len(party.name.split()) < 2:
            problems.append(f"{role} is a person (TCKN): name must be 'first name(s) family name'")
    if invoice.profile_id not in ("TEMELFATURA", "TICARIFATURA"):
        problems.append(f"profile {invoice.profile_id!r} is not TEMELFATURA or TICARIFATURA")
    if invoice.invoice_type_code not in codes.INVOICE_TYPE_CODES:
        problems.append(f"invoice type {invoice.invoice_type_code!r} is not in GİB's list")
    if not invoice.lines:
        problems.append("an invoice needs at least one line")
    if any(line.quantity <= 0 or line.unit_price < 0 or line.vat_percent <= 0 for line in invoice.lines):
        problems.append("lines need a positive quantity and VAT rate and a non-negative price")
    if problems:
        raise ValueError("; ".join(problems))


def _header(root: etree._Element, invoice: NewInvoice) -> None:
    _add(root, "cbc:UBLVersionID", "2.1")
    _add(root, "cbc:CustomizationID", "TR1.2")
    _add(root, "cbc:ProfileID", invoice.profile_id)
    _add(root, "cbc:ID", invoice.number)
    _add(root, "cbc:CopyIndicator", "false")
    _add(root, "cbc:UUID", invoice.ettn)
    _add(root, "cbc:IssueDate", invoice.issue_date.isoformat())
    if invoice.issue_time is not None:
        _add(root, "cbc:IssueTime", invoice.issue_time.replace(microsecond=0).isoformat())
    _add(root, "cbc:InvoiceTypeCode", invoice.invoice_type_code)
    for note in invoice.notes:
        _add(root, "cbc:Note", note)
    _add(root, "cbc:DocumentCurrencyCode", CURRENCY)
    _add(root, "cbc:LineCountNumeric", str(len(invoice.lines)))


def _signature_reference(root: etree._Element, invoice: NewInvoice) -> None:
    signature = _add(root, "cac:Signature")
    _add(signature, "cbc:ID", invoice.seller.identifier, schemeID="VKN_TCKN")
    signatory = _add(signature, "cac:SignatoryParty")
    _identification(signatory, invoice.seller)
    _address(signatory, invoice.seller)
    reference = _add(_add(signature, "cac:DigitalSignatureAttachment"), "cac:ExternalReference")
    _add(reference, "cbc:URI", f"#{signature_id(invoice.number)}")


def _party(parent: etree._Element, details: PartyDetails) -> None:
    party = _add(parent, "cac:Party")
    _identification(party, details)
    if details.scheme == "VKN":
        _add(_add(party, "cac:PartyName"), "cbc:Name", details.name)
    _address(party, details)
    if details.tax_office:
        _add(_add(_add(party, "cac:PartyTaxScheme"), "cac:TaxScheme"), "cbc:Name", details.tax_office)
    if details.scheme == "TCKN":
        first_names, family_name = details.name.rsplit(maxsplit=1)
        person = _add(party, "cac:Person")
        _add(person, "cbc:FirstName", first_names)
        _add(person, "cbc:FamilyName", family_name)


def _identification(party: etree._Element, details: PartyDetails) -> None:
    _add(_add(party, "cac:PartyIdentification"), "cbc:ID", details.identifier, schemeID=details.scheme)


def _address(party: etree._Element, details: PartyDetails) -> None:
    address = _add(party, "cac:PostalAddress")
    if details.street:
        _add(address, "cbc:StreetName", details.street)
    _add(address, "cbc:CitySubdivisionName", details.district)
    _add(address, "cbc:CityName", details.city)
    _add(_add(address, "cac:Country"), "cbc:Name", "Türkiye")


def _tax_total(parent: etree._Element, vat: Decimal, by_percent: dict[Decimal, tuple[Decimal, Decimal]]) -> None:
    tax_total = _add(parent, "cac:TaxTotal")
    _amount(tax_total, "cbc:TaxAmount", vat)
    for percent, (taxable, percent_vat) in sorted(by_percent.items()):
        subtotal = _add(tax_total, "cac:TaxSubtotal")
        _amount(subtotal, "cbc:TaxableAmount", taxable)
        _amount(subtotal, "cbc:TaxAmount", percent_vat)
        _add(subtotal, "cbc:Percent", _plain(percent))
        scheme = _add(_add(subtotal, "cac:TaxCategory"), "cac:TaxScheme")
        _add(scheme, "cbc:Name", "KDV")
        _add(scheme, "cbc:TaxTypeCode", VAT_TAX_TYPE_CODE)


def _line(root: etree._Element, number: int, line: LineItem) -> None:
    element = _add(root, "cac:InvoiceLine")
    _add(element, "cbc:ID", str(number))
    _add(element, "cbc:InvoicedQuantity", _plain(line.quantity), unitCode=line.unit_code)
    _amount(element, "cbc:LineExtensionAmount", line.amount)
    _tax_total(element, line.vat, {line.vat_percent: (line.amount, line.vat)})
    _add(_add(element, "cac:Item"), "cbc:Name", line.name)
    _amount(_add(element, "cac:Price"), "cbc:PriceAmount", line.unit_price, places=None)


def _add(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    prefix, local = name.split(":")
    element = etree.SubElement(parent, f"{{{_PREFIXES[prefix]}}}{local}", attributes)
    element.text = text
    return element


def _amount(parent: etree._Element, name: str, value: Decimal, places: Decimal | None = _CENT) -> None:
    text = f"{value.quantize(places, ROUND_HALF_UP):f}" if places is not None else _plain(value)
    _add(parent, name, text, currencyID=CURRENCY)


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 20, 1.5, 1000."""
    return f"{value.normalize():f}"
