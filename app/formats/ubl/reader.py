"""Read UBL-TR invoices (bare, or inside a GİB envelope) from untrusted bytes.

Only the fields the portal needs are read, and each is checked against GİB's format rules; anything
else in the document is ignored. Refusals are ``InvoiceFormatError`` (Turkish ``message``, ``field``
= the InvoiceData attribute at fault) or, for unsafe/broken XML, the errors of app.formats.safe_xml.
Check digits of VKN/TCKN are NOT checked here (see docs/decisions/0041).
"""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import date, datetime, time
from decimal import Decimal
from typing import Callable, Final, Literal, TypeVar
from zoneinfo import ZoneInfo

from lxml import etree

from app.formats.safe_xml import XmlInputError, parse_untrusted
from app.formats.ubl import codes
from app.formats.ubl.model import InvoiceData, Party
from app.formats.ubl.namespaces import INVOICE, NSMAP, SBDH

DEFAULT_MAX_INVOICE_BYTES: Final = 10 * 1024 * 1024
_TURKEY: Final = ZoneInfo("Europe/Istanbul")
_INVOICE_TAG: Final = f"{{{INVOICE}}}Invoice"
_ENVELOPE_TAG: Final = f"{{{SBDH}}}StandardBusinessDocument"
# xsd:date / xsd:time shapes (an optional zone is allowed and then ignored).
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?")
_TIME: Final = re.compile(r"\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")
_T = TypeVar("_T")

# Other GİB documents people may upload by mistake, by root element name.
_OTHER_DOCUMENTS: Final = {
    "ApplicationResponse": "bir uygulama yanıtı (ApplicationResponse)",
    "DespatchAdvice": "bir e-İrsaliye (DespatchAdvice)",
    "ReceiptAdvice": "bir irsaliye yanıtı (ReceiptAdvice)",
    "CreditNote": "bir e-Müstahsil Makbuzu (CreditNote)",
    "ProcessUserAccount": "bir kullanıcı açma belgesi",
    "CancelUserAccount": "bir kullanıcı kapatma belgesi",
}


class InvoiceFormatError(XmlInputError):
    """The XML is safe but not a usable UBL-TR invoice.

    ``field`` is the InvoiceData attribute at fault, or "root" (not an invoice) / "envelope" (GİB envelope).
    """

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def read_invoice(data: bytes, *, max_bytes: int = DEFAULT_MAX_INVOICE_BYTES, today: date | None = None) -> InvoiceData:
    """Read exactly one invoice: a bare Invoice, or an envelope that carries exactly one."""
    invoices = read_invoices(data, max_bytes=max_bytes, today=today)
    if len(invoices) != 1:
        raise InvoiceFormatError(
            f"Zarfta {len(invoices)} fatura var; burada tek fatura bekleniyor.", field="envelope"
        )
    return invoices[0]


def read_invoices(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_INVOICE_BYTES, today: date | None = None
) -> tuple[InvoiceData, ...]:
    """Read a bare Invoice (one result) or every invoice of a GİB envelope (SENDERENVELOPE/POSTBOX)."""
    return tuple(invoice for invoice, _ in read_signed_invoices(data, max_bytes=max_bytes, today=today))


def read_signed_invoices(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_INVOICE_BYTES, today: date | None = None
) -> tuple[tuple[InvoiceData, bytes], ...]:
    """Like ``read_invoices``, each invoice with the document its signature covers.

    A bare invoice's document is ``data`` itself, byte for byte (a signature over the whole document
    includes what precedes the root, e.g. GİB's <?xml-stylesheet?>). An invoice in an envelope was signed
    as a document of its own before it was enveloped: it is copied out with the namespace declarations it
    carries and those it uses, not the envelope's others (which inclusive C14N would add to it).
    """
    root = parse_untrusted(data, max_bytes=max_bytes)
    elements = _invoice_elements(root)
    invoices = []
    for position, element in enumerate(elements, start=1):
        try:
            invoice = invoice_from_element(element, today=today)
        except InvoiceFormatError as error:
            if len(elements) == 1:
                raise
            raise InvoiceFormatError(f"Zarftaki {position}. fatura: {error.message}", error.field) from None
        invoices.append((invoice, data if element is root else _standalone(element)))
    return tuple(invoices)


def _standalone(element: etree._Element) -> bytes:
    copy = deepcopy(element)  # keeps the element's own declarations, adds only the inherited ones it uses
    copy.tail = None
    return etree.tostring(copy, encoding="UTF-8", xml_declaration=True)


