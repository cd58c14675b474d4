"""Error pages in Turkish; an HTMX request gets the message as a fragment.

When the database cannot be reached (PostgreSQL stopped or restarting, a connection the server closed, the pool
exhausted) every page answers 503 with "Veritabanına şu anda ulaşılamıyor…", rendered WITHOUT the database: the
normal error page extends ``base.html``, whose header shows the logged-in person, and loading that person is a
query — which is how an outage used to become gunicorn's bare English "Internal Server Error". Any error page whose
rendering meets a database error falls back to the same page. htmx gets the message in ``#flash-area``.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, make_response
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from app.htmx import is_htmx, is_partial, render

log = logging.getLogger(__name__)

MESSAGES = {
    400: "İstek anlaşılamadı. Lütfen sayfayı yenileyip tekrar deneyiniz.",
    403: "Bu işlem için yetkiniz yok.",
    404: "Aradığınız sayfa veya kayıt bulunamadı.",
    405: "Bu işlem bu sayfada yapılamaz.",
    413: "Yüklediğiniz dosya izin verilen boyuttan büyük.",
    500: "Beklenmeyen bir hata oluştu. İşleminiz kaydedilmedi; lütfen tekrar deneyiniz.",
    503: "Veritabanına şu anda ulaşılamıyor; lütfen biraz sonra tekrar deneyiniz.",
}
DATABASE_UNAVAILABLE = MESSAGES[503]
# Errors that mean "the database is not there right now", not "this request is wrong".
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError, InterfaceError, PoolTimeoutError, DisconnectionError,
)
RETRY_AFTER_SECONDS = 10


def _render_error(status: int, message: str) -> Response:
    _end_failed_transaction()
    try:
        return render("errors/page.html", "errors/_message.html", status=status, code=status, message=message)
    except SQLAlchemyError as exc:  # the page's header loads the logged-in person: the database went away
        log.warning("hata sayfası veritabanı olmadan gösteriliyor (%s): %s", status, type(exc).__name__)
        return _render_without_database(503, DATABASE_UNAVAILABLE)


def _end_failed_transaction() -> None:
    """A query that failed left PostgreSQL's transaction aborted: end it, so the page can load the person."""
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except SQLAlchemyError:
            pass  # the database is gone; rendering will notice and fall back


def _render_without_database(status: int, message: str) -> Response:
    """A page (or, for htmx, a fragment) that needs no query: no context processors, no current_user."""
    template = "errors/_message.html" if is_partial() else "errors/unavailable.html"
    html = current_app.jinja_env.get_template(template).render(code=status, message=message)
    response = make_response(html, status)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    if is_htmx():  # shown above the page, whatever the request meant to swap (base.html swaps 503)
        response.headers["HX-Retarget"] = "#flash-area"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _database_unavailable(exc: Exception) -> Response:
    # One line per request, not a traceback: an outage would flood the log.
    detail = " ".join(str(getattr(exc, "orig", exc)).split())[:200]
    log.warning("veritabanına ulaşılamıyor: %s: %s", type(exc).__name__, detail)
    return _render_without_database(503, DATABASE_UNAVAILABLE)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    original = getattr(exc, "original_exception", None)
    if isinstance(original, UNAVAILABLE_ERRORS):  # raised where no handler looks (e.g. while loading the user)
        return _database_unavailable(original)
    return _render_error(status, MESSAGES.get(status, exc.description or MESSAGES[500]))


def _csrf_error(_exc: CSRFError) -> Response:
    return _render_error(
        400, "Güvenlik doğrulaması başarısız oldu (oturum süresi dolmuş olabilir). Lütfen sayfayı yenileyip tekrar deneyiniz."
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    for error in UNAVAILABLE_ERRORS:
        app.register_error_handler(error, _database_unavailable)
