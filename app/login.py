"""flask-login wiring: the logged-in user is a Person (the card's holder); HTMX swaps are sent to the login page.

Whom the person acts for is resolved per request from the URL (``app.acting``, decision note 0071).
"""

from __future__ import annotations

from flask import Flask, Response, redirect, request, url_for
from flask_login import LoginManager

from app.db import get_session
from app.htmx import is_htmx, redirect_for_htmx
from app.models import Person

login_manager = LoginManager()
login_manager.login_message = "Bu sayfayı görmek için akıllı kartınızla giriş yapınız."
login_manager.login_message_category = "warning"
login_manager.session_protection = "strong"


PERSON_ID_PREFIX = "kisi-"


@login_manager.user_loader
def _load_person(user_id: str) -> Person | None:
    # A session from before persons existed holds a bare taxpayer id: not a person's, so it is logged out.
    number = user_id.removeprefix(PERSON_ID_PREFIX)
    if not user_id.startswith(PERSON_ID_PREFIX) or not number.isdigit():
        return None
    return get_session().get(Person, int(number))


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
