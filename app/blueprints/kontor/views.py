"""Kontör page: balances with the low-balance warning, packages, movements filtered by date and kind, totals."""

from __future__ import annotations

from flask import Response, request
from flask_login import login_required

from app.acting import acting_taxpayer
from app.blueprints.kontor import bp
from app.formatting import local_today, parse_form_date
from app.htmx import render
from app.kontor import queries
from app.models.kontor import MovementKind


@bp.before_request
@login_required
def _require_login() -> None:
    """Every Kontör page needs a logged-in person."""


def _filter() -> tuple[queries.MovementFilter, str | None]:
    chosen = queries.MovementFilter.default()
    kind = next((k for k in MovementKind if k.value == request.args.get("tur")), None)
    try:
        start = parse_form_date(request.args["baslangic"], "Başlangıç Tarihi") if request.args.get("baslangic") else chosen.start
        end = parse_form_date(request.args["bitis"], "Bitiş Tarihi") if request.args.get("bitis") else chosen.end
    except ValueError as error:
        return queries.MovementFilter(chosen.start, chosen.end, kind), str(error)
    if end < start:
        return queries.MovementFilter(chosen.start, chosen.end, kind), "Bitiş Tarihi Başlangıç Tarihinden önce olamaz."
    return queries.MovementFilter(start, end, kind), None


@bp.get("/")
def index() -> Response:
    """Kontör: the balance per unit, the packages, and the movements of the chosen days with their totals."""
    taxpayer_id = acting_taxpayer().id
    chosen, error = _filter()
    return render("kontor/index.html", "kontor/_movements.html", balances=queries.balances(taxpayer_id),
                  packages=queries.packages(taxpayer_id), chosen=chosen, filter_error=error, kinds=list(MovementKind),
                  page=queries.movements(taxpayer_id, chosen, request.args.get("sayfa", 1, type=int)),
                  totals=queries.totals(taxpayer_id, chosen), today=local_today())
