"""İptal/İtiraz Portalı pages. Views are thin: read the form, call an operation, render or redirect.

Every page but the entry page and the signed downloads exists twice, for iptal (``/talep``, ``/talepler``…)
and for itiraz (``/itiraz/talep``, ``/itiraz/talepler``…): one view, the kind in the rule's defaults.
"""

from __future__ import annotations

from flask import Response, abort, flash, make_response, render_template, request, url_for
from flask_login import login_required

from app.acting import acting_taxpayer, needs
from app.babs.summary import Month, monthly_summary
from app.authorisations.access import Need
from app.blueprints.iptal import bp
from app.blueprints.iptal.pages import (
    card_context,
    confirm_request_page,
    error_result,
    kind_of,
    period_from,
    request_form_page,
    result_url,
    selected_ids,
)
from app.cards import card_choice_from, certificate_for_confirmation
from app.drafts import DraftExpired, make_draft, read_draft
from app.formatting import local_today, parse_record_id
from app.htmx import is_partial, render, see_other
from app.iptal import forms, operations, queries
from app.iptal.words import words_for
from app.models import RequestKind
from app.pagination import page_of_list
from app.refusals import Refused

# The itiraz rule is written above the iptal one: decorators register bottom-up, so the iptal rule comes first and
# url_for() without "tur" (links from other areas) builds the iptal address.
IPTAL, ITIRAZ = {"tur": "iptal"}, {"tur": "itiraz"}


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page of the portal needs a logged-in taxpayer."""


@bp.get("/")
def index() -> str:
    """E-FATURA İPTAL/İTİRAZ PORTALI with GİB's four entry buttons."""
    return render_template("iptal/index.html", kinds=[words_for(k) for k in RequestKind])


# --- creating a request -------------------------------------------------------------------


@bp.get("/itiraz/talep", defaults=ITIRAZ)
@bp.get("/talep", defaults=IPTAL)
@needs(Need.SIGN)
def request_form(tur: str) -> Response:
    """İşlem Sahibi, Fatura No, Ödenecek Tutar (and the itiraz document), and the card; "Geri" refills it."""
    return request_form_page(kind_of(tur), request.args)


@bp.post("/itiraz/talep", defaults=ITIRAZ)
@bp.post("/talep", defaults=IPTAL)
@needs(Need.SIGN)
def request_confirm(tur: str) -> Response:
    """"Talep Oluştur": a badly typed field stays on the form; GİB's refusals get its error page."""
    kind = kind_of(tur)
    try:
        typed = forms.read_request(request.form, kind)
    except Refused as exc:
        return request_form_page(kind, request.form, exc.message, 422)
    try:
        invoice, plan = operations.prepare_request(acting_taxpayer(), typed)
    except Refused as exc:
        return error_result(kind, exc.message, forms.kept_values(request.form))
    try:
        card = card_choice_from(request.form)
        certificate = certificate_for_confirmation(card, acting_taxpayer().identifier)
    except Refused as exc:  # another card, an expired one: choose again on the same form
        return request_form_page(kind, request.form, exc.message, 422)
    draft = make_draft("iptal-talebi", **plan.to_payload(), driver=card.driver, token=card.token_label,
                       kept=forms.kept_values(request.form))
    return confirm_request_page(invoice, plan, draft, forms.kept_values(request.form), certificate)


@bp.post("/itiraz/talep/onayla", defaults=ITIRAZ)
@bp.post("/talep/onayla", defaults=IPTAL)
@needs(Need.SIGN)
def request_sign(tur: str) -> Response:
    """"Onayla": the PIN opens the card here, where the signature is made (decision note 0120)."""
    try:
        draft = read_draft("iptal-talebi", request.form.get("taslak", ""))
    except DraftExpired as exc:
        flash(exc.message, "error")
        return see_other(url_for("iptal.request_form", tur=tur))
    plan = operations.RequestDraft.from_payload(draft)
    card = card_choice_from({"surucu": draft["driver"], "kart": draft["token"] or ""})
    try:
        created, _new = operations.create_request(acting_taxpayer(), plan, draft["submission_id"], card,
                                                  request.form.get("sifre", ""))
    except Refused as exc:
        invoice = queries.invoice_of(acting_taxpayer(), plan.invoice_id)
        if invoice is None:
            abort(404)
        return confirm_request_page(invoice, plan, request.form["taslak"], draft.get("kept", {}), None,
                                    exc.message, 422)
    return see_other(url_for("iptal.request_done", tur=plan.kind.value, talep=created.id))


