"""Firma Seç and Yetkilerim: the logged-in person's own pages. Views are thin: read, call, render or redirect."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from app.acting import acting_choices, safe_taxpayer_path, url_in_taxpayer
from app.authorisations import operations, queries
from app.authorisations.operations import AuthorisationNotFound, NotActing
from app.blueprints.ofis import bp
from app.formatting import local_today, parse_record_id
from app.htmx import render, see_other
from app.refusals import Refused


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page here belongs to the logged-in person."""


@bp.get("/firma-sec")
def choose() -> Response:
    """Firma Seç: the taxpayers the person acts for, the last chosen first; htmx swaps the list while typing."""
    words = request.args.get("ara", "")
    return render("ofis/firma_sec.html", "ofis/_firma_secenekleri.html", words=words,
                  choices=queries.search(acting_choices(), words),
                  sonraki=safe_taxpayer_path(request.args.get("sonraki")))


@bp.post("/firma-sec")
def switch() -> Response:
    """Start working for the chosen taxpayer (an audit entry in its chain), on the page asked for."""
    try:
        access = operations.switch_to(current_user, parse_record_id(request.form.get("mukellef", "")) or 0)
    except NotActing:
        abort(404)
    flash(f"{access.taxpayer.unvan} adına işlem yapıyorsunuz ({access.role_label}).", "info")
    return see_other(url_in_taxpayer(access.taxpayer.id, request.form.get("sonraki")))


@bp.get("/yetkilerim")
def my_authorisations() -> str:
    """Yetkilerim: the authorisations given to the person, to accept, in force, or ended."""
    return render_template("ofis/yetkilerim.html", authorisations=queries.given_to(current_user), today=local_today())


@bp.post("/yetkilerim/<int:authorisation_id>/kabul")
def accept(authorisation_id: int) -> Response:
    """"Kabul Et": from now on the person may act for the taxpayer with the authorisation's role."""
    try:
        accepted = operations.accept(current_user, authorisation_id)
    except AuthorisationNotFound:
        abort(404)
    except Refused as exc:
        flash(exc.message, "error")
        return see_other(url_for("ofis.my_authorisations"))
    flash(f"{accepted.taxpayer.unvan} tarafından verilen {accepted.role.label} yetkisini kabul ettiniz; artık bu "
          "mükellef adına işlem yapabilirsiniz.", "success")
    back_home = request.form.get("donus") == "ana-sayfa"
    return see_other(url_for("home.index") if back_home else url_for("ofis.my_authorisations"))


@bp.get("/yetkilerim/<int:authorisation_id>/belge.xml")
def my_document(authorisation_id: int) -> Response:
    """The signed authorisation given to the person, to keep or verify with xmlsec1."""
    authorisation = queries.given_to_person(current_user, authorisation_id)
    if authorisation is None:
        abort(404)
    name = f"yetkilendirme-{authorisation.taxpayer.identifier}-{authorisation.id}.xml"
    return Response(authorisation.document_xml, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
