"""Login page (card driver, card, PIN), the card list for a driver, and logout."""

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user

from app.auth.card_login import LoginRefused, login_with_card, new_challenge
from app.blueprints.auth import bp
from app.cards import card_choice_from, installed_drivers, tokens_for
from app.htmx import render, see_other
from app.signing.errors import SigningError


def _safe_next(target: str | None) -> str:
    # Only paths on this site: an absolute URL here would be an open redirect.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


def _login_page(error: str | None = None, status: int = 200) -> Response:
    session["login_challenge"] = new_challenge()
    drivers = installed_drivers()
    driver = request.form.get("surucu") or (drivers[0] if drivers else "")
    tokens, token_error = tokens_for(driver) if driver else ([], None)
    return render(
        "auth/login.html",
        "auth/_login_form.html",
        status=status,
        drivers=drivers,
        driver=driver,
        tokens=tokens,
        token_error=token_error,
        chosen_token=request.form.get("kart"),
        error=error,
        next_url=request.values.get("next", ""),
    )


@bp.get("/")
def login() -> Response:
    """The smart-card login page."""
    return _login_page()


@bp.get("/kartlar")
def cards() -> str:
    """The cards present for the chosen driver (HTMX refresh of the card list)."""
    driver = request.args.get("surucu", "")
    tokens, token_error = tokens_for(driver)
    # The card chosen before the driver changed stays chosen when the new list still holds it.
    return render_template("_card_select.html", tokens=tokens, token_error=token_error,
                           chosen_token=request.args.get("kart") or None,
                           expected_owner=request.args.get("sahip"))


@bp.post("/")
def login_post() -> Response:
    """Sign the challenge with the card and log in as the person its certificate names."""
    try:
        person = login_with_card(
            card_choice_from(request.form), request.form.get("sifre", ""), session.pop("login_challenge", None)
        )
    except (SigningError, LoginRefused) as exc:
        return _login_page(exc.message, status=422)
    session.clear()  # a fresh session for the logged-in user (no fixation)
    login_user(person)
    session.permanent = True
    flash(f"Hoş geldiniz, {person.name}.", "success")
    return see_other(_safe_next(request.form.get("next")))


@bp.post("/cikis")
@login_required
def logout() -> Response:
    """End the session."""
    logout_user()
    session.clear()
    flash("Oturumunuz kapatıldı.", "info")
    return redirect(url_for("auth.login"), 303)
