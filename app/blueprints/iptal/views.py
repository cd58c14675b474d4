"""İptal Portalı pages. Views are thin: read the form, call an operation, render or redirect."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import login_required

from app.acting import acting_taxpayer, needs
from app.authorisations.access import Need
from app.blueprints.iptal import bp
from app.cards import CardChoice, card_choice_from, certificate_for_confirmation, installed_drivers, tokens_for
from app.drafts import DraftExpired, make_draft, read_draft
from app.formatting import AmountError, format_plain_amount, parse_amount, parse_record_id
from app.htmx import is_partial, render, see_other
from app.iptal import operations, queries
from app.models import PartyRole
from app.refusals import Refused


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page of the portal needs a logged-in taxpayer."""


def _card_context(driver: str | None = None, token: str | None = None) -> dict:
    drivers = installed_drivers()
    driver = driver or (drivers[0] if drivers else "")
    tokens, token_error = tokens_for(driver) if driver else ([], None)
    return {"drivers": drivers, "driver": driver, "tokens": tokens, "token_error": token_error, "chosen_token": token}


def _confirmed_draft(kind: str) -> tuple[dict, CardChoice]:
    """What the confirmation screen showed (sent back by "Onayla") and the card it names."""
    draft = read_draft(kind, request.form.get("taslak", ""))
    return draft, card_choice_from({"surucu": draft["driver"], "kart": draft["token"] or ""})


@bp.get("/")
def index() -> str:
    """The portal's home with its two entry buttons."""
    return render_template("iptal/index.html")


# --- creating a request -------------------------------------------------------------------


def _request_form(error: str | None = None, status: int = 200) -> Response:
    # A POST re-shows what was typed; a GET may come prefilled from the invoice list.
    form = request.form if request.method == "POST" else request.args
    return render(
        "iptal/request.html",
        "iptal/_request_form.html",
        status=status,
        error=error,
        values=form,
        **_card_context(form.get("surucu"), form.get("kart")),
    )


@bp.get("/talep")
@needs(Need.SIGN)
def request_form() -> Response:
    """Fatura No, Ödenecek Tutar, İşlem Sahibi and the card."""
    return _request_form()


@bp.post("/talep")
@needs(Need.SIGN)
def request_confirm() -> Response:
    """Check the invoice and the card, then show the certificate confirmation screen (SPEC A2)."""
    form = request.form
    try:
        role = PartyRole(form.get("islem_sahibi", "SATICI"))
        amount = parse_amount(form.get("tutar", ""))
        invoice = operations.find_invoice_for_request(acting_taxpayer(), form.get("fatura_no", ""), amount, role)
        card = card_choice_from(form)
        certificate = certificate_for_confirmation(card, acting_taxpayer().identifier)
    except ValueError as exc:  # AmountError, an unknown role
        return _request_form(str(exc) if isinstance(exc, AmountError) else "İşlem sahibini seçiniz.", 422)
    except Refused as exc:
        return _request_form(exc.message, 422)
    draft = make_draft("iptal-talebi", invoice_id=invoice.id, amount=str(amount), role=role.value,
                       driver=card.driver, token=card.token_label)
    return render("iptal/confirm_request.html", "iptal/_confirm_request.html", invoice=invoice, amount=amount,
                  role=role, certificate=certificate, draft=draft, error=None)


@bp.post("/talep/onayla")
@needs(Need.SIGN)
def request_sign() -> Response:
    """"Onayla": sign the request with the card and store it."""
    try:
        draft, card = _confirmed_draft("iptal-talebi")
    except DraftExpired as exc:
        flash(exc.message, "error")
        return see_other(url_for("iptal.request_form"))
    plan = operations.RequestDraft(draft["invoice_id"], parse_amount(draft["amount"]), PartyRole(draft["role"]))
    try:
        cancellation, _created = operations.create_request(
            acting_taxpayer(), plan, draft["submission_id"], card, request.form.get("sifre", "")
        )
    except Refused as exc:
        invoice = queries.invoice_of(acting_taxpayer(), plan.invoice_id)
        if invoice is None:
            abort(404)
        return render("iptal/confirm_request.html", "iptal/_confirm_request.html", status=422, invoice=invoice,
                      amount=plan.amount, role=plan.role, certificate=None, draft=request.form["taslak"],
                      error=exc.message)
    return see_other(url_for("iptal.request_done", talep=cancellation.id))


@bp.get("/talep/sonuc")
def request_done() -> str:
    """The seed's success sentence for the request just created."""
    cancellation = queries.visible_request(acting_taxpayer(), parse_record_id(request.args.get("talep", "")) or 0)
    if cancellation is None or cancellation.requester_taxpayer_id != acting_taxpayer().id:
        abort(404)
    return render_template(
        "iptal/request_done.html",
        cancellation=cancellation,
        amount_text=format_plain_amount(cancellation.amount),
    )


# --- lists ----------------------------------------------------------------------------------

LISTS = {
    "talep-ettikleriniz": (queries.requested_by, "iptal/_requested_table.html"),
    "gelen": (queries.incoming_for, "iptal/_incoming_table.html"),
    "iptal-ettikleriniz": (queries.cancelled_by, "iptal/_cancelled_table.html"),
    "reddettikleriniz": (queries.rejected_by, "iptal/_rejected_table.html"),
}


