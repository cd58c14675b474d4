"""What Belge Saklama reads from an earlier signed UBL-TR document: its kind, ETTN, number, date and parties.

Covers e-Fatura and e-Arşiv invoices (Invoice), their answers (ApplicationResponse), e-İrsaliye (DespatchAdvice)
and its answer (ReceiptAdvice), e-SMM (Invoice, ProfileID EARSIVBELGE, type SERBESTMESLEKMAKBUZU) and e-MM
(CreditNote, type MUSTAHSILMAKBUZ). Pure lxml on an already safely parsed root (``app.formats.safe_xml``);
refusals are ``DocumentFormatError`` with a Turkish message. Only what the list and the rules need is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from lxml import etree

from app.formats.safe_xml import XmlInputError
from app.formats.ubl.model import Party

_CAC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
_CBC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_DS: Final = "http://www.w3.org/2000/09/xmldsig#"
_NS: Final = {"cac": _CAC, "cbc": _CBC, "ds": _DS}
_ROOT_NS: Final = "urn:oasis:names:specification:ubl:schema:xsd:{}-2"
_UUID: Final = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_LENGTHS: Final = {"VKN": 10, "TCKN": 11}

DOCUMENT_TYPES: Final = {
    "fatura": "Fatura",
    "earsiv_fatura": "e-Arşiv Fatura",
    "uygulama_yaniti": "Uygulama Yanıtı",
    "irsaliye": "e-İrsaliye",
    "irsaliye_yaniti": "İrsaliye Yanıtı",
    "esmm": "e-Serbest Meslek Makbuzu",
    "emm": "e-Müstahsil Makbuzu",
}

# Root element → (sender party path, receiver party path); the sender is the one who signs. Paths are Clark-notation
# tags walked child by child (``_find``): as ``find("cac:A/cac:B", namespaces)`` does, without ElementPath's
# per-call parsing of the path and the namespace map (decision note 0095: an import reads this 100,000 times).
def _tags(*names: str) -> tuple[str, ...]:
    return tuple(f"{{{_CAC if prefix == 'cac' else _CBC}}}{local}" for prefix, local in (n.split(":") for n in names))


_PARTIES: Final = {
    "Invoice": (_tags("cac:AccountingSupplierParty", "cac:Party"), _tags("cac:AccountingCustomerParty", "cac:Party")),
    "CreditNote": (_tags("cac:AccountingSupplierParty", "cac:Party"), _tags("cac:AccountingCustomerParty", "cac:Party")),
    "ApplicationResponse": (_tags("cac:SenderParty"), _tags("cac:ReceiverParty")),
    "DespatchAdvice": (_tags("cac:DespatchSupplierParty", "cac:Party"), _tags("cac:DeliveryCustomerParty", "cac:Party")),
    "ReceiptAdvice": (_tags("cac:DeliveryCustomerParty", "cac:Party"), _tags("cac:DespatchSupplierParty", "cac:Party")),
}
_ID, _UUID_TAG, _ISSUE_DATE, _PROFILE = _tags("cbc:ID", "cbc:UUID", "cbc:IssueDate", "cbc:ProfileID")
_INVOICE_TYPE, _CREDIT_NOTE_TYPE = _tags("cbc:InvoiceTypeCode", "cbc:CreditNoteTypeCode")
_PARTY_IDENTIFICATION, _PARTY_NAME, _NAME, _PERSON = _tags("cac:PartyIdentification", "cac:PartyName", "cbc:Name",
                                                           "cac:Person")
_PERSON_NAMES: Final = _tags("cbc:FirstName", "cbc:FamilyName")
_SIGNATURE: Final = f"{{{_DS}}}Signature"
_SIGNATURE_VALUE: Final = f"{{{_DS}}}SignatureValue"


class DocumentFormatError(XmlInputError):
    """Safe XML that is not a document Belge Saklama keeps, or lacks a field it needs."""


@dataclass(frozen=True, slots=True)
class StoredDocumentData:
    product: str  # efatura, earsiv, eirsaliye, esmm, emm
    document_type: str  # a key of DOCUMENT_TYPES
    ettn: str
    number: str
    issue_date: date
    sender: Party
    receiver: Party
    has_signature: bool


def read_stored_document(root: etree._Element, *, today: date,
                         signatures: list[etree._Element] | None = None) -> StoredDocumentData:
    """The fields of one parsed document, or DocumentFormatError with the reason. ``signatures``: the document's
    ds:Signature elements in document order when the caller has already found them (``signatures_of``)."""
    local, namespace = _local_name(root)
    if local not in _PARTIES or namespace != _ROOT_NS.format(local):
        raise DocumentFormatError(
            f"Bu dosya saklanabilecek bir belge değil (kök öğe '{_short(local)}'); e-Fatura, e-Arşiv, e-İrsaliye "
            "(ve yanıtları), e-SMM veya e-MM belgesi yükleyiniz.")
    product, document_type = _kind(root, local)
    sender_path, receiver_path = _PARTIES[local]
    return StoredDocumentData(
        product=product,
        document_type=document_type,
        ettn=_ettn(root),
        number=_required(root, _ID, "Belge numarası (cbc:ID)")[:40],
        issue_date=_issue_date(root, today),
        sender=_party(root, sender_path, "Gönderen"),
        receiver=_party(root, receiver_path, "Alıcı"),
        has_signature=bool(_signature_value(root, signatures).strip()),
    )


def signatures_of(root: etree._Element) -> list[etree._Element]:
    """Every ds:Signature element of the document, in document order (one walk of the tree, in C)."""
    return list(root.iter(_SIGNATURE))


def _signature_value(root: etree._Element, signatures: list[etree._Element] | None) -> str:
    """The text of the document's first ds:Signature/ds:SignatureValue, as ``findtext(".//ds:Signature/ds:…")``."""
    if signatures is None:
        signatures = signatures_of(root)
    if not signatures:
        return ""
    if len(signatures) == 1:
        return next(signatures[0].iterchildren(_SIGNATURE_VALUE), _NO_TEXT).text or ""
    # Nested or repeated signatures: the first match in document order, as ElementPath finds it.
    return root.findtext(".//ds:Signature/ds:SignatureValue", namespaces=_NS) or ""


