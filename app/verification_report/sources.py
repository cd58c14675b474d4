"""Every signed document the portal keeps, by kind and id, as the acting taxpayer may see it (else None → 404).

One table of kinds so that one route and one template serve them all; e-Defter files (issues 13/14) add their
kind here or call ``build_report`` / ``report_for_stored`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import or_, select

from app.db import get_session
from app.models import ArchivedDocument, Authorisation, CancellationRequest, Taxpayer
from app.storage import file_store
from app.verification_report.report import MAX_REPORT_BYTES


@dataclass(frozen=True)
class SignedSource:
    title: str
    data: bytes
    filename: str
    expected_owner_id: str | None = None


def _cancellation(taxpayer: Taxpayer, object_id: int, part: str) -> SignedSource | None:
    request = get_session().scalars(select(CancellationRequest).where(
        CancellationRequest.id == object_id,
        or_(CancellationRequest.requester_taxpayer_id == taxpayer.id,
            CancellationRequest.responder_identifier == taxpayer.identifier))).first()
    if request is None:
        return None
    if part == "karar":
        if request.decision_xml is None:
            return None
        return SignedSource("İptal/İtiraz kararı", request.decision_xml, f"karar-{request.id}.xml",
                            request.responder_identifier)
    return SignedSource("İptal/İtiraz talebi", request.request_xml, f"talep-{request.id}.xml")


def _service_request(taxpayer: Taxpayer, object_id: int, part: str) -> SignedSource | None:
    from app.integrator.queries import signed_document

    found = signed_document(taxpayer.id, object_id, "basvuru" if part == "basvuru" else "talep")
    if found is None:
        return None
    title = "GİB e-Fatura başvurusu" if part == "basvuru" else "Hizmet aktivasyon/kapatma talebi"
    return SignedSource(title, found[1], found[0], taxpayer.identifier)


def _authorisation(taxpayer: Taxpayer, object_id: int, part: str) -> SignedSource | None:
    grant = get_session().scalars(select(Authorisation).where(Authorisation.id == object_id,
                                                              Authorisation.taxpayer_id == taxpayer.id)).first()
    if grant is None:
        return None
    return SignedSource("Yetkilendirme", grant.document_xml, f"yetkilendirme-{grant.id}.xml", taxpayer.identifier)


def _stored(taxpayer: Taxpayer, object_id: int, part: str) -> SignedSource | None:
    document = get_session().scalars(select(ArchivedDocument).where(ArchivedDocument.id == object_id,
                                                                    ArchivedDocument.taxpayer_id == taxpayer.id)).first()
    if document is None:
        return None
    with file_store().open(document.sha256) as reader:
        data = reader.read(MAX_REPORT_BYTES + 1)
        if len(data) <= MAX_REPORT_BYTES:
            reader.readall()  # to the end: the hash is checked
    return SignedSource(f"Saklanan belge {document.number}", data, document.filename, document.sender_identifier)


KINDS: dict[str, Callable[[Taxpayer, int, str], SignedSource | None]] = {
    "iptal-talebi": _cancellation,
    "hizmet-talebi": _service_request,
    "yetkilendirme": _authorisation,
    "saklanan-belge": _stored,
}


def signed_source(taxpayer: Taxpayer, kind: str, object_id: int, part: str = "") -> SignedSource | None:
    finder = KINDS.get(kind)
    return finder(taxpayer, object_id, part) if finder is not None else None
