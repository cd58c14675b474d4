"""The portal's own small documents that a card signs (GİB does not publish its format).

GİB's guide says only that the invoice number and payable amount are signed; these documents
carry those plus what makes each act unique and traceable. Decision note 0004 explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

NS = "urn:ebelge-portal:belge:1"


def _document(root_name: str, fields: list[tuple[str, str]]) -> bytes:
    root = etree.Element(f"{{{NS}}}{root_name}", nsmap={None: NS})
    for name, value in fields:
        etree.SubElement(root, f"{{{NS}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def login_document(challenge: str, moment: datetime) -> bytes:
    """What a card signs to log in: the server's one-time challenge and the time."""
    return _document("GirisTalebi", [("Challenge", challenge), ("Zaman", moment.isoformat())])


@dataclass(frozen=True)
class ObjectionDocument:
    """The TTK 18/3 document an objection was made with (guide §5): its number, date and method."""

    number: str
    date: date
    method: str


def cancellation_request_document(
    *,
    submission_id: str,
    invoice_number: str,
    ettn: str,
    amount: Decimal,
    currency: str,
    sender_identifier: str,
    receiver_identifier: str,
    requester_identifier: str,
    requester_role: str,
    moment: datetime,
    objection: ObjectionDocument | None = None,
) -> bytes:
    """An "iptal talebi" (``FaturaIptalTalebi``): invoice number + payable amount, signed by one party of the
    invoice; with ``objection``, an "itiraz talebi" (``FaturaItirazTalebi``) that also names the TTK document."""
    fields = [
        ("TalepNo", submission_id),
        ("FaturaNo", invoice_number),
        ("ETTN", ettn),
        ("OdenecekTutar", f"{amount:.2f}"),
        ("ParaBirimi", currency),
        ("GonderenVknTckn", sender_identifier),
        ("AlanVknTckn", receiver_identifier),
        ("TalepEden", requester_identifier),
        ("IslemSahibi", requester_role),
    ]
    if objection is not None:
        fields += [
            ("ItirazBelgeNo", objection.number),
            ("ItirazBelgeTarihi", objection.date.isoformat()),
            ("ItirazYontemi", objection.method),
        ]
    fields.append(("TalepZamani", moment.isoformat()))
    return _document("FaturaItirazTalebi" if objection is not None else "FaturaIptalTalebi", fields)


def cancellation_decision_document(
    *,
    submission_id: str,
    invoice_number: str,
    ettn: str,
    amount: Decimal,
    decision: str,
    decider_identifier: str,
    moment: datetime,
    objection: bool = False,
) -> bytes:
    """The other party's answer: ONAY (the invoice is cancelled, or the objection accepted) or RED."""
    return _document(
        "FaturaItirazKarari" if objection else "FaturaIptalKarari",
        [
            ("TalepNo", submission_id),
            ("FaturaNo", invoice_number),
            ("ETTN", ettn),
            ("OdenecekTutar", f"{amount:.2f}"),
            ("Karar", decision),
            ("KararVeren", decider_identifier),
            ("KararZamani", moment.isoformat()),
        ],
    )


def service_request_document(
    *,
    submission_id: str,
    action: str,
    identifier: str,
    title: str,
    product: str,
    labels: list[tuple[str, str]],
    activation_date: str,
    moment: datetime,
) -> bytes:
    """A Hizmet Aktivasyonu request for a product GİB has no service code for (e-Defter): kept at the integrator.

    ``labels``: (label name, alias) pairs; ``action``: AKTIVASYON or KAPATMA; ``activation_date``: YYYY-MM-DD or "".
    """
    fields = [("TalepNo", submission_id), ("Islem", action), ("VknTckn", identifier), ("Unvan", title),
              ("Urun", product)]
    fields += [("Etiket", f"{name} {alias}") for name, alias in labels]
    fields += [("AktivasyonTarihi", activation_date), ("TalepZamani", moment.isoformat())]
    return _document("HizmetTalebi", fields)

def field(document: bytes, name: str) -> str | None:
    """Read one field back from a signed portal document (after its signature was verified)."""
    from app.formats.safe_xml import parse_untrusted

    root = parse_untrusted(document, max_bytes=1_000_000)
    return root.findtext(f"{{{NS}}}{name}")