@bp.get("/itiraz/talep/sonuc", defaults=ITIRAZ)
@bp.get("/talep/sonuc", defaults=IPTAL)
def request_done(tur: str) -> str:
    """GİB's success page: "İptal/İtiraz talebiniz başarıyla oluşturulmuştur" and the request's sentence."""
    created = queries.visible_request(acting_taxpayer(), parse_record_id(request.args.get("talep", "")) or 0)
    if created is None or created.requester_taxpayer_id != acting_taxpayer().id or created.kind.value != tur:
        abort(404)
    return render_template("iptal/request_done.html", created=created, words=words_for(created.kind))


# --- lists ----------------------------------------------------------------------------------

LISTS = {
    "talep-ettikleriniz": queries.requested_by,
    "gelen": queries.incoming_for,
    "onayladiklariniz": queries.cancelled_by,
    "reddettikleriniz": queries.rejected_by,
}


@bp.get("/itiraz/talepler", defaults=ITIRAZ)
@bp.get("/talepler", defaults=IPTAL)
def lists(tur: str) -> Response:
    """The kind's four lists — or one of them, for htmx paging."""
    kind, (period, period_error) = kind_of(tur), period_from(request.args)
    only, number = request.args.get("liste"), request.args.get("sayfa", 1, type=int)
    context = {"words": words_for(kind), "period": period}
    if only in LISTS and is_partial():
        return render("iptal/_list_table.html", "iptal/_list_table.html", list_name=only,
                      page=LISTS[only](acting_taxpayer(), period, number, kind), **context)
    pages = {name: query(acting_taxpayer(), period, number if name == only else 1, kind)
             for name, query in LISTS.items()}
    return render("iptal/lists.html", "iptal/_lists.html", pages=pages, period_error=period_error,
                  **context, **card_context())


@bp.post("/itiraz/talepler/sil", defaults=ITIRAZ)
@bp.post("/talepler/sil", defaults=IPTAL)
def delete_selected(tur: str) -> Response:
    """"Seçilen Talepleri Sil": first asks, listing the chosen requests; "Evet, Sil" withdraws them."""
    kind, ids = kind_of(tur), selected_ids(request.form)
    if not ids:
        flash("Silmek istediğiniz talepleri seçiniz.", "warning")
        return see_other(url_for("iptal.lists", tur=tur))
    if request.form.get("onay") != "evet":
        chosen = queries.own_pending(acting_taxpayer(), ids, kind)
        return render_template("iptal/confirm_delete.html", requests=chosen, words=words_for(kind))
    result = operations.delete_requests(acting_taxpayer(), ids, kind)
    return see_other(result_url(kind, result, "{count} talep silindi."))


@bp.post("/itiraz/gelen/karar", defaults=ITIRAZ)
@bp.post("/gelen/karar", defaults=IPTAL)
@needs(Need.SIGN)
def decision_confirm(tur: str) -> Response:
    """"Fatura İptal Et" / "Faturaya İtirazı Kabul Et" / "Talebi Reddet": the chosen requests and the certificate."""
    kind, decision, ids = kind_of(tur), request.form.get("karar"), selected_ids(request.form)
    if decision not in operations.DECISIONS or not ids:
        flash("Onaylamak veya reddetmek istediğiniz talepleri seçiniz.", "warning")
        return see_other(url_for("iptal.lists", tur=tur))
    chosen, answered = queries.requests_to_answer(acting_taxpayer(), ids, kind)
    for message in answered:
        flash(message, "warning")
    if not chosen:
        return see_other(url_for("iptal.lists", tur=tur)) if answered else abort(404)
    try:
        card = card_choice_from(request.form)
        certificate = certificate_for_confirmation(card, acting_taxpayer().identifier)
    except Refused as exc:
        flash(exc.message, "error")
        return see_other(url_for("iptal.lists", tur=tur))
    draft = make_draft("iptal-karari", ids=[r.id for r in chosen], decision=decision, tur=tur, driver=card.driver,
                       token=card.token_label)
    return render("iptal/confirm_decision.html", "iptal/_confirm_decision.html", requests=chosen, words=words_for(kind),
                  decision=decision, certificate=certificate, draft=draft, error=None)


