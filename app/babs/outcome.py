"""Whether one invoice counts on its buyer's sanal Ba and its seller's sanal Bs (GİB guide §4–5).

- no request, a pending/rejected/withdrawn iptal: on both forms;
- an approved iptal (the invoice is cancelled) or an accepted itiraz: on neither;
- a rejected itiraz, or one not accepted by the 15th of the month after the invoice's month: off the objecting
  party's form, on the form of the party that rejected it (or let the time pass);
- an itiraz still inside that time: on both, until it is decided;
- a KAMU invoice's itiraz by the seller needs no approval (guide §2): on neither once notified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from app.formatting import format_form_date
from app.iptal.rules import objection_deadline
from app.models import CancellationStatus, PartyRole, RequestKind


class InvoiceLike(Protocol):
    issue_date: date

    @property
    def is_cancelled(self) -> bool: ...


class RequestLike(Protocol):
    kind: RequestKind
    status: CancellationStatus
    requester_role: PartyRole


@dataclass(frozen=True)
class Outcome:
    on_ba: bool  # counts on the buyer's sanal Ba
    on_bs: bool  # counts on the seller's sanal Bs
    reason: str  # why, in GİB's words ("" when nothing was asked)
    final: bool = True  # False while an objection may still be accepted


def _objection_lost(objection: RequestLike, reason: str) -> Outcome:
    # The objecting party's form drops the invoice; the other party, who did not accept, keeps it.
    by_buyer = objection.requester_role is PartyRole.ALICI
    return Outcome(on_ba=not by_buyer, on_bs=by_buyer, reason=reason)


def outcome_of(invoice: InvoiceLike, requests: list, today: date) -> Outcome:  # list[RequestLike]
    if invoice.is_cancelled:
        return Outcome(False, False, "Fatura İptal Edildi")
    objection = next((r for r in requests if r.kind is RequestKind.ITIRAZ
                      and r.status is not CancellationStatus.DELETED), None)
    if objection is not None:
        return _objection_outcome(invoice, objection, today)
    iptal = [r for r in requests if r.kind is RequestKind.IPTAL and r.status is not CancellationStatus.DELETED]
    if any(r.status is CancellationStatus.REJECTED for r in iptal):
        return Outcome(True, True, "İptal talebi reddedildi")
    if any(r.status is CancellationStatus.PENDING for r in iptal):
        return Outcome(True, True, "İptal talebi onay bekliyor", final=False)
    return Outcome(True, True, "")


def _objection_outcome(invoice: InvoiceLike, objection: RequestLike, today: date) -> Outcome:
    if objection.status is CancellationStatus.NOTIFIED:
        return Outcome(False, False, "Kamu faturasına itiraz bildirildi (alıcı onayı aranmaz)")
    if objection.status is CancellationStatus.APPROVED:
        return Outcome(False, False, "Fatura İtiraz Kabul Edildi")
    if objection.status is CancellationStatus.REJECTED:
        return _objection_lost(objection, "İtiraz talebi reddedildi")
    deadline = objection_deadline(invoice)
    if today > deadline:
        return _objection_lost(objection, f"İtiraz {format_form_date(deadline)} tarihine kadar kabul edilmedi")
    return Outcome(True, True, f"İtiraz onay bekliyor ({format_form_date(deadline)} tarihine kadar)", final=False)
