"""The İptal Portalı's rules (SPEC B2, GİB guide §2), as plain checks with GİB's wording."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app

from app.formatting import format_plain_amount, local_today
from app.models import Invoice, PartyRole
from app.models.invoice import PORTAL_CANCELLABLE_PROFILES
from app.refusals import Refused

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
        f"{format_plain_amount(amount)} tutarındaki fatura bulunamadı ! Lütfen sayfayı yenileyip tekrar deneyiniz."
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
            f"{invoice.number} numaralı fatura alıcıya {invoice.delivered_on:%d.%m.%Y} tarihinde ulaşmıştır. "
            f"Faturanın alıcıya ulaştığı tarihten itibaren {window_days()} gün geçtiği için {act} yapılamaz."
        )


def check_can_request(invoice: Invoice, amount: Decimal, role: PartyRole) -> None:
    """Everything a new request needs, except the open-request check (done under the lock)."""
    if amount != invoice.payable_amount:
        raise CancellationRefused(
            f"Girdiğiniz tutar ({format_plain_amount(amount)}) {invoice.number} numaralı faturanın ödenecek "
            "tutarı ile aynı değil. Lütfen faturadaki Ödenecek Tutar'ı giriniz."
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