@bp.post("/itiraz/gelen/karar/onayla", defaults=ITIRAZ)
@bp.post("/gelen/karar/onayla", defaults=IPTAL)
@needs(Need.SIGN)
def decision_sign(tur: str) -> Response:
    """Sign each chosen request's decision with one PIN entry, then GİB's "İşlem Başarılı" page."""
    try:
        draft = read_draft("iptal-karari", request.form.get("taslak", ""))
    except DraftExpired as exc:
        flash(exc.message, "error")
        return see_other(url_for("iptal.lists", tur=tur))
    kind = kind_of(draft.get("tur", "iptal"))
    card = card_choice_from({"surucu": draft["driver"], "kart": draft["token"] or ""})
    try:
        result = operations.decide_requests(acting_taxpayer(), draft["ids"], draft["decision"], card,
                                            request.form.get("sifre", ""), kind)
    except Refused as exc:
        chosen = [r for r in (queries.visible_request(acting_taxpayer(), i) for i in draft["ids"]) if r is not None]
        return render("iptal/confirm_decision.html", "iptal/_confirm_decision.html", status=422, requests=chosen,
                      words=words_for(kind), decision=draft["decision"], certificate=None,
                      draft=request.form["taslak"], error=exc.message)
    verb = words_for(kind).approved_done if draft["decision"] == "onay" else "reddedildi"
    return see_other(result_url(kind, result, "{count} talep " + verb + "."))


@bp.get("/sonuc")
def batch_result() -> Response | str:
    """GİB's result page after a batch act: "İşlem Başarılı" and what was done or left alone."""
    try:
        outcome = read_draft("iptal-sonuc", request.args.get("r", ""))
    except DraftExpired:  # an old or made-up address: the portal's entry page instead
        return see_other(url_for("iptal.index"))
    return render_template("iptal/batch_result.html", outcome=outcome, words=words_for(kind_of(outcome["tur"])))


# --- signed documents and sanal Ba/Bs --------------------------------------------------------


@bp.get("/talep/<int:request_id>/<any(talep, karar):which>.xml")
def signed_document(request_id: int, which: str) -> Response:
    """The signed request or decision XML, for either party, to verify with xmlsec1."""
    found = queries.visible_request(acting_taxpayer(), request_id)
    document = None if found is None else (found.request_xml if which == "talep" else found.decision_xml)
    if document is None:
        abort(404)
    name = f"{found.invoice.number}-{found.kind.value}-{which}-{found.id}.xml"
    return Response(document, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


BABS_PAGE_SIZE = 50  # counterparties per table page (each with its invoices folded under it)


@bp.get("/sanal-babs")
def babs() -> Response:
    """Sanal Ba/Bs of a month: per counterparty, the invoices that count, and how each outcome landed. Each of the
    four tables pages on its own (``grup`` + ``sayfa``); an htmx page link gets only its table back."""
    month = Month.parse(request.args.get("donem")) or Month.previous(local_today())
    summary = monthly_summary(acting_taxpayer(), month)
    groups = summary.groups()
    chosen = request.args.get("grup") if request.args.get("grup") in groups else None
    number = request.args.get("sayfa", 1, type=int)
    pages = {name: page_of_list(lines, number if name == chosen else 1, BABS_PAGE_SIZE)
             for name, (_, _, lines) in groups.items()}
    context = {"summary": summary, "groups": groups, "pages": pages}
    if chosen is not None and is_partial():
        return make_response(render_template("iptal/_babs_group.html", name=chosen, **context))
    return make_response(render_template("iptal/babs.html", **context))
