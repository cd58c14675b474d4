"""Yetkilendirme pages: the taxpayer, logged in with its own card, authorises a person (signed), revokes at once,
and downloads the signed documents. Views are thin: read the form, call an operation, render or redirect."""

from __future__ import annotations

from typing import Any, Mapping

from flask import Response, abort, flash, request, url_for
from flask_login import login_required

from app.acting import acting_taxpayer, needs
from app.authorisations import operations, queries
from app.authorisations.access import Need
from app.authorisations.operations import AuthorisationNotFound, GrantFormInvalid, GrantPlan
from app.blueprints.yetki import bp
from app.cards import card_choice_from, certificate_for_confirmation, installed_drivers, tokens_for
from app.drafts import DraftExpired, make_draft, read_draft
from app.formatting import local_today
from app.htmx import render, see_other
from app.models import AuthorisationRole
from app.refusals import Refused

DRAFT = "yetkilendirme"


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page here needs a logged-in person (and, checked by ``app.acting``, the taxpayer's own card)."""


def _page(values: Mapping[str, Any], errors: Mapping[str, str], error: str | None = None,
          status: int = 200) -> Response:
    drivers = installed_drivers()
    driver = values.get("surucu") or (drivers[0] if drivers else "")
    tokens, token_error = tokens_for(driver) if driver else ([], None)
    return render("yetki/index.html", "yetki/_form.html", status=status, values=values, errors=errors, error=error,
                  authorisations=queries.authorisations_of(acting_taxpayer()), roles=list(AuthorisationRole),
                  today=local_today(), drivers=drivers, driver=driver, tokens=tokens, token_error=token_error,
                  chosen_token=values.get("kart"))


@bp.get("/")
@needs(Need.OWNER)
def index() -> Response:
    """Who may act for the taxpayer (with revoke and download on each row), and the form for a new authorisation."""
    return _page({"rol": AuthorisationRole.MALI_MUSAVIR.value}, {})


@bp.post("/")
@needs(Need.OWNER)
def confirm() -> Response:
    """Check the form and the card, then show what will be signed and the certificate (SPEC A2)."""
    taxpayer = acting_taxpayer()
    try:
        plan = operations.read_grant(request.form, taxpayer)
        card = card_choice_from(request.form)
        certificate = certificate_for_confirmation(card, taxpayer.identifier)
    except GrantFormInvalid as invalid:
        return _page(request.form, invalid.errors, status=422)
    except Refused as exc:
        return _page(request.form, {}, exc.message, 422)
    draft = make_draft(DRAFT, **plan.as_draft(), driver=card.driver, token=card.token_label)
    return render("yetki/confirm.html", "yetki/_confirm.html", plan=plan, certificate=certificate, draft=draft,
                  error=None)


@bp.post("/onayla")
@needs(Need.OWNER)
def sign() -> Response:
    """"Onayla": sign the authorisation with the taxpayer's card and store it."""
    try:
        draft = read_draft(DRAFT, request.form.get("taslak", ""))
    except DraftExpired as exc:
        flash(exc.message, "error")
        return see_other(url_for("yetki.index"))
    plan = GrantPlan.from_draft(draft)
    try:
        card = card_choice_from({"surucu": draft["driver"], "kart": draft["token"] or ""})
        operations.grant(acting_taxpayer(), plan, draft["submission_id"], card, request.form.get("sifre", ""))
    except Refused as exc:
        return render("yetki/confirm.html", "yetki/_confirm.html", status=422, plan=plan, certificate=None,
                      draft=request.form["taslak"], error=exc.message)
    flash(f"{plan.person_name} ({plan.person_identifier}) {plan.role.label} olarak yetkilendirildi. Yetki, kişi "
          "kendi e-imzasıyla giriş yapıp kabul ettiğinde geçerli olur.", "success")
    return see_other(url_for("yetki.index"))


@bp.post("/<int:authorisation_id>/iptal")
@needs(Need.OWNER)
def revoke(authorisation_id: int) -> Response:
    """"Yetkiyi İptal Et": at once; the person's next request for this taxpayer is refused."""
    try:
        revoked = operations.revoke(acting_taxpayer(), authorisation_id)
    except AuthorisationNotFound:
        abort(404)
    except Refused as exc:
        flash(exc.message, "warning")
        return see_other(url_for("yetki.index"))
    flash(f"{revoked.person_name} için verilen {revoked.role.label} yetkisi iptal edildi.", "success")
    return see_other(url_for("yetki.index"))


@bp.get("/<int:authorisation_id>/belge.xml")
@needs(Need.OWNER)
def document(authorisation_id: int) -> Response:
    """The signed authorisation, to keep or verify with xmlsec1."""
    authorisation = queries.authorisation_of(acting_taxpayer(), authorisation_id)
    if authorisation is None:
        abort(404)
    name = f"yetkilendirme-{authorisation.taxpayer.identifier}-{authorisation.id}.xml"
    return Response(authorisation.document_xml, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
