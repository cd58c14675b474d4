"""Hizmet Aktivasyonu and Kayıtlı Kullanıcı Listesi pages. Views are thin: read the form, call app.integrator,
render or redirect. The seed's steps: Etiket Ekle → Ekle → Tamam; select → Aç → date (and, the first time, where
the taxpayer comes from and the GİB e-Fatura application) → Evet → certificate and PIN → Tamam →
"İŞLEMİNİZ TAMAMLANMIŞTIR"; waiting rows ask for themselves until GİB approves.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import login_required

from app.acting import acting_taxpayer, needs
from app.authorisations.access import Need
from app.blueprints.hizmetler import bp
from app.blueprints.hizmetler.forms import application_values, opening_choices, selected_ids
from app.cards import card_choice_from, certificate_for_confirmation, installed_drivers, tokens_for
from app.drafts import make_draft, read_draft
from app.formatting import local_today
from app.htmx import is_partial, render, see_other
from app.integrator import approvals, catalogue, operations, queries, userlist
from app.jobs import status
from app.models import Taxpayer
from app.refusals import Refused

OPEN_FORM, OPEN, CLOSE_FORM, CLOSE = "hizmet-acma-formu", "hizmet-acma", "hizmet-kapatma-formu", "hizmet-kapatma"


def _taxpayer() -> Taxpayer:
    """The taxpayer these pages act for (never the person who logged in)."""
    return acting_taxpayer()


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page needs a logged-in person."""


def _card_context(driver: str | None = None, token: str | None = None) -> dict[str, Any]:
    drivers = installed_drivers()
    driver = driver or (drivers[0] if drivers else "")
    tokens, token_error = tokens_for(driver) if driver else ([], None)
    return {"drivers": drivers, "driver": driver, "tokens": tokens, "token_error": token_error, "chosen_token": token}


def _back(message: str) -> Response:
    flash(message, "error")
    return see_other(url_for("hizmetler.index"))


# --- the page and its waiting rows --------------------------------------------------------------------


@bp.get("/hizmet-aktivasyonu/")
def index() -> Response:
    """Every product of seed 002 with its labels and their state."""
    return render("hizmetler/index.html", "hizmetler/_products.html", products=queries.overview(_taxpayer().id))


@bp.get("/hizmet-aktivasyonu/etiket/<int:label_id>/durum")
def label_status(label_id: int) -> str:
    """A row waiting for GİB asks again: a check is queued when due; the row comes back as it is now.

    A GET, so a Görüntüleme user's open page refreshes too: the check it may queue changes nothing the person
    owns (it asks GİB what GİB already decided), and it is queued at most once per interval."""
    approvals.start_due_checks(_taxpayer().id)
    row = queries.label_row(_taxpayer().id, label_id)
    if row is None:
        abort(404)
    return render_template("hizmetler/_row_fragment.html", row=row, selectable=request.args.get("liste") != "0")


# --- Etiket Ekle (C2) ---------------------------------------------------------------------------------


def _product_or_404(code: str) -> catalogue.Product:
    product = catalogue.product(code)
    if product is None:
        abort(404)
    return product


@bp.get("/hizmet-aktivasyonu/etiket-ekle")
@needs(Need.PREPARE)
def add_form() -> Response:
    """Etiket Ön Eki and Şirket Alan Adı for one product."""
    product = _product_or_404(request.args.get("urun", ""))
    return render("hizmetler/add.html", "hizmetler/_add_form.html", product=product, error=None,
                  values={"onek": "default", "alan": ""})


@bp.post("/hizmet-aktivasyonu/etiket-ekle")
def add() -> Response:
    """"Ekle": the product's labels are created; the seed's "Tamam" follows."""
    product = _product_or_404(request.form.get("urun", ""))
    try:
        created = operations.add_labels(_taxpayer(), product.code, request.form.get("onek", "")[:200],
                                        request.form.get("alan", "")[:200])
    except Refused as exc:
        return render("hizmetler/add.html", "hizmetler/_add_form.html", status=422, product=product,
                      error=exc.message, values=request.form)
    return render("hizmetler/added.html", "hizmetler/_added.html", product=product, labels=created)


# --- Aç (C3–C7) ------------------------------------------------------------------------------------------


def _opening_form(screen: operations.OpeningScreen, draft: str, *, error: str | None = None,
                  status_code: int = 200) -> Response:
    form = request.form
    values = application_values(form) if error else {"title": _taxpayer().unvan}
    return render("hizmetler/open.html", "hizmetler/_open_form.html", status=status_code, screen=screen,
                  draft=draft, error=error, form=form if error else {}, application=values, today=local_today(),
                  **_card_context(form.get("surucu"), form.get("kart")))


