"""flask-login wiring: the logged-in user is a Taxpayer; HTMX swaps are sent to the login page."""

from __future__ import annotations

from flask import Flask, Response, redirect, request, url_for
from flask_login import LoginManager

from app.db import get_session
from app.htmx import is_htmx, redirect_for_htmx
from app.models import Taxpayer

login_manager = LoginManager()
login_manager.login_message = "Bu sayfayı görmek için akıllı kartınızla giriş yapınız."
login_manager.login_message_category = "warning"
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_taxpayer(user_id: str) -> Taxpayer | None:
    if not user_id.isdigit():
        return None
    return get_session().get(Taxpayer, int(user_id))


@login_manager.unauthorized_handler
def _unauthorized() -> Response:
    from flask import flash

    flash(login_manager.login_message, login_manager.login_message_category)
    target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if is_htmx():
        return redirect_for_htmx(target)
    return redirect(target)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
