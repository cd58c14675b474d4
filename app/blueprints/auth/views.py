"""Login page and logout."""

from flask import Response, flash, redirect, render_template, url_for
from flask_login import login_required, logout_user

from app.blueprints.auth import bp


@bp.get("/")
def login() -> str:
    """The smart-card login page."""
    return render_template("auth/login.html")


@bp.post("/cikis")
@login_required
def logout() -> Response:
    """End the session."""
    logout_user()
    flash("Oturumunuz kapatıldı.", "info")
    return redirect(url_for("auth.login"), 303)
