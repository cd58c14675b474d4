"""İptal/İtiraz Portalı operations: create, delete and decide iptal and itiraz requests.

The card signs first, outside any transaction; then one unit of work re-checks the rules under a lock
on the invoice row (FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite, decision note 0002), stores
the signed document and writes the audit entry. A failure anywhere rolls the unit back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.cards import CardChoice, trust_anchors
from app.db import get_session, utcnow
from app.formats import portal
from app.iptal.forms import TypedRequest
from app.iptal.rules import (
    OBJECTION_WITHOUT_APPROVAL,
    CancellationRefused,
    check_can_request,
    check_invoice_number,
    check_objection_document,
    check_objection_deadline,
    check_window,
    label_of,
    not_found_message,
    objection_overdue,
    wrong_role_message,
)
from app.models import (
    CancellationRequest,
    CancellationStatus,
    Invoice,
    ObjectionMethod,
    PartyRole,
    RequestKind,
    Taxpayer,
)
from app.models.invoice import visible_to_taxpayer
from app.signing.act import signing_act
from app.signing.verify import verify_signed_xml
from app.unit_of_work import Work, unit_of_work


@dataclass(frozen=True)
class Objection:
    """Talep Bilgileri of an itiraz: the TTK 18/3 document it was made with."""

    document_number: str
    document_date: date
    method: ObjectionMethod


@dataclass(frozen=True)
class RequestDraft:
    """What the confirmation screen shows and "Onayla" signs."""

    invoice_id: int
    amount: Decimal
    role: PartyRole
    kind: RequestKind = RequestKind.IPTAL
    objection: Objection | None = None

    def to_payload(self) -> dict:
        """What the signed confirmation draft carries (no PIN, no secret)."""
        payload = {"invoice_id": self.invoice_id, "amount": str(self.amount), "role": self.role.value,
                   "tur": self.kind.value}
        if self.objection is not None:
            payload.update(document_number=self.objection.document_number,
                           document_date=self.objection.document_date.isoformat(),
                           method=self.objection.method.value)
        return payload

    @classmethod
    def from_payload(cls, payload: dict) -> "RequestDraft":
        objection = None
        if payload.get("document_number"):
            objection = Objection(payload["document_number"], date.fromisoformat(payload["document_date"]),
                                  ObjectionMethod(payload["method"]))
        return cls(int(payload["invoice_id"]), Decimal(payload["amount"]), PartyRole(payload["role"]),
                   RequestKind(payload.get("tur", "iptal")), objection)


def prepare_request(taxpayer: Taxpayer, typed: TypedRequest) -> tuple[Invoice, RequestDraft]:
    """"Talep Oluştur": the invoice and what the confirmation screen will show, or GİB's refusal."""
    invoice = find_invoice_for_request(taxpayer, typed.number, typed.amount, typed.role, typed.kind)
    objection = None
    if typed.kind is RequestKind.ITIRAZ:
        assert typed.document_date is not None and typed.method is not None
        number = check_objection_document(invoice, typed.document_number, typed.document_date)
        objection = Objection(number, typed.document_date, typed.method)
    return invoice, RequestDraft(invoice.id, typed.amount, typed.role, typed.kind, objection)


def _party_column(role: PartyRole):  # type: ignore[no-untyped-def]
    return Invoice.sender_identifier if role is PartyRole.SATICI else Invoice.receiver_identifier


def find_invoice_for_request(taxpayer: Taxpayer, number: str, amount: Decimal, role: PartyRole,
                             kind: RequestKind = RequestKind.IPTAL) -> Invoice:
    """The invoice the form names, checked against every rule (SPEC B2, guide §4–5)."""
    number = check_invoice_number(number)
    invoice = _invoice_as(taxpayer, number, role)
    if invoice is None:
        other = PartyRole.ALICI if role is PartyRole.SATICI else PartyRole.SATICI
        if _invoice_as(taxpayer, number, other) is not None:
            raise CancellationRefused(wrong_role_message(number, role))
        raise CancellationRefused(not_found_message(taxpayer.identifier, number, amount))
    check_can_request(invoice, amount, role, kind)
    _check_no_open_request(invoice, kind)
    return invoice


