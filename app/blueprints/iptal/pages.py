"""What the İptal/İtiraz Portalı's views share: reading the kind, the period and the ticks, and rendering the
form, the confirmation and GİB's result pages (HTTP only; the rules are in app.iptal)."""

from __future__ import annotations

from typing import Mapping

from flask import Response, abort, url_for

from app.cards import installed_drivers, tokens_for
from app.drafts import make_draft
from app.formatting import parse_form_date, parse_record_id
from app.htmx import render
from app.iptal import queries
from app.iptal.operations import BatchResult, RequestDraft
from app.iptal.words import words_for
from app.models import Invoice, ObjectionMethod, RequestKind
from app.signing.certinfo import CertificateInfo


def kind_of(value: str) -> RequestKind:
    try:
        return RequestKind(value)
    except ValueError:
        abort(404)


def card_context(driver: str | None = None, token: str | None = None) -> dict:
    drivers = installed_drivers()
    driver = driver or (drivers[0] if drivers else "")
    tokens, token_error = tokens_for(driver) if driver else ([], None)
    return {"drivers": drivers, "driver": driver, "tokens": tokens, "token_error": token_error, "chosen_token": token}


def request_form_page(kind: RequestKind, values: Mapping[str, str], error: str | None = None,
                      status: int = 200) -> Response:
    """The Bilgi Girişi form, filled with ``values`` (what was typed, or what "Geri" brings back)."""
    return render("iptal/request.html", "iptal/_request_area.html", status=status, error=error, values=values,
                  words=words_for(kind), methods=list(ObjectionMethod),
                  **card_context(values.get("surucu"), values.get("kart")))


def error_result(kind: RequestKind, message: str, kept: Mapping[str, str]) -> Response:
    """GİB's error page (a red cross, the reason, "Lütfen sayfayı yenileyip tekrar deneyiniz"), with a "Geri"
    that brings the typed values back."""
    back = url_for("iptal.request_form", tur=kind.value, **kept)
    return render("iptal/request_failed.html", "iptal/_request_failed.html", status=422, message=message,
                  back_url=back, words=words_for(kind))


def confirm_request_page(invoice: Invoice, plan: RequestDraft, draft: str, kept: Mapping[str, str],
                         certificate: CertificateInfo | None, error: str | None = None, status: int = 200) -> Response:
    back = url_for("iptal.request_form", tur=plan.kind.value, **kept)
    return render("iptal/confirm_request.html", "iptal/_confirm_request.html", status=status, invoice=invoice,
                  plan=plan, certificate=certificate, draft=draft, error=error, back_url=back,
                  words=words_for(plan.kind))


def period_from(args: Mapping[str, str]) -> tuple[queries.DateRange, str | None]:
    default = queries.DateRange.default()
    try:
        start = parse_form_date(args["baslangic"]) if args.get("baslangic") else default.start
        end = parse_form_date(args["bitis"]) if args.get("bitis") else default.end
    except ValueError:
        return default, "Tarihler GG.AA.YYYY biçiminde olmalıdır; son 10 günün talepleri listelendi."
    if start > end:
        return default, "Başlangıç tarihi bitiş tarihinden sonra olamaz; son 10 günün talepleri listelendi."
    return queries.DateRange(start, end), None


def selected_ids(form: Mapping) -> list[int]:
    return [record_id for value in form.getlist("secim") if (record_id := parse_record_id(value))]


def result_url(kind: RequestKind, result: BatchResult, done_text: str) -> str:
    """The result page's address: what was done, signed (so a made-up address shows nothing), short-lived."""
    outcome = {
        "tur": kind.value,
        "done": done_text.format(count=len(result.done)) if result.done else "",
        "invoices": [r.invoice.number for r in result.done],
        "skipped": result.skipped,
    }
    return url_for("iptal.batch_result", r=make_draft("iptal-sonuc", **outcome))
