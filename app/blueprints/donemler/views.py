"""Defter Dönemleri: the fiscal year's periods with their states and berat deadlines. Read only."""

from __future__ import annotations

from flask import Response, request
from flask_login import login_required

from app.acting import acting_taxpayer, needs
from app.authorisations.access import Need
from app.blueprints.donemler import bp
from app.edefter.deadlines.dashboard import year_overview
from app.formats.safe_xml import format_size
from app.formatting import local_today
from app.htmx import render

POLL_SECONDS = 2


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page here needs a logged-in person."""


@bp.get("/")
@needs(Need.VIEW)
def index() -> Response:
    """Every period of the chosen fiscal year; htmx polls the table while a job of one of them runs."""
    wanted = request.args.get("yil", "")
    key = int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) == 4 else None
    overview = year_overview(acting_taxpayer(), key, local_today())
    error = None
    if wanted and (key is None or overview.fiscal_year is None) and overview.settings is not None:
        error = "Seçtiğiniz hesap dönemi e-Defter kullandığınız dönemler arasında değil; güncel dönem gösteriliyor."
        overview = year_overview(acting_taxpayer(), None, local_today())
    return render("donemler/index.html", "donemler/_donemler.html", overview=overview, error=error,
                  size=format_size, poll_seconds=POLL_SECONDS)