@bp.post("/hizmet-aktivasyonu/ac")
@needs(Need.SIGN)
def open_form() -> Response:
    """"Aç": date, where the taxpayer comes from (first time), the GİB e-Fatura application (when GİB has none)."""
    try:
        screen = operations.prepare_opening(_taxpayer(), selected_ids(request.form))
    except Refused as exc:
        return _back(exc.message)
    draft = make_draft(OPEN_FORM, label_ids=[label.id for label in screen.labels], origin=screen.asks_origin,
                       application=screen.needs_application)
    return _opening_form(screen, draft)


@bp.post("/hizmet-aktivasyonu/ac/devam")
@needs(Need.SIGN)
def open_confirm() -> Response:
    """Check the form; show what will be signed, the seed's warning for the taxpayer's case and "Evet"."""
    try:
        form_draft = read_draft(OPEN_FORM, request.form.get("taslak", ""))
        screen = operations.opening_screen(_taxpayer(), form_draft["label_ids"], asks_origin=form_draft["origin"],
                                           needs_application=form_draft["application"])
    except Refused as exc:
        return _back(exc.message)
    try:
        product, labels, plan = operations.plan_opening(
            _taxpayer(), form_draft["label_ids"], asks_origin=screen.asks_origin,
            needs_application=screen.needs_application, today=local_today(), **opening_choices(request.form))
        card = card_choice_from(request.form)
    except Refused as exc:
        return _opening_form(screen, request.form["taslak"], error=exc.message, status_code=422)
    draft = make_draft(OPEN, plan=plan.to_draft(), driver=card.driver, token=card.token_label)
    return render("hizmetler/confirm.html", "hizmetler/_confirm.html", product=product, labels=labels, plan=plan,
                  origin=product.origin(plan.origin), draft=draft, action=url_for("hizmetler.open_certificate"))


def _sign_page(kind: str, draft: dict[str, Any], token: str, *, certificate: Any = None, error: str | None = None,
               status_code: int = 200) -> Response:
    opening = kind == OPEN
    ids = draft["plan"]["label_ids"] if opening else draft["label_ids"]
    product, labels = operations.summary(_taxpayer(), ids)
    return render("hizmetler/sign.html", "hizmetler/_sign.html", status=status_code, product=product, labels=labels,
                  plan=operations.OpeningPlan.from_draft(draft["plan"]) if opening else None, draft=token,
                  certificate=certificate, error=error,
                  action=url_for("hizmetler.open_sign" if opening else "hizmetler.close_sign"))


@bp.post("/hizmet-aktivasyonu/ac/evet")
@needs(Need.SIGN)
def open_certificate() -> Response:
    """"Evet": the certificate the card will sign with (SPEC A2), and the PIN."""
    return _certificate(OPEN, request.form.get("taslak", ""))


def _certificate(kind: str, token: str) -> Response:
    try:
        draft = read_draft(kind, token)
        card = card_choice_from({"surucu": draft["driver"], "kart": draft["token"] or ""})
        certificate = certificate_for_confirmation(card, _taxpayer().identifier)
        return _sign_page(kind, draft, token, certificate=certificate)
    except Refused as exc:
        return _back(exc.message)


def _signed(kind: str, act: Any) -> Response:
    """"Tamam": the act with the PIN typed here; then the request's page ("İŞLEMİNİZ TAMAMLANMIŞTIR")."""
    token = request.form.get("taslak", "")
    try:
        draft = read_draft(kind, token)
        card = card_choice_from({"surucu": draft["driver"], "kart": draft["token"] or ""})
    except Refused as exc:
        return _back(exc.message)
    try:
        done = act(draft, card, request.form.get("sifre", ""))
    except Refused as exc:
        return _sign_page(kind, draft, token, error=exc.message, status_code=422)
    return see_other(url_for("hizmetler.request_done", request_id=done.id))


@bp.post("/hizmet-aktivasyonu/ac/onayla")
@needs(Need.SIGN)
def open_sign() -> Response:
    """Sign the activation (and the application) with the card, send it to GİB."""
    return _signed(OPEN, lambda draft, card, pin: operations.open_labels(
        _taxpayer(), operations.OpeningPlan.from_draft(draft["plan"]), draft["submission_id"], card, pin))


# --- Kapat (C8) -------------------------------------------------------------------------------------------


def _closing_form(screen: operations.ClosingScreen, draft: str, *, error: str | None = None,
                  status_code: int = 200) -> Response:
    return render("hizmetler/close.html", "hizmetler/_close_form.html", status=status_code, screen=screen,
                  draft=draft, error=error, **_card_context(request.form.get("surucu"), request.form.get("kart")))