def _invoice_as(taxpayer: Taxpayer, number: str, role: PartyRole) -> Invoice | None:
    return get_session().scalar(select(Invoice).where(_party_column(role) == taxpayer.identifier,
                                                      Invoice.number == number, visible_to_taxpayer(taxpayer.id)))


def _duplicate_message(invoice: Invoice, kind: RequestKind) -> str:
    if kind is RequestKind.ITIRAZ:
        return f"{invoice.number} numaralı faturaya daha önce itiraz edilmiştir; aynı faturaya tekrar itiraz edilemez."
    return f"{invoice.number} numaralı fatura için onay bekleyen bir iptal talebi zaten var."


def _check_no_open_request(invoice: Invoice, kind: RequestKind = RequestKind.IPTAL) -> None:
    # Mirrors the partial unique indexes: one open iptal; one itiraz ever, unless withdrawn.
    blocking = (CancellationRequest.status != CancellationStatus.DELETED if kind is RequestKind.ITIRAZ
                else CancellationRequest.status == CancellationStatus.PENDING)
    open_request = get_session().scalar(
        select(CancellationRequest.id).where(
            CancellationRequest.invoice_id == invoice.id, CancellationRequest.kind == kind, blocking
        )
    )
    if open_request is not None:
        raise CancellationRefused(_duplicate_message(invoice, kind))


def _lock_invoice(invoice_id: int) -> Invoice | None:
    return get_session().scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update().execution_options(populate_existing=True))


def _verified(signed: bytes, owner_id: str) -> None:
    result = verify_signed_xml(signed, trust_anchors(), expected_owner_id=owner_id)
    if not result.ok:
        raise CancellationRefused(f"İmza doğrulanamadı: {result.message}")


def _check_request(invoice: Invoice | None, taxpayer: Taxpayer, draft: RequestDraft) -> Invoice:
    if invoice is None or invoice.party_role_of(taxpayer.identifier) != draft.role.value:
        raise CancellationRefused("Fatura bulunamadı.")
    check_can_request(invoice, draft.amount, draft.role, draft.kind)
    if draft.objection is not None:
        check_objection_document(invoice, draft.objection.document_number, draft.objection.document_date)
    _check_no_open_request(invoice, draft.kind)
    return invoice


def create_request(
    taxpayer: Taxpayer, draft: RequestDraft, submission_id: str, card: CardChoice, pin: str
) -> tuple[CancellationRequest, bool]:
    """Sign and store the request; returns (request, created). A resubmitted form returns the first one.

    The card signs first; the write transaction then re-checks every rule under the invoice lock
    (decision note 0002), so a request that lost a race is refused and its signature dropped.
    """
    existing = _request_by_submission(submission_id, taxpayer)
    if existing is not None:
        return existing, False
    invoice = _check_request(get_session().get(Invoice, draft.invoice_id), taxpayer, draft)
    now = utcnow()
    document = _request_document(invoice, taxpayer, draft, submission_id, now)
    with signing_act(card.module_path, card.token_label, pin, expected_owner_id=taxpayer.identifier, at=now) as act:
        signed = act.sign_enveloped(document)
        serial = act.certificate_info.serial_hex
    _verified(signed, taxpayer.identifier)

    with unit_of_work() as work:
        locked = _lock_invoice(draft.invoice_id)  # a twin submission waits here until the first one commits
        existing = _request_by_submission(submission_id, taxpayer)
        if existing is not None:
            return existing, False
        request = _store_request(work, _check_request(locked, taxpayer, draft), taxpayer, draft, submission_id,
                                 now, signed, serial)
    return request, True


def _request_document(invoice: Invoice, taxpayer: Taxpayer, draft: RequestDraft, submission_id: str,
                      now: datetime) -> bytes:
    objection = None
    if draft.kind is RequestKind.ITIRAZ:
        assert draft.objection is not None
        objection = portal.ObjectionDocument(draft.objection.document_number, draft.objection.document_date,
                                             draft.objection.method.value)
    return portal.cancellation_request_document(
        submission_id=submission_id,
        invoice_number=invoice.number,
        ettn=invoice.ettn,
        amount=draft.amount,
        currency=invoice.currency,
        sender_identifier=invoice.sender_identifier,
        receiver_identifier=invoice.receiver_identifier,
        requester_identifier=taxpayer.identifier,
        requester_role=draft.role.value,
        moment=now,
        objection=objection,
    )


