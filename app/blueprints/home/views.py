"""The portal's landing page (the office's table of clients for a person acting for several), the acting
taxpayer's own page and its İşlem Geçmişi."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request
from flask_login import current_user, login_required

from app.acting import acting_choices, acting_taxpayer
from app.audit import labels, queries
from app.authorisations import queries as authorisation_queries
from app.office import queries as office_queries
from app.blueprints.home import bp
from app.edefter.deadlines.summary import summary_of
from app.formatting import local_today
from app.htmx import render

RECENT_ON_ACCOUNT_PAGE = 10

bp.add_app_template_filter(labels.action_label, "islem_adi")
bp.add_app_template_filter(labels.result_label, "islem_sonucu")
bp.add_app_template_filter(labels.object_label, "islem_kaydi")


@bp.get("/", scoped=False)
def index() -> str:
    """Landing page with the portal areas; for a person acting for several taxpayers, the office's home: one row
    per client with what waits for it, and the authorisations still to accept."""
    if not current_user.is_authenticated:
        return render_template("home/index.html", clients=[], offers=[])
    choices = acting_choices()
    today = local_today()
    return render_template("home/index.html", offers=authorisation_queries.waiting_for_acceptance(current_user),
                           clients=office_queries.client_overview(choices) if len(choices) > 1 else [],
                           berat=summary_of(choices[0].taxpayer, today) if len(choices) == 1 else None,
                           today=today)


@bp.get("/hesabim")
@login_required
def account() -> Response:
    """The taxpayer's identity and its latest recorded acts."""
    page = queries.history(acting_taxpayer(), queries.HistoryFilter(), 1, RECENT_ON_ACCOUNT_PAGE)
    return render("home/account.html", "home/_recent.html", page=page,
                  berat=summary_of(acting_taxpayer(), local_today()))


def _history_filter() -> tuple[queries.HistoryFilter, str | None]:
    try:
        start = date.fromisoformat(request.args["baslangic"]) if request.args.get("baslangic") else None
        end = date.fromisoformat(request.args["bitis"]) if request.args.get("bitis") else None
    except ValueError:
        return queries.HistoryFilter(action=request.args.get("islem") or None), "Tarihler GG.AA.YYYY biçiminde olmalıdır."
    if start and end and start > end:
        return queries.HistoryFilter(action=request.args.get("islem") or None), "Başlangıç tarihi bitiş tarihinden sonra olamaz."
    return queries.HistoryFilter(start, end, request.args.get("islem") or None), None


def _history_context() -> dict:
    wanted, error = _history_filter()
    page = queries.history(acting_taxpayer(), wanted, request.args.get("sayfa", 1, type=int))
    return {"page": page, "wanted": wanted, "error": error, "actions": queries.action_choices(acting_taxpayer())}


@bp.get("/hesabim/islem-gecmisi")
@login_required
def history() -> Response:
    """İşlem Geçmişi: who did what and when, with which certificate and result; filtered by date and kind."""
    return render("home/history.html", "home/_history.html", **_history_context())


@bp.post("/hesabim/islem-gecmisi/dogrula")
@login_required
def verify_history() -> Response:
    """Check this taxpayer's chain of entries and say whether every one is as it was written."""
    return render("home/history.html", "home/_chain_check.html", chain_break=queries.check_own_chain(acting_taxpayer()),
                  checked=True, **_history_context())
