"""Yönetim pages: what GİB knows about this taxpayer and whether the host clock agrees with GİB."""

from __future__ import annotations

from flask import Response, current_app
from flask_login import current_user, login_required

from app.blueprints.yonetim import bp
from app.gib.errors import GibError
from app.gib_access import DEFAULT_SIMULATOR_URL, check_clock, gib_client
from app.htmx import render


@bp.before_request
@login_required
def _require_login() -> None:
    """Every Yönetim page needs a logged-in taxpayer."""


@bp.get("/")
def index() -> Response:
    """GİB Bağlantısı: clock check, the taxpayer's e-Fatura application and its labels at GİB."""
    client = gib_client()
    context: dict = {"gib_url": current_app.config["GIB_URL"] or DEFAULT_SIMULATOR_URL, "error": None}
    try:
        context["clock"] = check_clock(client)
        context["registry"] = client.find_taxpayer(current_user.identifier)
        context["registered_user"] = client.registered_user(current_user.identifier)
    except GibError as exc:
        context.update(error=exc.message, clock=None, registry=None, registered_user=None)
    finally:
        client.close()
    return render("yonetim/index.html", "yonetim/_gib_status.html", **context)