def invoice_from_element(root: etree._Element, *, today: date | None = None) -> InvoiceData:
    """The checked fields of one parsed cbc/cac Invoice element."""
    if root.tag != _INVOICE_TAG:
        raise _wrong_root(root)
    fields = _Fields(root)
    return InvoiceData(
        ettn=fields.ettn(),
        number=fields.number(),
        profile_id=fields.code("cbc:ProfileID", "profile_id", "Senaryo (cbc:ProfileID)", codes.PROFILE_IDS),
        invoice_type_code=fields.code(
            "cbc:InvoiceTypeCode", "invoice_type_code", "Fatura tipi (cbc:InvoiceTypeCode)", codes.INVOICE_TYPE_CODES
        ),
        issue_date=fields.issue_date(today or datetime.now(_TURKEY).date()),
        issue_time=fields.issue_time(),
        sender=fields.party("cac:AccountingSupplierParty", "sender"),
        receiver=fields.party("cac:AccountingCustomerParty", "receiver"),
        payable_amount=fields.payable_amount(),
        currency=fields.currency(),
        has_signature=fields.has_signature(),
    )


def _invoice_elements(root: etree._Element) -> list[etree._Element]:
    if root.tag == _INVOICE_TAG:
        return [root]
    if root.tag != _ENVELOPE_TAG:
        raise _wrong_root(root)
    invoices: list[etree._Element] = []
    for elements in root.iterfind("ef:Package/Elements", NSMAP):
        element_type = (elements.findtext("ElementType") or "").strip()
        if element_type != "INVOICE":
            raise InvoiceFormatError(
                f"Zarf fatura taşımıyor (ElementType: {_short(element_type) or 'boş'}); "
                "yalnızca fatura zarfları okunur.",
                field="envelope",
            )
        invoices.extend(elements.iterfind("ElementList/inv:Invoice", NSMAP))
    if not invoices:
        raise InvoiceFormatError("Zarfın içinde fatura (Invoice) bulunamadı.", field="envelope")
    return invoices


def _wrong_root(root: etree._Element) -> InvoiceFormatError:
    name = etree.QName(root).localname
    what = _OTHER_DOCUMENTS.get(name, f"'{_short(name)}' kök öğeli bir belge")
    if name == "Invoice":
        what = "UBL ad alanında olmayan bir Invoice öğesi"
    return InvoiceFormatError(f"Bu dosya bir UBL-TR fatura değil; {what}.", field="root")


