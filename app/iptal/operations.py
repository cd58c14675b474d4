"""İptal Portalı operations: create, delete and decide cancellation requests.

The card signs first, outside any transaction; then one unit of work re-checks the rules under a lock
on the invoice row (FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite, decision note 0002), stores
the signed document and writes the audit entry. A failure anywhere rolls the unit back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.cards import CardChoice, trust_anchors
from app.db import get_session, utcnow
from app.formats import portal
from app.iptal.rules import (
    CancellationRefused,
    check_can_request,
    check_invoice_number,
    check_window,
    not_found_message,
)
from app.models import CancellationRequest, CancellationStatus, Invoice, PartyRole, Taxpayer
from app.models.invoice import visible_to_taxpayer
from app.signing.act import signing_act
from app.signing.verify import verify_signed_xml
from app.unit_of_work import Work, unit_of_work


@dataclass(frozen=True)
class RequestDraft:
    """What the confirmation screen shows and "Onayla" signs."""

    invoice_id: int
    amount: Decimal
    role: PartyRole


def find_invoice_for_request(taxpayer: Taxpayer, number: str, amount: Decimal, role: PartyRole) -> Invoice:
    """The invoice the form names, checked against every rule (SPEC B2)."""
    number = check_invoice_number(number)
    party_column = Invoice.sender_identifier if role is PartyRole.SATICI else Invoice.receiver_identifier
    invoice = get_session().scalar(select(Invoice).where(party_column == taxpayer.identifier, Invoice.number == number,
                                                        visible_to_taxpayer(taxpayer.id)))
    if invoice is None:
        raise CancellationRefused(not_found_message(taxpayer.identifier, number, amount))
    check_can_request(invoice, amount, role)
    _check_no_open_request(invoice)
    return invoice


def _check_no_open_request(invoice: Invoice) -> None:
    open_request = get_session().scalar(
        select(CancellationRequest.id).where(
            CancellationRequest.invoice_id == invoice.id, CancellationRequest.status == CancellationStatus.PENDING
        )
    )
    if open_request is not None:
        raise CancellationRefused(f"{invoice.number} numaralı fatura için onay bekleyen bir iptal talebi zaten var.")


def _lock_invoice(invoice_id: int) -> Invoice | None:
    return get_session().scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update().execution_options(populate_existing=True))


def _verified(signed: bytes, owner_id: str) -> None:
    result = verify_signed_xml(signed, trust_anchors(), expected_owner_id=owner_id)
    if not result.ok:
        raise CancellationRefused(f"İmza doğrulanamadı: {result.message}")


def _check_request(invoice: Invoice | None, taxpayer: Taxpayer, draft: RequestDraft) -> Invoice:
    if invoice is None or invoice.party_role_of(taxpayer.identifier) != draft.role.value:
        raise CancellationRefused("Fatura bulunamadı. Lütfen sayfayı yenileyip tekrar deneyiniz.")
    check_can_request(invoice, draft.amount, draft.role)
    _check_no_open_request(invoice)
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
    now = datetime.now(timezone.utc)
    document = portal.cancellation_request_document(
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
    )
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


def _store_request(work: Work, invoice: Invoice, taxpayer: Taxpayer, draft: RequestDraft, submission_id: str,
                   now: datetime, signed: bytes, serial: str) -> CancellationRequest:
    request = CancellationRequest(
        submission_id=submission_id,
        invoice=invoice,
        requester_taxpayer_id=taxpayer.id,
        requester_role=draft.role,
        responder_identifier=invoice.counterparty_of(taxpayer.identifier),
        amount=draft.amount,
        requested_at=now,
        request_xml=signed,
        request_certificate_serial=serial,
    )
    work.session.add(request)
    try:
        work.session.flush()
    except IntegrityError:
        # The partial unique index: another open request for this invoice got in first.
        raise CancellationRefused(f"{invoice.number} numaralı fatura için onay bekleyen bir iptal talebi zaten var.") from None
    work.record(
        "iptal_talebi_olusturuldu",
        taxpayer_id=taxpayer.id,
        object_type="iptal_talebi",
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


def delete_requests(taxpayer: Taxpayer, request_ids: list[int]) -> BatchResult:
    """"Seçilen Talepleri Sil": the requester withdraws its own pending requests."""
    result = BatchResult()
    with unit_of_work() as work:
        _delete_pending(work, taxpayer, request_ids, result)
    return result


def _delete_pending(work: Work, taxpayer: Taxpayer, request_ids: list[int], result: BatchResult) -> None:
    requests = work.session.scalars(
        select(CancellationRequest)
        .where(CancellationRequest.id.in_(request_ids), CancellationRequest.requester_taxpayer_id == taxpayer.id)
        .with_for_update(of=CancellationRequest)
        .execution_options(populate_existing=True)
    ).all()
    for request in requests:
        if request.status is not CancellationStatus.PENDING:
            result.skipped.append(
                f"{request.invoice.number} numaralı faturanın talebi '{request.status.label}' durumunda olduğu için silinemez."
            )
            continue
        request.status = CancellationStatus.DELETED
        request.deleted_at = utcnow()
        work.record("iptal_talebi_silindi", taxpayer_id=taxpayer.id, object_type="iptal_talebi",
                    object_id=request.id, fatura_no=request.invoice.number)
        result.done.append(request)


DECISIONS = {"onay": (CancellationStatus.APPROVED, "ONAY", "iptal_talebi_onaylandi"),
             "red": (CancellationStatus.REJECTED, "RED", "iptal_talebi_reddedildi")}


def _requests_to_answer(taxpayer: Taxpayer, request_ids: list[int], status: CancellationStatus, *, lock: bool) -> tuple[list[CancellationRequest], list[str]]:
    """The chosen requests addressed to this taxpayer that can still be answered, and why the others cannot."""
    query = (
        select(CancellationRequest)
        .where(CancellationRequest.id.in_(request_ids), CancellationRequest.responder_identifier == taxpayer.identifier)
        .order_by(CancellationRequest.id)
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=CancellationRequest)
    answerable, skipped = [], []
    for request in get_session().scalars(query).unique():
        if request.status is not CancellationStatus.PENDING:
            skipped.append(f"{request.invoice.number} numaralı faturanın talebi zaten '{request.status.label}' durumunda.")
            continue
        if status is CancellationStatus.APPROVED:
            try:
                check_window(request.invoice, "iptal onayı")
            except CancellationRefused as refused:
                skipped.append(refused.message)
                continue
        answerable.append(request)
    return answerable, skipped


def decide_requests(
    taxpayer: Taxpayer, request_ids: list[int], decision: str, card: CardChoice, pin: str
) -> BatchResult:
    """"Fatura İptal Et" / "Talebi Reddet": one PIN entry, one signature per request, one transaction."""
    status, word, action = DECISIONS[decision]
    to_sign, skipped = _requests_to_answer(taxpayer, request_ids, status, lock=False)
    result = BatchResult(skipped=skipped)
    if not to_sign:
        return result
    now = datetime.now(timezone.utc)
    with signing_act(card.module_path, card.token_label, pin, expected_owner_id=taxpayer.identifier, at=now) as act:
        signed = {r.id: act.sign_enveloped(_decision_document(r, word, taxpayer, now)) for r in to_sign}
        serial = act.certificate_info.serial_hex
    for document in signed.values():
        _verified(document, taxpayer.identifier)

    with unit_of_work() as work:
        # Checked again under the lock: a double-clicked "Onayla" finds them answered already.
        answerable, answered_meanwhile = _requests_to_answer(taxpayer, list(signed), status, lock=True)
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
    if status is CancellationStatus.APPROVED:
        request.invoice.cancelled_at = now
    work.record(action, taxpayer_id=taxpayer.id, object_type="iptal_talebi", object_id=request.id,
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
    )