def _store_request(work: Work, invoice: Invoice, taxpayer: Taxpayer, draft: RequestDraft, submission_id: str,
                   now: datetime, signed: bytes, serial: str) -> CancellationRequest:
    objection = draft.objection
    # A KAMU invoice's objection needs no approval of the buyer (guide §2): it stands once notified.
    without_approval = draft.kind is RequestKind.ITIRAZ and invoice.profile_id in OBJECTION_WITHOUT_APPROVAL
    request = CancellationRequest(
        kind=draft.kind,
        submission_id=submission_id,
        invoice=invoice,
        requester_taxpayer_id=taxpayer.id,
        requester_role=draft.role,
        responder_identifier=invoice.counterparty_of(taxpayer.identifier),
        amount=draft.amount,
        status=CancellationStatus.NOTIFIED if without_approval else CancellationStatus.PENDING,
        requested_at=now,
        request_xml=signed,
        request_certificate_serial=serial,
        objection_document_number=objection.document_number if objection else None,
        objection_document_date=objection.document_date if objection else None,
        objection_method=objection.method if objection else None,
    )
    work.session.add(request)
    try:
        work.session.flush()
    except IntegrityError:
        # The partial unique indexes: another request for this invoice got in first.
        raise CancellationRefused(_duplicate_message(invoice, draft.kind)) from None
    work.record(
        f"{draft.kind.value}_talebi_olusturuldu",
        taxpayer_id=taxpayer.id,
        object_type=f"{draft.kind.value}_talebi",
        object_id=request.id,
        certificate_serial=serial,
        fatura_no=invoice.number,
        tutar=f"{draft.amount:.2f}",
    )
    return request


def _request_by_submission(submission_id: str, taxpayer: Taxpayer) -> CancellationRequest | None:
    return get_session().scalar(
        select(CancellationRequest).where(
            CancellationRequest.submission_id == submission_id, CancellationRequest.requester_taxpayer_id == taxpayer.id
        )
    )


@dataclass
class BatchResult:
    done: list[CancellationRequest] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # messages, one per request left alone


def delete_requests(taxpayer: Taxpayer, request_ids: list[int], kind: RequestKind = RequestKind.IPTAL) -> BatchResult:
    """"Seçilen Talepleri Sil": the requester withdraws its own pending requests of the list's kind (an iptal id
    sent from the itiraz list, or the other way round, is not touched)."""
    result = BatchResult()
    with unit_of_work() as work:
        _delete_pending(work, taxpayer, request_ids, kind, result)
    return result


def _delete_pending(work: Work, taxpayer: Taxpayer, request_ids: list[int], kind: RequestKind,
                    result: BatchResult) -> None:
    requests = work.session.scalars(
        select(CancellationRequest)
        .where(CancellationRequest.id.in_(request_ids), CancellationRequest.requester_taxpayer_id == taxpayer.id,
               CancellationRequest.kind == kind)
        .with_for_update(of=CancellationRequest)
        .execution_options(populate_existing=True)
    ).all()
    for request in requests:
        if request.status is not CancellationStatus.PENDING or objection_overdue(request.kind, request.status,
                                                                                 request.invoice):
            result.skipped.append(
                f"{request.invoice.number} numaralı faturanın talebi '{label_of(request)}' durumunda olduğu için "
                "silinemez."
            )
            continue
        request.status = CancellationStatus.DELETED
        request.deleted_at = utcnow()
        work.record(f"{request.kind.value}_talebi_silindi", taxpayer_id=taxpayer.id,
                    object_type=f"{request.kind.value}_talebi",
                    object_id=request.id, fatura_no=request.invoice.number)
        result.done.append(request)