class _Fields:
    """Reads and checks the fields of one Invoice element."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root

    def text(self, path: str, field: str, label: str) -> str:
        value = _clean(self.root.findtext(path, namespaces=NSMAP))
        if not value:
            raise InvoiceFormatError(f"{label} bulunamadı ya da boş.", field=field)
        return value

    def matching(self, path: str, field: str, label: str, pattern: re.Pattern[str], rule: str) -> str:
        value = self.text(path, field, label)
        if not pattern.fullmatch(value):
            raise InvoiceFormatError(f"{label} '{_short(value)}' geçersiz; {rule}.", field=field)
        return value

    def ettn(self) -> str:
        rule = "UUID biçiminde olmalıdır (ör. f47ac10b-58cc-4372-a567-0e02b2c3d479)"
        return self.matching("cbc:UUID", "ettn", "ETTN (cbc:UUID)", codes.ETTN, rule).lower()

    def number(self) -> str:
        rule = (
            "'ABC2009123456789' biçiminde 16 karakter olmalıdır "
            "(3 büyük harf/rakam, 4 haneli yıl, 9 haneli sıra numarası)"
        )
        return self.matching("cbc:ID", "number", "Fatura numarası (cbc:ID)", codes.INVOICE_NUMBER, rule)

    def code(self, path: str, field: str, label: str, allowed: frozenset[str]) -> str:
        value = self.text(path, field, label)
        if value not in allowed:
            raise InvoiceFormatError(f"{label} '{_short(value)}' GİB kod listesinde yok.", field=field)
        return value

    def issue_date(self, today: date) -> date:
        value = self.text("cbc:IssueDate", "issue_date", "Fatura tarihi (cbc:IssueDate)")
        issued = _parse(_DATE, value, lambda text: date.fromisoformat(text[:10]))
        if issued is None:
            raise InvoiceFormatError(
                f"Fatura tarihi '{_short(value)}' geçersiz; YYYY-AA-GG biçiminde geçerli bir tarih olmalıdır.",
                field="issue_date",
            )
        if issued.year < codes.EARLIEST_ISSUE_YEAR:
            raise InvoiceFormatError("Fatura tarihi 01.01.2005'ten önce olamaz.", field="issue_date")
        if issued > today:
            raise InvoiceFormatError(
                f"Fatura tarihi ({issued:%d.%m.%Y}) bugünden ileri bir tarih olamaz.", field="issue_date"
            )
        return issued

    def issue_time(self) -> time | None:
        value = _clean(self.root.findtext("cbc:IssueTime", namespaces=NSMAP))
        if not value:
            return None
        parsed = _parse(_TIME, value, time.fromisoformat)
        if parsed is None:
            raise InvoiceFormatError(
                f"Fatura saati (cbc:IssueTime) '{_short(value)}' geçersiz; "
                "saat:dakika:saniye biçiminde olmalıdır (ör. 14:42:00).",
                field="issue_time",
            )
        return parsed.replace(tzinfo=None)

    def party(self, path: str, field: Literal["sender", "receiver"]) -> Party:
        role = "Satıcı" if field == "sender" else "Alıcı"
        party = self.root.find(f"{path}/cac:Party", NSMAP)
        if party is None:
            raise InvoiceFormatError(f"Faturada {role.lower()} bilgisi ({path[4:]}) bulunamadı.", field=field)
        ids = [
            (scheme, _clean(element.text))
            for element in party.iterfind("cac:PartyIdentification/cbc:ID", NSMAP)
            if (scheme := element.get("schemeID")) in codes.IDENTIFIER_LENGTHS
        ]
        if len(ids) != 1:
            problem = "bulunamadı" if not ids else "birden fazla"
            raise InvoiceFormatError(
                f"{role} için schemeID'si VKN veya TCKN olan kimlik numarası {problem}; tam olarak bir tane olmalıdır.",
                field=field,
            )
        scheme, identifier = ids[0]
        length = codes.IDENTIFIER_LENGTHS[scheme]
        if not (identifier.isascii() and identifier.isdigit() and len(identifier) == length):
            raise InvoiceFormatError(
                f"{role} {scheme} '{_short(identifier)}' geçersiz; {scheme} {length} haneli bir sayı olmalıdır.",
                field=field,
            )
        name = _party_name(party)
        if not name:
            raise InvoiceFormatError(
                f"{role} adı/unvanı bulunamadı (PartyName/Name ya da Person/FirstName ve FamilyName).", field=field
            )
        return Party(identifier=identifier, scheme="VKN" if scheme == "VKN" else "TCKN", name=name)

    def payable_amount(self) -> Decimal:
        rule = "noktadan önce en fazla 15, sonra en fazla 2 hane olan pozitif bir sayı olmalıdır (ör. 1250.50)"
        path = "cac:LegalMonetaryTotal/cbc:PayableAmount"
        return Decimal(self.matching(path, "payable_amount", "Ödenecek tutar (PayableAmount)", codes.AMOUNT, rule))

    def currency(self) -> str:
        amount = self.root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NSMAP)
        declared = _clean(amount.get("currencyID") if amount is not None else None)
        document = _clean(self.root.findtext("cbc:DocumentCurrencyCode", namespaces=NSMAP))
        value = declared or document
        if not codes.CURRENCY.fullmatch(value):
            raise InvoiceFormatError(
                f"Para birimi '{_short(value)}' geçersiz; üç büyük harfli kod olmalıdır (ör. TRY).", field="currency"
            )
        if document and document != value:
            raise InvoiceFormatError(
                f"Ödenecek tutarın para birimi ({value}) belgenin para birimiyle ({_short(document)}) aynı değil.",
                field="currency",
            )
        return value

    def has_signature(self) -> bool:
        value = self.root.findtext(
            "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature/ds:SignatureValue", namespaces=NSMAP
        )
        return bool(_clean(value))


def _party_name(party: etree._Element) -> str:
    name = _clean(party.findtext("cac:PartyName/cbc:Name", namespaces=NSMAP))
    if name:
        return name
    person = party.find("cac:Person", NSMAP)
    if person is None:
        return ""
    parts = ("FirstName", "MiddleName", "FamilyName")
    return " ".join(filter(None, (_clean(person.findtext(f"cbc:{part}", namespaces=NSMAP)) for part in parts)))


def _parse(pattern: re.Pattern[str], value: str, parse: Callable[[str], _T]) -> _T | None:
    """``parse(value)`` when value has the XML Schema shape and is a real date/time, else None."""
    if not pattern.fullmatch(value):
        return None
    try:
        return parse(value)
    except ValueError:  # e.g. 2023-02-30 or 25:00:00
        return None


def _clean(value: str | None) -> str:
    """Trim and collapse inner whitespace (names in GİB samples carry line breaks)."""
    return " ".join(value.split()) if value else ""


def _short(value: str, limit: int = 60) -> str:
    """Quote user data in messages without letting a huge value flood the page."""
    return value if len(value) <= limit else value[:limit] + "…"
