"""The portal's HTMX rules in one place.

A request gets the fragment only when htmx swaps part of a page: an HTMX
request that is neither boosted (which wants the whole page) nor a history
restore (htmx asks for the full page when its cache misses).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, make_response, redirect, render_template
from flask_htmx import HTMX

htmx = HTMX()


def is_htmx() -> bool:
    return bool(htmx)


def is_partial() -> bool:
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page_template: str, fragment_template: str, status: int = 200, **context: Any) -> Response:
    """Render the page for a normal request and the fragment for an HTMX swap."""
    return make_response(render_template(fragment_template if is_partial() else page_template, **context), status)


def redirect_for_htmx(location: str) -> Response:
    """Send htmx to a new page (a plain 302 would be followed and swapped into the page)."""
    response = make_response("", 204)
    response.headers["HX-Redirect"] = location
    return response


def see_other(location: str) -> Response:
    """POST-redirect-GET: 303 for a normal form, HX-Redirect for an htmx form."""
    if is_htmx():
        return redirect_for_htmx(location)
    return redirect(location, 303)


def _add_vary(response: Response) -> Response:
    # Any HTML response may differ by HX-Request: caches must keep them apart.
    if response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    htmx.init_app(app)
    app.after_request(_add_vary)
    app.jinja_env.globals["is_partial"] = is_partial