class _NoText:
    text = None


_NO_TEXT: Final = _NoText()


def _find(element: etree._Element, tags: tuple[str, ...]) -> etree._Element | None:
    """The first element at the end of the child path ``tags`` (every branch tried in document order)."""
    if len(tags) == 1:
        return next(element.iterchildren(tags[0]), None)
    rest = tags[1:]
    for child in element.iterchildren(tags[0]):
        found = _find(child, rest)
        if found is not None:
            return found
    return None


def _text(element: etree._Element, tag: str) -> str:
    return next(element.iterchildren(tag), _NO_TEXT).text or ""


def _local_name(root: etree._Element) -> tuple[str, str]:
    if not isinstance(root.tag, str):
        return "", ""
    qname = etree.QName(root)
    return qname.localname, qname.namespace or ""


def _kind(root: etree._Element, local: str) -> tuple[str, str]:
    profile = _text(root, _PROFILE).strip()
    if local == "Invoice":
        type_code = _text(root, _INVOICE_TYPE).strip()
        if type_code == "SERBESTMESLEKMAKBUZU":
            return "esmm", "esmm"
        if profile == "EARSIVFATURA":
            return "earsiv", "earsiv_fatura"
        return "efatura", "fatura"
    if local == "CreditNote":
        type_code = _text(root, _CREDIT_NOTE_TYPE).strip()
        if type_code != "MUSTAHSILMAKBUZ":
            raise DocumentFormatError("CreditNote belgesi bir e-Müstahsil Makbuzu değil (CreditNoteTypeCode "
                                      "MUSTAHSILMAKBUZ olmalıdır).")
        return "emm", "emm"
    if local == "ApplicationResponse":
        return "efatura", "uygulama_yaniti"
    if local == "DespatchAdvice":
        return "eirsaliye", "irsaliye"
    return "eirsaliye", "irsaliye_yaniti"


def _required(root: etree._Element, tag: str, label: str) -> str:
    value = " ".join(_text(root, tag).split())
    if not value:
        raise DocumentFormatError(f"{label} bulunamadı ya da boş.")
    return value


def _ettn(root: etree._Element) -> str:
    value = _required(root, _UUID_TAG, "ETTN (cbc:UUID)")
    if not _UUID.fullmatch(value):
        raise DocumentFormatError(f"ETTN (cbc:UUID) '{_short(value)}' geçersiz; UUID biçiminde olmalıdır.")
    return value.lower()


def _issue_date(root: etree._Element, today: date) -> date:
    value = _required(root, _ISSUE_DATE, "Belge tarihi (cbc:IssueDate)")
    try:
        issued = date.fromisoformat(value[:10]) if _DATE.match(value) else None
    except ValueError:
        issued = None
    if issued is None:
        raise DocumentFormatError(f"Belge tarihi '{_short(value)}' geçersiz; YYYY-AA-GG biçiminde olmalıdır.")
    if issued > today:
        raise DocumentFormatError(f"Belge tarihi ({issued:%d.%m.%Y}) bugünden ileri bir tarih olamaz.")
    return issued


def _party(root: etree._Element, path: tuple[str, ...], role: str) -> Party:
    party = _find(root, path)
    if party is None:
        raise DocumentFormatError(f"Belgede {role.lower()} bilgisi bulunamadı.")
    ids = [(scheme, (element.text or "").strip())
           for identification in party.iterchildren(_PARTY_IDENTIFICATION) for element in identification.iterchildren(_ID)
           if (scheme := element.get("schemeID")) in _LENGTHS]
    if len(ids) != 1:
        raise DocumentFormatError(f"{role} için VKN veya TCKN olarak tek bir kimlik numarası bulunmalıdır.")
    scheme, identifier = ids[0]
    if not (identifier.isascii() and identifier.isdigit() and len(identifier) == _LENGTHS[scheme]):
        raise DocumentFormatError(f"{role} {scheme} '{_short(identifier)}' geçersiz.")
    found = _find(party, (_PARTY_NAME, _NAME))
    name = " ".join((found.text or "").split()) if found is not None else ""
    if not name:
        person = next(party.iterchildren(_PERSON), None)
        if person is not None:
            name = " ".join(" ".join(_text(person, tag).split()) for tag in _PERSON_NAMES).strip()
    return Party(identifier=identifier, scheme="VKN" if scheme == "VKN" else "TCKN", name=(name or identifier)[:250])


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
