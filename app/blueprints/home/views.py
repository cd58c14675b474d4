"""The portal's landing page and the logged-in taxpayer's own page."""

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from app.blueprints.home import bp
from app.db import get_session
from app.htmx import render
from app.models import AuditEvent

HISTORY_PAGE_SIZE = 50


@bp.get("/")
def index() -> str:
    """Landing page with the portal areas."""
    return render_template("home/index.html")


@bp.get("/hesabim")
@login_required
def account():
    """The taxpayer's identity and its latest recorded acts (İşlem Geçmişi)."""
    events = get_session().scalars(
        select(AuditEvent)
        .where(AuditEvent.taxpayer_id == current_user.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(HISTORY_PAGE_SIZE)
    ).all()
    return render("home/account.html", "home/_history.html", events=events)
