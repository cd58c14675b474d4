"""İşlemler pages: read only. A job is the logged-in taxpayer's or it is not found."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import login_required

from app.acting import acting_taxpayer
from app.blueprints.jobs import bp
from app.htmx import render
from app.jobs import status
from app.jobs.status import JobView


@bp.before_request
@login_required
def _require_login() -> None:
    """Every İşlemler page needs a logged-in taxpayer."""


def _job_or_404(job_id: int) -> JobView:
    view = status.job_of(acting_taxpayer().id, job_id)
    if view is None:
        abort(404)
    return view


@bp.get("/")
def index() -> Response:
    """İşlemler: the taxpayer's jobs, newest first; the list refreshes itself while one is under way."""
    page = status.jobs_of(acting_taxpayer().id, request.args.get("sayfa", 1, type=int))
    return render("jobs/index.html", "jobs/_list.html", page=page, polling=status.any_active(page))


@bp.get("/<int:job_id>")
def show(job_id: int) -> Response:
    """One job: what it is and its status widget."""
    return render("jobs/job.html", "jobs/_status_fragment.html", view=_job_or_404(job_id))


@bp.get("/<int:job_id>/durum")
def status_fragment(job_id: int) -> Response:
    """The status widget alone (htmx polls it every second while the job waits or runs)."""
    return render("jobs/job.html", "jobs/_status_fragment.html", view=_job_or_404(job_id))