def _period() -> tuple[queries.DateRange, str | None]:
    default = queries.DateRange.default()
    try:
        start = date.fromisoformat(request.args["baslangic"]) if request.args.get("baslangic") else default.start
        end = date.fromisoformat(request.args["bitis"]) if request.args.get("bitis") else default.end
    except ValueError:
        return default, "Tarihler GG.AA.YYYY biçiminde olmalıdır; son 10 günün talepleri listelendi."
    if start > end:
        return default, "Başlangıç tarihi bitiş tarihinden sonra olamaz; son 10 günün talepleri listelendi."
    return queries.DateRange(start, end), None


@bp.get("/talepler")
def lists() -> Response:
    """Requests made, incoming requests to answer, and invoices cancelled — or one of them for htmx."""
    period, period_error = _period()
    only = request.args.get("liste")
    number = request.args.get("sayfa", 1, type=int)
    if only in LISTS and is_partial():
        query, fragment = LISTS[only]
        return render(fragment, fragment, page=query(acting_taxpayer(), period, number), period=period)
    taxpayer = acting_taxpayer()
    pages = {name: query(taxpayer, period, number if name == only else 1) for name, (query, _) in LISTS.items()}
    return render("iptal/lists.html", "iptal/_lists.html", pages=pages, period=period, period_error=period_error,
                  **_card_context())


def _selected_ids() -> list[int]:
    return [record_id for value in request.form.getlist("secim") if (record_id := parse_record_id(value))]


def _report(result: operations.BatchResult, done_message: str) -> None:
    if result.done:
        flash(done_message.format(count=len(result.done)), "success")
    for message in result.skipped:
        flash(message, "warning")


@bp.post("/talepler/sil")
def delete_selected() -> Response:
    """"Seçilen Talepleri Sil"."""
    ids = _selected_ids()
    if not ids:
        flash("Silmek istediğiniz talepleri seçiniz.", "warning")
    else:
        _report(operations.delete_requests(acting_taxpayer(), ids), "İşlem Başarılı: {count} talep silindi.")
    return see_other(url_for("iptal.lists", **request.args))


@bp.post("/gelen/karar")
@needs(Need.SIGN)
def decision_confirm() -> Response:
    """"Fatura İptal Et" / "Talebi Reddet": show the chosen requests and the certificate to sign with."""
    decision = request.form.get("karar")
    ids = _selected_ids()
    if decision not in operations.DECISIONS or not ids:
        flash("Onaylamak veya reddetmek istediğiniz talepleri seçiniz.", "warning")
        return see_other(url_for("iptal.lists"))
    chosen, answered = queries.requests_to_answer(acting_taxpayer(), ids)
    for message in answered:
        flash(message, "warning")
    if not chosen:
        return see_other(url_for("iptal.lists")) if answered else abort(404)
    try:
        card = card_choice_from(request.form)
        certificate = certificate_for_confirmation(card, acting_taxpayer().identifier)
    except Refused as exc:
        flash(exc.message, "error")
        return see_other(url_for("iptal.lists"))
    draft = make_draft("iptal-karari", ids=[r.id for r in chosen], decision=decision, driver=card.driver,
                       token=card.token_label)
    return render("iptal/confirm_decision.html", "iptal/_confirm_decision.html", requests=chosen,
                  decision=decision, certificate=certificate, draft=draft, error=None)


@bp.post("/gelen/karar/onayla")
@needs(Need.SIGN)
def decision_sign() -> Response:
    """Sign each chosen request's decision with one PIN entry."""
    try:
        draft, card = _confirmed_draft("iptal-karari")
    except DraftExpired as exc:
        flash(exc.message, "error")
        return see_other(url_for("iptal.lists"))
    try:
        result = operations.decide_requests(acting_taxpayer(), draft["ids"], draft["decision"], card,
                                            request.form.get("sifre", ""))
    except Refused as exc:
        chosen = [r for r in (queries.visible_request(acting_taxpayer(), i) for i in draft["ids"]) if r is not None]
        return render("iptal/confirm_decision.html", "iptal/_confirm_decision.html", status=422, requests=chosen,
                      decision=draft["decision"], certificate=None, draft=request.form["taslak"], error=exc.message)
    verb = "iptal edildi" if draft["decision"] == "onay" else "reddedildi"
    _report(result, "İşlem Başarılı: {count} talep " + verb + ".")
    return see_other(url_for("iptal.lists"))


# --- signed documents -----------------------------------------------------------------------


@bp.get("/talep/<int:request_id>/<any(talep, karar):which>.xml")
def signed_document(request_id: int, which: str) -> Response:
    """The signed request or decision XML, for either party, to verify with xmlsec1."""
    cancellation = queries.visible_request(acting_taxpayer(), request_id)
    document = None if cancellation is None else (
        cancellation.request_xml if which == "talep" else cancellation.decision_xml)
    if document is None:
        abort(404)
    name = f"{cancellation.invoice.number}-iptal-{which}-{cancellation.id}.xml"
    return Response(document, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
