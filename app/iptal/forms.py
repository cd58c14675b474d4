"""Reading the İptal/İtiraz Talebi Bilgi Girişi form: what was typed, or a Turkish message naming the field.

Only the shape of each value is checked here (the form shows these next to the fields); whether the invoice
exists and the rules allow the request is ``operations``' part, shown on GİB's error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Mapping

from app.formatting import AmountError, parse_amount, parse_form_date
from app.iptal.rules import CancellationRefused, check_invoice_number
from app.models import ObjectionMethod, PartyRole, RequestKind
from app.refusals import Refused

# The form fields a "Geri" link carries back (never the PIN: it is not on this form).
KEPT_FIELDS = ("islem_sahibi", "fatura_no", "tutar", "belge_no", "belge_tarihi", "yontem", "surucu", "kart")


class FormError(Refused):
    """A field's value has the wrong shape; the form is shown again with what was typed."""


@dataclass(frozen=True)
class TypedRequest:
    kind: RequestKind
    role: PartyRole
    number: str
    amount: Decimal
    document_number: str = ""
    document_date: date | None = None
    method: ObjectionMethod | None = None


def read_role(value: str | None) -> PartyRole:
    try:
        return PartyRole(value or "")
    except ValueError:
        raise FormError("İşlem Sahibini Seçiniz: faturada satıcı mısınız, alıcı mı?") from None


def read_request(form: Mapping[str, str], kind: RequestKind) -> TypedRequest:
    role = read_role(form.get("islem_sahibi"))
    try:
        number = check_invoice_number(form.get("fatura_no", ""))
        amount = parse_amount(form.get("tutar", ""))
    except (CancellationRefused, AmountError) as exc:
        raise FormError(exc.message) from None
    if kind is RequestKind.IPTAL:
        return TypedRequest(kind, role, number, amount)
    return TypedRequest(kind, role, number, amount, *_objection_fields(form))


def _objection_fields(form: Mapping[str, str]) -> tuple[str, date, ObjectionMethod]:
    document_number = " ".join((form.get("belge_no") or "").split())
    if not document_number:
        raise FormError("İtiraz Belge Numarası giriniz.")
    if len(document_number) > 50:
        raise FormError("İtiraz Belge Numarası en fazla 50 karakter olabilir.")
    try:
        document_date = parse_form_date(form.get("belge_tarihi", ""), "İtiraz Belge Tarihi")
    except ValueError as exc:
        raise FormError(str(exc)) from None
    try:
        method = ObjectionMethod(form.get("yontem") or "")
    except ValueError:
        raise FormError("İtiraz Yöntemi seçiniz: Noter Aracılığıyla, Taahhütlü Mektup, Telgraf veya KEP.") from None
    return document_number, document_date, method


def kept_values(form: Mapping[str, str]) -> dict[str, str]:
    """The typed values a "Geri" link or the error page sends back to the form."""
    return {name: form[name] for name in KEPT_FIELDS if form.get(name)}
