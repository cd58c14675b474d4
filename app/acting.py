"""Whom the logged-in person acts for: resolved on every request from the URL, never kept in the session.

A taxpayer's pages answer at two addresses (decision note 0071):

- ``/mukellef/<id>/FaturaIptal/talepler`` — for the taxpayer ``<id>``, if the person acts for it (else 404).
  Every link, form and htmx request the page renders carries the same prefix (``url_for`` adds it), so two
  tabs working for two taxpayers never mix.
- ``/FaturaIptal/talepler`` — for the only taxpayer the person acts for (a company's mali mühür, or an
  e-imza holder nobody authorised). A person with several is asked which one (Firma Seç).

Each route declares what it needs (``@needs(Need.SIGN)``; by default GET needs VIEW and anything else PREPARE, and a
POST never needs less than PREPARE: Görüntüleme posts nothing);
the role of the person's authorisation is checked here, in one place, before any view runs. Access is read from
the database on every request, so a revoked or expired authorisation stops at the next one.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from flask import Blueprint, Flask, Response, abort, current_app, g, redirect, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask_login import current_user

from app.authorisations import queries
from app.authorisations.access import Access, Need
from app.htmx import is_htmx, redirect_for_htmx, render
from app.models import Taxpayer

ACTING_ARG = "mukellef_id"
ACTING_PREFIX = f"/mukellef/<int:{ACTING_ARG}>"
_SCOPED_ENDPOINTS = "ebelge.acting_endpoints"
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

F = TypeVar("F", bound=Callable[..., Any])


class _ActingSetupState(BlueprintSetupState):
    """Registers each route of a taxpayer's blueprint twice: as it is, and under ``/mukellef/<id>``."""

    def add_url_rule(self, rule: str, endpoint: str | None = None, view_func: Callable[..., Any] | None = None,
                     **options: Any) -> None:
        scoped = options.pop("scoped", True)
        super().add_url_rule(rule, endpoint, view_func, **options)
        if not scoped:
            return
        plain_prefix = self.url_prefix
        self.url_prefix = ACTING_PREFIX + (plain_prefix or "")
        try:
            super().add_url_rule(rule, endpoint, view_func, **options)
        finally:
            self.url_prefix = plain_prefix
        endpoint = endpoint or view_func.__name__  # type: ignore[union-attr]  (Flask's own default)
        name = f"{self.name_prefix}.{self.name}.{endpoint}".lstrip(".")
        self.app.extensions.setdefault(_SCOPED_ENDPOINTS, set()).add(name)


class TaxpayerBlueprint(Blueprint):
    """A blueprint of one taxpayer's pages; ``scoped=False`` on a route leaves it outside any taxpayer."""

    def make_setup_state(self, app: Any, options: dict, first_registration: bool = False) -> BlueprintSetupState:
        return _ActingSetupState(self, app, options, first_registration)


def needs(need: Need) -> Callable[[F], F]:
    """Declare what a route needs of the person's role (checked before the view runs)."""

    def mark(view: F) -> F:
        view.acting_need = need  # type: ignore[attr-defined]
        return view

    return mark


def scoped_endpoints() -> set[str]:
    return current_app.extensions.get(_SCOPED_ENDPOINTS, set())


def acting() -> Access | None:
    """How the person acts for this request's taxpayer; None outside a taxpayer's pages."""
    return g.get("acting")


def acting_taxpayer() -> Taxpayer:
    """The taxpayer this request acts for: every view passes it (never the login) to the feature packages."""
    access = g.get("acting")
    if access is None:
        abort(404)
    return access.taxpayer


def acting_choices() -> list[Access]:
    """The taxpayers the logged-in person acts for, the last chosen first (read once per request)."""
    if "acting_choices" not in g:
        g.acting_choices = queries.actable_taxpayers(current_user) if current_user.is_authenticated else []
    return g.acting_choices


def header_access() -> Access | None:
    """The taxpayer the header names: this request's, or on other pages the only one the person acts for."""
    access = g.get("acting")
    if access is None and current_user.is_authenticated:
        choices = acting_choices()
        return choices[0] if len(choices) == 1 else None
    return access


def path_in_other_taxpayer() -> str | None:
    """This page for another taxpayer (Firma Seç keeps the user on it), when it is a plain list or form page."""
    if request.method != "GET" or request.endpoint not in scoped_endpoints() or request.view_args:
        return None
    return taxpayer_path(request.endpoint)


def taxpayer_path(endpoint: str, **values: Any) -> str:
    """A taxpayer's page without prefix (for Firma Seç's ``sonraki``): ``taxpayer_path("iptal.lists")``."""
    return url_for(endpoint, **values, **{ACTING_ARG: None}).removeprefix(request.script_root)


def safe_taxpayer_path(path: str | None) -> str | None:
    """A path of this site without a taxpayer prefix (``/FaturaIptal/talepler``), or None for anything else."""
    if not path or not path.startswith("/") or path.startswith(("//", "/mukellef/")) or "\\" in path:
        return None
    return path


def url_in_taxpayer(taxpayer_id: int, path: str | None = None) -> str:
    """The address of ``path`` (a page of a taxpayer's, without prefix) for that taxpayer; its Hesabım by default."""
    if safe_taxpayer_path(path) is None:
        return url_for("home.account", **{ACTING_ARG: taxpayer_id})
    return f"{request.script_root}/mukellef/{taxpayer_id}{path}"


def _take_acting_id(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and ACTING_ARG in values:
        g.acting_id_from_url = values.pop(ACTING_ARG)


def _carry_acting(endpoint: str, values: dict[str, Any]) -> None:
    if g.get("acting_from_url") and endpoint in scoped_endpoints():
        values.setdefault(ACTING_ARG, g.acting.taxpayer.id)


def _need_of(endpoint: str) -> Need:
    """What the route declares; never less than PREPARE for a POST (a read-only role posts nothing at all)."""
    declared = getattr(current_app.view_functions[endpoint], "acting_need", None)
    if request.method in READING_METHODS:
        return declared or Need.VIEW
    return Need.PREPARE if declared in (None, Need.VIEW) else declared


def _error(status: int, message: str) -> Response:
    return render("errors/page.html", "errors/_message.html", status=status, code=status, message=message)


def _ask_which() -> Response:
    """A person acting for several taxpayers opened a page without naming one: let them pick it."""
    if request.method not in READING_METHODS:
        return _error(400, "Hangi mükellef adına işlem yaptığınız belli değil. Lütfen Firma Seç ile mükellefi seçip "
                           "işlemi tekrar başlatınız.")
    target = url_for("ofis.choose", sonraki=request.full_path.rstrip("?"))
    return redirect_for_htmx(target) if is_htmx() else redirect(target)


def _resolve_acting() -> Response | None:
    """Before every view of a taxpayer's pages: who acts for whom, and may they do what the route does."""
    if request.endpoint not in scoped_endpoints():
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    from_url = g.get("acting_id_from_url")
    if from_url is not None:
        access = queries.access_of(current_user, from_url)
        if access is None:
            abort(404)
    else:
        choices = acting_choices()
        if len(choices) != 1:
            return _ask_which()
        access = choices[0]
    g.acting, g.acting_from_url = access, from_url is not None
    need = _need_of(request.endpoint)
    if not access.allows(need):
        return _error(403, access.refusal(need))
    return None


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_take_acting_id)
    app.url_defaults(_carry_acting)
    app.before_request(_resolve_acting)
    app.jinja_env.globals.update(acting=acting, acting_choices=acting_choices, header_access=header_access,
                                 path_in_other_taxpayer=path_in_other_taxpayer, taxpayer_path=taxpayer_path)