@bp.post("/hizmet-aktivasyonu/kapat")
@needs(Need.SIGN)
def close_form() -> Response:
    """"Kapat": what will be closed, the last-PK warning when it applies, the card."""
    try:
        screen = operations.prepare_closing(_taxpayer(), selected_ids(request.form))
    except Refused as exc:
        return _back(exc.message)
    return _closing_form(screen, make_draft(CLOSE_FORM, label_ids=[label.id for label in screen.labels]))


@bp.post("/hizmet-aktivasyonu/kapat/evet")
@needs(Need.SIGN)
def close_certificate() -> Response:
    """"Evet": the warning read (when there is one), then the certificate and the PIN."""
    confirmed = request.form.get("uyari_okundu") == "evet"
    try:
        ids = read_draft(CLOSE_FORM, request.form.get("taslak", ""))["label_ids"]
        screen = operations.prepare_closing(_taxpayer(), ids)
        card = card_choice_from(request.form)
    except Refused as exc:
        return _back(exc.message)
    if screen.warning and not confirmed:
        return _closing_form(screen, request.form["taslak"], status_code=422,
                             error="Son posta kutusu etiketinizi kapatmak için uyarıyı okuduğunuzu işaretleyiniz.")
    return _certificate(CLOSE, make_draft(CLOSE, label_ids=ids, confirmed=confirmed, driver=card.driver,
                                          token=card.token_label))


@bp.post("/hizmet-aktivasyonu/kapat/onayla")
@needs(Need.SIGN)
def close_sign() -> Response:
    """Sign the closing with the card and send it to GİB."""
    return _signed(CLOSE, lambda draft, card, pin: operations.close_labels(
        _taxpayer(), draft["label_ids"], draft["submission_id"], card, pin,
        last_post_box_confirmed=draft["confirmed"]))


# --- a request: its page, Tekrar Gönder, its signed documents --------------------------------------------------


@bp.get("/hizmet-aktivasyonu/talep/<int:request_id>")
def request_done(request_id: int) -> Response:
    """"İŞLEMİNİZ TAMAMLANMIŞTIR" (or GİB's refusal), with the request's labels waiting for approval."""
    view = queries.request_view(_taxpayer().id, request_id)
    if view is None:
        abort(404)
    return render("hizmetler/request.html", "hizmetler/_request.html", view=view)


@bp.post("/hizmet-aktivasyonu/talep/<int:request_id>/tekrar-gonder")
def resend(request_id: int) -> Response:
    """"Tekrar Gönder": the same signed document, with the same Idempotency-Key."""
    if queries.request_view(_taxpayer().id, request_id) is None:
        abort(404)
    try:
        operations.resend(_taxpayer(), request_id)
    except Refused as exc:
        flash(exc.message, "error")
    return see_other(url_for("hizmetler.request_done", request_id=request_id))


@bp.get("/hizmet-aktivasyonu/talep/<int:request_id>/<any(talep, basvuru):which>.xml")
def signed_document(request_id: int, which: str) -> Response:
    """A signed request or e-Fatura application as kept, to verify with xmlsec1."""
    found = queries.signed_document(_taxpayer().id, request_id, which)
    if found is None:
        abort(404)
    name, document = found
    return Response(document, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- Kayıtlı Kullanıcı Listesi (C8) ---------------------------------------------------------------------------


@bp.get("/kayitli-kullanicilar")
def user_list() -> Response:
    """Search GİB's registered-user list (the last copy; a new one is asked for when it is an hour old)."""
    text = request.args.get("ara", "")[:100].strip()
    users, more = userlist.search(text)
    running = userlist.active_download()
    return render("hizmetler/user_list.html", "hizmetler/_user_list_results.html", text=text, users=users,
                  more=more, latest=userlist.latest_download(), due=userlist.refresh_due(),
                  running=status.view_of(running) if running and running.taxpayer_id == _taxpayer().id else None)


@bp.post("/kayitli-kullanicilar/guncelle")
@needs(Need.VIEW)
def user_list_refresh() -> Response | str:
    """Listeyi Güncelle: a download when the copy is an hour old; otherwise the hourly rule is explained."""
    job = userlist.start_refresh(_taxpayer().id)
    view = status.job_of(_taxpayer().id, job.id) if job is not None else None
    if not is_partial():
        if view is None:
            flash(_hourly_message(), "warning")
        return see_other(url_for("hizmetler.user_list"))
    if view is None:
        return render_template("hizmetler/_hourly.html", message=_hourly_message())
    return render_template("jobs/_status_fragment.html", view=view)


def _hourly_message() -> str:
    return (f"Liste bir saatten kısa süre önce indirildi. GİB, kayıtlı kullanıcı listesinin entegratörlerce saatte en "
            f"fazla bir kez indirilmesini ister; {userlist.minutes_until_refresh()} dakika sonra yeniden "
            "indirilebilir.")
