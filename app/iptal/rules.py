"""The İptal/İtiraz Portalı's rules (SPEC B2, GİB guide §2, §4, §5), as plain checks with GİB's wording.

Which scenario allows what (guide §2): TEMELFATURA and HKS — iptal and itiraz by either party; TICARIFATURA —
itiraz only (its iptal is a RED application response); KAMU — itiraz by the seller only, with no approval of the
buyer. Dates are the portal's clock (``local_today``), which a training room may move.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask import current_app

from app.formatting import format_amount, format_form_date, local_today
from app.models import CancellationRequest, CancellationStatus, Invoice, PartyRole, RequestKind
from app.models.invoice import PORTAL_CANCELLABLE_PROFILES
from app.refusals import Refused

# Scenarios whose objection is notified on the portal, and who may notify it (guide §2).
OBJECTION_PROFILES = {
    "TEMELFATURA": frozenset(PartyRole),
    "TICARIFATURA": frozenset(PartyRole),
    "HKS": frozenset(PartyRole),
    "KAMU": frozenset({PartyRole.SATICI}),
}
# Objections that need no answer from the other party: the request takes effect when it is made.
OBJECTION_WITHOUT_APPROVAL = frozenset({"KAMU"})
SCENARIO_LABELS = {
    "TEMELFATURA": "TEMEL FATURA",
    "TICARIFATURA": "TİCARİ FATURA",
    "HKS": "HAL TİPİ (HKS)",
    "KAMU": "KAMU",
}


def scenario_label(profile_id: str) -> str:
    return SCENARIO_LABELS.get(profile_id, profile_id)

INVOICE_NUMBER = re.compile(r"^[A-Z0-9]{3}20[0-9]{2}[0-9]{9}$")


class CancellationRefused(Refused):
    """A rule says no; ``message`` is what the page shows."""


def check_invoice_number(number: str) -> str:
    number = (number or "").strip().upper()
    if not INVOICE_NUMBER.match(number):
        raise CancellationRefused(
            "Fatura numarası 16 karakter olmalıdır: 3 harf/rakam, 4 haneli yıl ve 9 haneli sıra numarası "
            "(örnek: DAS2020000000003)."
        )
    return number


def not_found_message(identifier: str, number: str, amount: Decimal) -> str:
    return (
        f"{identifier} Vergi / T.C. kimlik numaralı mükellefe ait {number} numaralı "
        f"{format_amount(amount)} tutarındaki fatura bulunamadı !"
    )


def wrong_role_message(number: str, chosen: PartyRole) -> str:
    """The invoice exists, but the taxpayer is its other party: say which role to choose."""
    other = PartyRole.ALICI if chosen is PartyRole.SATICI else PartyRole.SATICI
    return (
        f"{number} numaralı faturada {chosen.label.lower()} değil, {other.label.lower()} olarak yer alıyorsunuz. "
        f"İşlem Sahibi olarak \"{other.label}\" seçiniz."
    )


def window_days() -> int:
    return int(current_app.config["CANCELLATION_WINDOW_DAYS"])


def window_closes_on(invoice: Invoice) -> date:
    return invoice.delivered_on + timedelta(days=window_days())


def check_window(invoice: Invoice, act: str, today: date | None = None) -> None:
    """Requests and approvals only within N days of the invoice reaching the buyer."""
    today = today or local_today()
    if today > window_closes_on(invoice):
        raise CancellationRefused(
            f"{invoice.number} numaralı fatura alıcıya {format_form_date(invoice.delivered_on)} tarihinde ulaşmıştır. "
            f"Faturanın alıcıya ulaştığı tarihten itibaren {window_days()} gün geçtiği için {act} yapılamaz."
        )


def objection_deadline(invoice: Any) -> date:
    """The 15th of the month after the invoice's month: an objection accepted later does not count (guide §5.2)."""
    first_of_next = (invoice.issue_date.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_of_next.replace(day=15)


OVERDUE_OBJECTION_LABEL = "Süresinde Onaylanmadı"


def objection_overdue(kind: RequestKind, status: CancellationStatus, invoice: Any, today: date | None = None) -> bool:
    """An objection still unanswered after its deadline: it now counts as not accepted, for good (nobody can accept,
    reject or withdraw it). ``invoice`` needs only ``issue_date`` (an ORM invoice or a list row's cells)."""
    return (kind is RequestKind.ITIRAZ and status is CancellationStatus.PENDING
            and (today or local_today()) > objection_deadline(invoice))


def status_label(kind: RequestKind, status: CancellationStatus, invoice: Any) -> str:
    """The state as the lists and every message name it (an overdue objection has a label of its own)."""
    return OVERDUE_OBJECTION_LABEL if objection_overdue(kind, status, invoice) else status.label_for(kind)


def label_of(request: CancellationRequest) -> str:
    return status_label(request.kind, request.status, request.invoice)


def check_objection_deadline(invoice: Invoice, today: date | None = None) -> None:
    today = today or local_today()
    if today > objection_deadline(invoice):
        raise CancellationRefused(
            f"{invoice.number} numaralı faturaya yapılan itiraz, faturanın ait olduğu ayı izleyen ayın 15'i "
            f"({format_form_date(objection_deadline(invoice))}) sonuna kadar kabul edilebilirdi; süresinde kabul "
            "edilmediği için artık kabul edilemez."
        )


def check_amount(invoice: Invoice, amount: Decimal) -> None:
    if amount != invoice.payable_amount:
        raise CancellationRefused(
            f"Girdiğiniz tutar ({format_amount(amount)}) {invoice.number} numaralı faturanın ödenecek "
            "tutarı ile aynı değil. Lütfen faturadaki Ödenecek Tutar'ı giriniz."
        )


def check_can_request(invoice: Invoice, amount: Decimal, role: PartyRole,
                      kind: RequestKind = RequestKind.IPTAL) -> None:
    """Everything a new request needs, except the open-request check (done under the lock)."""
    check_amount(invoice, amount)
    if kind is RequestKind.ITIRAZ:
        check_can_object(invoice, role)
        return
    if invoice.profile_id == "KAMU":
        raise CancellationRefused(
            f"{invoice.number} numaralı fatura KAMU senaryosundadır. Kamu faturaları için İptal/İtiraz Portalı'ndan "
            "iptal talebi oluşturulamaz; satıcı itiraz bildiriminde bulunabilir."
        )
    if invoice.profile_id == "TICARIFATURA":
        raise CancellationRefused(
            f"{invoice.number} numaralı fatura TİCARİ FATURA senaryosundadır. Ticari faturalar İptal Portalı "
            "üzerinden değil, alıcının 8 gün içinde e-Fatura sisteminden göndereceği RED uygulama yanıtı ile "
            "iptal edilir."
        )
    if invoice.is_uploader_only:
        # An unsigned import (demo mode) exists for its uploader only: the other party never sees it (note 0053).
        raise CancellationRefused(
            f"{invoice.number} numaralı fatura imzasız yüklendiği için yalnızca sizin listenizde görünür; karşı "
            "taraf bu faturayı görmediğinden iptal talebi oluşturulamaz. Satıcının imzaladığı hâlini yükleyiniz."
        )
    if invoice.profile_id not in PORTAL_CANCELLABLE_PROFILES:
        raise CancellationRefused(
            f"{invoice.profile_id} senaryosundaki faturalar için İptal Portalı'ndan iptal talebi oluşturulamaz."
        )
    if invoice.is_cancelled:
        raise CancellationRefused(f"{invoice.number} numaralı fatura zaten iptal edilmiştir.")
    check_window(invoice, "iptal talebi")


def check_can_object(invoice: Invoice, role: PartyRole) -> None:
    """An itiraz notice: the scenario and the role allow it, and the invoice still stands."""
    _check_visible_to_both(invoice)
    roles = OBJECTION_PROFILES.get(invoice.profile_id)
    if roles is None:
        raise CancellationRefused(
            f"{scenario_label(invoice.profile_id)} senaryosundaki faturalar için İptal/İtiraz Portalı'ndan itiraz "
            "talebi oluşturulamaz."
        )
    if role not in roles:
        raise CancellationRefused(
            f"{invoice.number} numaralı fatura KAMU senaryosundadır. Kamu faturalarına itiraz bildirimini yalnızca "
            "satıcı yapabilir."
        )
    if invoice.is_cancelled:
        raise CancellationRefused(f"{invoice.number} numaralı fatura iptal edilmiştir; itiraz talebi oluşturulamaz.")
    if local_today() > objection_deadline(invoice):
        # Past it, nobody could accept the objection any more: it would only sit on the lists as overdue.
        raise CancellationRefused(
            f"{invoice.number} numaralı faturaya itiraz, faturanın ait olduğu ayı izleyen ayın 15'ine "
            f"({format_form_date(objection_deadline(invoice))}) kadar bildirilip kabul edilebilir; bu süre geçtiği "
            "için itiraz talebi oluşturulamaz."
        )


def _check_visible_to_both(invoice: Invoice) -> None:
    if invoice.is_uploader_only:
        raise CancellationRefused(
            f"{invoice.number} numaralı fatura imzasız yüklendiği için yalnızca sizin listenizde görünür; karşı "
            "taraf bu faturayı görmediğinden talep oluşturulamaz. Satıcının imzaladığı hâlini yükleyiniz."
        )


def check_objection_document(invoice: Invoice, number: str, on: date | None, today: date | None = None) -> str:
    """İtiraz Belge Numarası and Tarihi: the TTK 18/3 document, made within 8 days of receipt (TTK 21/2)."""
    number = " ".join((number or "").split())
    if not number:
        raise CancellationRefused("İtiraz Belge Numarası boş olamaz.")
    if len(number) > 50:
        raise CancellationRefused("İtiraz Belge Numarası en fazla 50 karakter olabilir.")
    if on is None:
        raise CancellationRefused("İtiraz Belge Tarihi giriniz (GG.AA.YYYY).")
    today = today or local_today()
    if on > today:
        raise CancellationRefused("İtiraz Belge Tarihi bugünden sonra olamaz.")
    if on < invoice.issue_date:
        raise CancellationRefused(
            f"İtiraz Belge Tarihi ({format_form_date(on)}) fatura tarihinden ({format_form_date(invoice.issue_date)}) "
            "önce olamaz."
        )
    if on > window_closes_on(invoice):
        raise CancellationRefused(
            f"İtiraz Belge Tarihi ({format_form_date(on)}) faturanın alıcıya ulaştığı "
            f"{format_form_date(invoice.delivered_on)} tarihinden itibaren {window_days()} gün içinde olmalıdır "
            "(TTK 18/3, 21/2)."
        )
    return number
