"""Response headers that keep the portal's pages to themselves.

Everything the pages use comes from the portal (no CDN, no inline script or style), so the policy
can be strict; a page that tried to load from elsewhere would be blocked by the browser too.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _refuse_nul_characters() -> None:
    """A NUL in a query or form value is never typed by a person and cannot be stored (PostgreSQL refuses it in
    text): the request is refused before any view reads it. Uploaded files may hold any bytes."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in (key or "") or "\x00" in (value if isinstance(value, str) else ""):
                abort(400)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_characters)
    app.after_request(_add_headers)
