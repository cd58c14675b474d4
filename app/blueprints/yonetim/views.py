"""Yönetim pages: what GİB knows about this taxpayer and whether the host clock agrees with GİB.

No call to GİB happens in a request: the page shows the last GİB Bağlantı Kontrolü (a background job,
``app.connection``) and "Şimdi Kontrol Et" starts a new one, whose status widget swaps in.
"""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, url_for
from flask_login import login_required

from app.acting import acting_taxpayer
from app.blueprints.yonetim import bp
from app.connection import operations, queries
from app.gib_access import DEFAULT_SIMULATOR_URL
from app.htmx import is_partial, render
from app.jobs import status


@bp.before_request
@login_required
def _require_login() -> None:
    """Every Yönetim page needs a logged-in taxpayer."""


@bp.get("/")
def index() -> Response:
    """GİB Bağlantısı: the check under way, or the last check's answer with its time."""
    running = queries.active_check(acting_taxpayer().id)
    return render("yonetim/index.html", "yonetim/_gib_status.html",
                  gib_url=current_app.config["GIB_URL"] or DEFAULT_SIMULATOR_URL,
                  running=status.view_of(running) if running else None,
                  last=None if running else queries.last_check(acting_taxpayer().id))


@bp.post("/kontrol")
def check() -> Response | str:
    """Şimdi Kontrol Et: start a check (or find the one under way); htmx gets its status widget."""
    job = operations.start_check(acting_taxpayer())
    if not is_partial():
        return redirect(url_for("yonetim.index"), 303)
    return render_template("jobs/_status_fragment.html", view=status.job_of(acting_taxpayer().id, job.id))
