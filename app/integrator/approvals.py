"""Waiting for GİB's approval (SPEC C6): a job asks GİB about one pending activation and records the answer.

The first check is queued when GİB accepts the request; while it waits, the label table on the screen polls and
queues the next check once it is due (``next_check_at``: when GİB said the labels become active, at most a minute
away). A check is keyed by its due time, so two polling tabs queue it once. On approval the labels turn
"Hizmet Aktifleştirilmiştir", and the labels GİB closed at that moment (GİB Portal, local integration; SPEC C7)
are kept with the request for the screen.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.db import get_session, utcnow
from app.gib.client import GibClient, LabelRequestStatus
from app.gib_access import gib_client
from app.integrator.catalogue import BY_CODE
from app.integrator.operations import labels_of_request, request_of
from app.integrator.rules import ServiceRefused
from app.jobs import JobContext, JobKind, submit
from app.models.job import Job
from app.models.service import LabelStatus, RequestStatus, ServiceRequest
from app.unit_of_work import release_reads, unit_of_work

log = logging.getLogger(__name__)

APPROVAL_KIND = "hizmet_onay_sorgulama"
SOONEST = timedelta(seconds=2)
LATEST = timedelta(seconds=60)
AFTER_FAILURE = timedelta(seconds=30)
# Labels GİB closes when a private integrator's label of the same document type is approved.
CLOSED_ON_APPROVAL = ("GIBPORTAL", "ENTEGRASYON")


def _key(request: ServiceRequest) -> str:
    due = request.next_check_at or request.created_at
    return f"hizmet-onay-{request.id}-{due.strftime('%Y%m%d%H%M%S%f')}"


def schedule_check(taxpayer_id: int, request_id: int) -> Job | None:
    """Queue a check of one pending request, keyed by its due time (queued once however often asked)."""
    request = request_of(taxpayer_id, request_id)
    if request is None or request.status is not RequestStatus.ONAY_BEKLIYOR:
        return None
    product = BY_CODE[request.product]
    return submit(APPROVAL_KIND, taxpayer_id, f"GİB Onay Sorgulama: {product.name}", {"talep": request.id},
                  idempotency_key=_key(request))


def start_due_checks(taxpayer_id: int) -> int:
    """Queue a check for each of the taxpayer's pending requests whose check is due; how many are pending."""
    now = utcnow()
    pending = list(get_session().scalars(
        select(ServiceRequest).where(ServiceRequest.taxpayer_id == taxpayer_id,
                                     ServiceRequest.status == RequestStatus.ONAY_BEKLIYOR)
        .order_by(ServiceRequest.id).execution_options(populate_existing=True)
    ))
    for request in pending:
        if request.next_check_at is None or request.next_check_at <= now:
            schedule_check(taxpayer_id, request.id)
    return len(pending)


def start_all_due_checks() -> int:
    """Every taxpayer's due checks (the worker's periodic task): approvals land even when no page is open."""
    taxpayer_ids = get_session().scalars(
        select(ServiceRequest.taxpayer_id).where(ServiceRequest.status == RequestStatus.ONAY_BEKLIYOR).distinct()
    ).all()
    release_reads()
    return sum(start_due_checks(taxpayer_id) for taxpayer_id in taxpayer_ids)


def check_approval(job: JobContext) -> dict[str, Any]:
    """The handler: ask GİB (or, for e-Defter, the clock) whether the request's labels are active."""
    if job.taxpayer_id is None:
        raise ServiceRefused("Talep bulunamadı.")
    request = request_of(job.taxpayer_id, int(job.params.get("talep", 0)))
    if request is None:
        raise ServiceRefused("Talep bulunamadı; GİB onayı sorgulanamadı.")
    if request.status is not RequestStatus.ONAY_BEKLIYOR:
        return {"durum": request.status.label}
    request_id, gib_request_id, effective_at = request.id, request.gib_request_id, request.effective_at
    identifier = _identifier(request)
    release_reads()  # no transaction is held while GİB is asked
    job.progress(10, "GİB'e aktivasyon talebinin durumu soruluyor…")
    try:
        if gib_request_id is None:  # kept at the integrator (e-Defter): its date decides
            approved, now = effective_at is not None and utcnow() >= effective_at, utcnow()
            closed: list[dict[str, Any]] = []
        else:
            approved, effective_at, now, closed = _ask_gib(gib_request_id, identifier)
    except Exception:
        _postpone(job.taxpayer_id, request_id)
        raise
    job.progress(80, "GİB'in yanıtı kaydediliyor…")
    return _record(job.taxpayer_id, request_id, approved, effective_at, now, closed)


