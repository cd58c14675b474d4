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

# Root element → (sender party path, receiver party path); the sender is the one who signs.
_PARTIES: Final = {
    "Invoice": ("cac:AccountingSupplierParty/cac:Party", "cac:AccountingCustomerParty/cac:Party"),
    "CreditNote": ("cac:AccountingSupplierParty/cac:Party", "cac:AccountingCustomerParty/cac:Party"),
    "ApplicationResponse": ("cac:SenderParty", "cac:ReceiverParty"),
    "DespatchAdvice": ("cac:DespatchSupplierParty/cac:Party", "cac:DeliveryCustomerParty/cac:Party"),
    "ReceiptAdvice": ("cac:DeliveryCustomerParty/cac:Party", "cac:DespatchSupplierParty/cac:Party"),
}


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


def read_stored_document(root: etree._Element, *, today: date) -> StoredDocumentData:
    """The fields of one parsed document, or DocumentFormatError with the reason."""
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
        number=_required(root, "cbc:ID", "Belge numarası (cbc:ID)")[:40],
        issue_date=_issue_date(root, today),
        sender=_party(root, sender_path, "Gönderen"),
        receiver=_party(root, receiver_path, "Alıcı"),
        has_signature=bool((root.findtext(".//ds:Signature/ds:SignatureValue", namespaces=_NS) or "").strip()),
    )


def _local_name(root: etree._Element) -> tuple[str, str]:
    if not isinstance(root.tag, str):
        return "", ""
    qname = etree.QName(root)
    return qname.localname, qname.namespace or ""


def _kind(root: etree._Element, local: str) -> tuple[str, str]:
    profile = (root.findtext("cbc:ProfileID", namespaces=_NS) or "").strip()
    if local == "Invoice":
        type_code = (root.findtext("cbc:InvoiceTypeCode", namespaces=_NS) or "").strip()
        if type_code == "SERBESTMESLEKMAKBUZU":
            return "esmm", "esmm"
        if profile == "EARSIVFATURA":
            return "earsiv", "earsiv_fatura"
        return "efatura", "fatura"
    if local == "CreditNote":
        type_code = (root.findtext("cbc:CreditNoteTypeCode", namespaces=_NS) or "").strip()
        if type_code != "MUSTAHSILMAKBUZ":
            raise DocumentFormatError("CreditNote belgesi bir e-Müstahsil Makbuzu değil (CreditNoteTypeCode "
                                      "MUSTAHSILMAKBUZ olmalıdır).")
        return "emm", "emm"
    if local == "ApplicationResponse":
        return "efatura", "uygulama_yaniti"
    if local == "DespatchAdvice":
        return "eirsaliye", "irsaliye"
    return "eirsaliye", "irsaliye_yaniti"


def _required(root: etree._Element, path: str, label: str) -> str:
    value = " ".join((root.findtext(path, namespaces=_NS) or "").split())
    if not value:
        raise DocumentFormatError(f"{label} bulunamadı ya da boş.")
    return value


def _ettn(root: etree._Element) -> str:
    value = _required(root, "cbc:UUID", "ETTN (cbc:UUID)")
    if not _UUID.fullmatch(value):
        raise DocumentFormatError(f"ETTN (cbc:UUID) '{_short(value)}' geçersiz; UUID biçiminde olmalıdır.")
    return value.lower()


def _issue_date(root: etree._Element, today: date) -> date:
    value = _required(root, "cbc:IssueDate", "Belge tarihi (cbc:IssueDate)")
    try:
        issued = date.fromisoformat(value[:10]) if _DATE.match(value) else None
    except ValueError:
        issued = None
    if issued is None:
        raise DocumentFormatError(f"Belge tarihi '{_short(value)}' geçersiz; YYYY-AA-GG biçiminde olmalıdır.")
    if issued > today:
        raise DocumentFormatError(f"Belge tarihi ({issued:%d.%m.%Y}) bugünden ileri bir tarih olamaz.")
    return issued


def _party(root: etree._Element, path: str, role: str) -> Party:
    party = root.find(path, _NS)
    if party is None:
        raise DocumentFormatError(f"Belgede {role.lower()} bilgisi bulunamadı.")
    ids = [(element.get("schemeID"), (element.text or "").strip())
           for element in party.iterfind("cac:PartyIdentification/cbc:ID", _NS) if element.get("schemeID") in _LENGTHS]
    if len(ids) != 1:
        raise DocumentFormatError(f"{role} için VKN veya TCKN olarak tek bir kimlik numarası bulunmalıdır.")
    scheme, identifier = ids[0]
    if not (identifier.isascii() and identifier.isdigit() and len(identifier) == _LENGTHS[scheme]):
        raise DocumentFormatError(f"{role} {scheme} '{_short(identifier)}' geçersiz.")
    name = " ".join((party.findtext("cac:PartyName/cbc:Name", namespaces=_NS) or "").split())
    if not name:
        person = party.find("cac:Person", _NS)
        if person is not None:
            name = " ".join(" ".join((person.findtext(f"cbc:{p}", namespaces=_NS) or "").split())
                            for p in ("FirstName", "FamilyName")).strip()
    return Party(identifier=identifier, scheme="VKN" if scheme == "VKN" else "TCKN", name=(name or identifier)[:250])


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
