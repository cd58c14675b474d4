"""One row per client with what waits for it, read in a fixed number of grouped queries (not one per client)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select

from app.authorisations.access import Access
from app.db import get_session, utcnow
from app.edefter.company.contract_rules import missing_bookkeeper
from app.edefter.deadlines.calendar import DueBerat, nearest_berats
from app.edefter.deadlines.warnings import open_warnings, warning_days
from app.formatting import local_today
from app.iptal.rules import window_days
from app.models import (
    AccountingContract,
    CancellationRequest,
    CancellationStatus,
    EdefterSettings,
    Invoice,
    Job,
    JobStatus,
    RequestKind,
)
from app.models.service import LabelStatus, ServiceLabel

FAILED_JOBS_SHOWN_FOR = timedelta(days=7)


@dataclass(frozen=True)
class ClientRow:
    access: Access
    incoming: int = 0  # cancellation requests addressed to the client, waiting for its answer
    incoming_days_left: int | None = None  # days left to approve the most urgent one still in the window
    requested: int = 0  # the client's own requests waiting for the other party
    settings_missing: bool = True  # e-Defter Firma Ayarları not saved yet
    bookkeeper_missing: bool = True  # no SM/SMMM contract and no in-house officer
    jobs_active: int = 0
    jobs_failed: int = 0  # in the last seven days
    labels_pending: int = 0  # Hizmet Aktivasyonu: labels sent to GİB and waiting for its approval
    berat: DueBerat | None = None  # the period whose berats are due next (or overdue), for a company on e-Defter
    berat_days_left: int | None = None
    berat_near: bool = False  # the deadline is PORTAL_BERAT_WARNING_DAYS or fewer days away
    berat_warnings: int = 0  # open warnings the daily job raised (periods near or past their deadline)
    berat_overdue_warned: bool = False  # one of them is for a deadline that has passed

    @property
    def taxpayer_id(self) -> int:
        return self.access.taxpayer.id

    @property
    def waiting(self) -> bool:
        return bool(self.incoming or self.settings_missing or self.bookkeeper_missing or self.jobs_failed)


def client_overview(choices: list[Access]) -> list[ClientRow]:
    """What waits for each of the person's taxpayers, in the order of ``choices``."""
    if not choices:
        return []
    ids = [c.taxpayer.id for c in choices]
    session = get_session()
    today = local_today()
    window_opened = today - timedelta(days=window_days())  # delivered before this: too late to approve
    incoming = {
        identifier: (count, oldest)
        for identifier, count, oldest in session.execute(
            select(CancellationRequest.responder_identifier, func.count(),
                   func.min(case((Invoice.delivered_on >= window_opened, Invoice.delivered_on))))
            .join(Invoice, Invoice.id == CancellationRequest.invoice_id)
            .where(CancellationRequest.responder_identifier.in_([c.taxpayer.identifier for c in choices]),
                   CancellationRequest.status == CancellationStatus.PENDING,
                   CancellationRequest.kind == RequestKind.IPTAL)  # itiraz has no 8-day window to count
            .group_by(CancellationRequest.responder_identifier)
        )
    }
    requested = {
        taxpayer_id: count
        for taxpayer_id, count in session.execute(
            select(CancellationRequest.requester_taxpayer_id, func.count())
            .where(CancellationRequest.requester_taxpayer_id.in_(ids),
                   CancellationRequest.status == CancellationStatus.PENDING,
                   CancellationRequest.kind == RequestKind.IPTAL)  # itiraz has no 8-day window to count
            .group_by(CancellationRequest.requester_taxpayer_id)
        )
    }
    with_settings = set(session.scalars(
        select(EdefterSettings.taxpayer_id).where(EdefterSettings.taxpayer_id.in_(ids))))
    contract_kinds = defaultdict(list)
    for taxpayer_id, kind in session.execute(
        select(AccountingContract.taxpayer_id, AccountingContract.kind).where(AccountingContract.taxpayer_id.in_(ids))
    ):
        contract_kinds[taxpayer_id].append(kind)
    jobs: dict[tuple[int, JobStatus], int] = defaultdict(int)
    for taxpayer_id, status, count in session.execute(
        select(Job.taxpayer_id, Job.status, func.count())
        .where(Job.taxpayer_id.in_(ids),
               Job.status.in_([JobStatus.BEKLIYOR, JobStatus.CALISIYOR])
               | ((Job.status == JobStatus.HATA) & (Job.finished_at >= utcnow() - FAILED_JOBS_SHOWN_FOR)))
        .group_by(Job.taxpayer_id, Job.status)
    ):
        jobs[(taxpayer_id, status)] += count
    labels_pending: dict[int, int] = dict(session.execute(  # type: ignore[arg-type]
        select(ServiceLabel.taxpayer_id, func.count())
        .where(ServiceLabel.taxpayer_id.in_(ids), ServiceLabel.status == LabelStatus.ONAY_BEKLIYOR)
        .group_by(ServiceLabel.taxpayer_id)
    ).all())
    berats = nearest_berats([c.taxpayer for c in choices], today)
    warnings = open_warnings(ids, today)
    near_days = warning_days()
    rows = []
    for choice in choices:
        tid = choice.taxpayer.id
        count, oldest = incoming.get(choice.taxpayer.identifier, (0, None))
        rows.append(ClientRow(
            access=choice,
            incoming=count,
            incoming_days_left=None if oldest is None else (oldest - window_opened).days,
            requested=requested.get(tid, 0),
            settings_missing=tid not in with_settings,
            bookkeeper_missing=missing_bookkeeper(contract_kinds[tid]),
            jobs_active=jobs[(tid, JobStatus.BEKLIYOR)] + jobs[(tid, JobStatus.CALISIYOR)],
            jobs_failed=jobs[(tid, JobStatus.HATA)],
            labels_pending=labels_pending.get(tid, 0),
            berat=berats.get(tid),
            berat_days_left=berats[tid].days_left(today) if tid in berats else None,
            berat_near=tid in berats and berats[tid].days_left(today) <= near_days,
            berat_warnings=len(warnings.get(tid, [])),
            berat_overdue_warned=any(w.days_left(today) < 0 for w in warnings.get(tid, [])),
        ))
    return rows