def _identifier(request: ServiceRequest) -> str:
    from app.models import Taxpayer

    taxpayer = get_session().get(Taxpayer, request.taxpayer_id)
    assert taxpayer is not None
    return taxpayer.identifier


def _ask_gib(gib_request_id: str, identifier: str) -> tuple[bool, datetime, datetime, list[dict[str, Any]]]:
    client = gib_client()
    try:
        status = client.label_request(gib_request_id)
        gib_now = client.time().now
        closed = _closed_elsewhere(client, identifier, status) if status.is_active else []
    finally:
        client.close()
    return status.is_active, status.effective_at, gib_now, closed


def _closed_elsewhere(client: GibClient, identifier: str, status: LabelRequestStatus) -> list[dict[str, Any]]:
    """The GİB Portal / local-integration labels GİB closed when this request was approved (SPEC C7)."""
    document_types = {label.document_type for label in status.labels if label.role}
    if not document_types:
        return []
    user = client.registered_user(identifier)
    if user is None:
        return []
    return [
        {"alias": alias.alias, "role": alias.role, "document_type": alias.document_type,
         "account_type": alias.account_type, "deleted_at": alias.deleted_at.isoformat()}
        for alias in user.aliases
        if alias.account_type in CLOSED_ON_APPROVAL and alias.document_type in document_types
        and alias.deleted_at is not None and abs(alias.deleted_at - status.effective_at) < timedelta(seconds=2)
    ]


def _postpone(taxpayer_id: int, request_id: int) -> None:
    with unit_of_work() as work:
        request = request_of(taxpayer_id, request_id, lock=True)
        if request is not None and request.status is RequestStatus.ONAY_BEKLIYOR:
            request.next_check_at = utcnow() + AFTER_FAILURE
            work.session.flush()


def _record(taxpayer_id: int, request_id: int, approved: bool, effective_at: datetime | None, gib_now: datetime,
            closed: list[dict[str, Any]]) -> dict[str, Any]:
    with unit_of_work() as work:
        request = request_of(taxpayer_id, request_id, lock=True)
        if request is None or request.status is not RequestStatus.ONAY_BEKLIYOR:
            return {"durum": request.status.label if request else "Talep bulunamadı"}
        labels = labels_of_request(request, lock=True)
        now = utcnow()
        request.checked_at = now
        if not approved:
            wait = (effective_at - gib_now) if effective_at is not None else LATEST
            request.next_check_at = now + min(max(wait, SOONEST), LATEST)
            return {"durum": RequestStatus.ONAY_BEKLIYOR.label, "etiketler": [label.alias for label in labels],
                    "aktivasyon_zamani": effective_at.isoformat() if effective_at else None}
        request.status, request.completed_at, request.next_check_at = RequestStatus.TAMAMLANDI, effective_at, None
        request.effective_at, request.closed_elsewhere = effective_at, closed
        for label in labels:
            label.status, label.activated_at, label.last_error = LabelStatus.AKTIF, effective_at, None
        work.record("hizmet_aktiflestirildi", taxpayer_id=taxpayer_id, object_type="hizmet_talebi",
                    object_id=request.id, urun=BY_CODE[request.product].name, etiketler=[l.alias for l in labels],
                    gib_talep_no=request.gib_request_id, kapatilan_eski_etiketler=[c["alias"] for c in closed])
        return {"durum": LabelStatus.AKTIF.label, "etiketler": [label.alias for label in labels],
                "kapatilan_eski_etiketler": [c["alias"] for c in closed]}


APPROVAL_CHECK = JobKind(APPROVAL_KIND, check_approval, retry_when_gib_away=False)