# decision -> (new status, the signed document's word, the audit action's ending)
DECISIONS = {"onay": (CancellationStatus.APPROVED, "ONAY", "onaylandi"),
             "red": (CancellationStatus.REJECTED, "RED", "reddedildi")}


def _requests_to_answer(taxpayer: Taxpayer, request_ids: list[int], status: CancellationStatus, *, lock: bool,
                        kind: RequestKind = RequestKind.IPTAL) -> tuple[list[CancellationRequest], list[str]]:
    """The chosen requests addressed to this taxpayer that can still be answered, and why the others cannot."""
    query = (
        select(CancellationRequest)
        .where(CancellationRequest.id.in_(request_ids), CancellationRequest.responder_identifier == taxpayer.identifier,
               CancellationRequest.kind == kind)
        .order_by(CancellationRequest.id)
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=CancellationRequest)
    answerable, skipped = [], []
    for request in get_session().scalars(query).unique():
        if request.status is not CancellationStatus.PENDING:
            skipped.append(f"{request.invoice.number} numaralı faturanın talebi zaten '{label_of(request)}' durumunda.")
            continue
        if status is CancellationStatus.APPROVED:
            try:
                if kind is RequestKind.ITIRAZ:
                    check_objection_deadline(request.invoice)
                else:
                    check_window(request.invoice, "iptal onayı")
            except CancellationRefused as refused:
                skipped.append(refused.message)
                continue
        answerable.append(request)
    return answerable, skipped


def decide_requests(
    taxpayer: Taxpayer, request_ids: list[int], decision: str, card: CardChoice, pin: str,
    kind: RequestKind = RequestKind.IPTAL,
) -> BatchResult:
    """"Fatura İptal Et" / "Faturaya İtirazı Kabul Et" / "Talebi Reddet": one PIN entry, one signature per
    request, one transaction."""
    status, word, ending = DECISIONS[decision]
    action = f"{kind.value}_talebi_{ending}"
    to_sign, skipped = _requests_to_answer(taxpayer, request_ids, status, lock=False, kind=kind)
    result = BatchResult(skipped=skipped)
    if not to_sign:
        return result
    now = utcnow()
    with signing_act(card.module_path, card.token_label, pin, expected_owner_id=taxpayer.identifier, at=now) as act:
        signed = {r.id: act.sign_enveloped(_decision_document(r, word, taxpayer, now)) for r in to_sign}
        serial = act.certificate_info.serial_hex
    for document in signed.values():
        _verified(document, taxpayer.identifier)

    with unit_of_work() as work:
        # Checked again under the lock: a double-clicked "Onayla" finds them answered already.
        answerable, answered_meanwhile = _requests_to_answer(taxpayer, list(signed), status, lock=True, kind=kind)
        result.skipped.extend(answered_meanwhile)
        for request in answerable:
            _apply_decision(work, request, status, action, taxpayer, now, signed[request.id], serial)
            result.done.append(request)
    return result


def _apply_decision(work: Work, request: CancellationRequest, status: CancellationStatus, action: str,
                    taxpayer: Taxpayer, now: datetime, signed: bytes, serial: str) -> None:
    request.status = status
    request.decided_at = now
    request.decision_xml = signed
    request.decision_certificate_serial = serial
    request.decided_by_taxpayer_id = taxpayer.id
    if status is CancellationStatus.APPROVED and request.kind is RequestKind.IPTAL:
        request.invoice.cancelled_at = now  # an accepted itiraz leaves the invoice standing (it moves Ba/Bs)
    work.record(action, taxpayer_id=taxpayer.id, object_type=f"{request.kind.value}_talebi", object_id=request.id,
                certificate_serial=serial, fatura_no=request.invoice.number)


def _decision_document(request: CancellationRequest, word: str, taxpayer: Taxpayer, now: datetime) -> bytes:
    return portal.cancellation_decision_document(
        submission_id=request.submission_id,
        invoice_number=request.invoice.number,
        ettn=request.invoice.ettn,
        amount=request.amount,
        decision=word,
        decider_identifier=taxpayer.identifier,
        moment=now,
        objection=request.kind is RequestKind.ITIRAZ,
    )