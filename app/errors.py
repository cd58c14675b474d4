"""Error pages in Turkish; an HTMX request gets the message as a fragment."""

from __future__ import annotations

from flask import Flask, Response
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.htmx import render

MESSAGES = {
    400: "İstek anlaşılamadı. Lütfen sayfayı yenileyip tekrar deneyiniz.",
    403: "Bu işlem için yetkiniz yok.",
    404: "Aradığınız sayfa veya kayıt bulunamadı.",
    405: "Bu işlem bu sayfada yapılamaz.",
    413: "Yüklediğiniz dosya izin verilen boyuttan büyük.",
    500: "Beklenmeyen bir hata oluştu. İşleminiz kaydedilmedi; lütfen tekrar deneyiniz.",
}


def _render_error(status: int, message: str) -> Response:
    return render("errors/page.html", "errors/_message.html", status=status, code=status, message=message)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    return _render_error(status, MESSAGES.get(status, exc.description or MESSAGES[500]))


def _csrf_error(_exc: CSRFError) -> Response:
    return _render_error(
        400, "Güvenlik doğrulaması başarısız oldu (oturum süresi dolmuş olabilir). Lütfen sayfayı yenileyip tekrar deneyiniz."
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
