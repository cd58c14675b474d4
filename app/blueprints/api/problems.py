"""RFC 9457 problem details for /api/v1: a Turkish ``detail`` and, for a refused batch, every bad entry/line."""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from werkzeug.exceptions import HTTPException

from app.journal.api_keys import ApiKeyRefused
from app.journal.problems import JournalRefused
from app.refusals import Refused

TITLES = {
    400: "İstek anlaşılamadı", 401: "Kimlik doğrulanamadı", 403: "Yetki yok", 404: "Bulunamadı",
    405: "Bu yöntem desteklenmiyor", 409: "Dönemin durumu buna izin vermiyor", 413: "İstek çok büyük",
    415: "Desteklenmeyen içerik türü", 422: "Kurala uymayan içerik", 429: "Çok fazla istek",
    500: "Beklenmeyen hata", 501: "Henüz kullanılamıyor", 503: "Hizmet şu anda kullanılamıyor",
}


def problem(status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Hata"), "status": status, "detail": detail, **extra}
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")
    response.headers.update(headers or {})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="e-Belge Portali API"'
    return response


def from_refusal(refused: Refused) -> Response:
    if isinstance(refused, JournalRefused):
        extra: dict[str, Any] = {}
        if refused.problems:
            extra["hatalar"] = [found.as_json() for found in refused.problems]
        if refused.more:
            extra["gosterilmeyen_hata_sayisi"] = refused.more
        return problem(refused.status, refused.message, **extra)
    if isinstance(refused, ApiKeyRefused):
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
        return problem(refused.status, refused.message, headers)
    return problem(422, refused.message)


def from_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    detail = {404: "Aradığınız kaynak bulunamadı.", 405: "Bu adres bu HTTP yöntemini kabul etmiyor.",
              413: "İstek izin verilen boyuttan büyük.",
              400: "İstek anlaşılamadı."}.get(status, TITLES.get(status, "Hata") + ".")
    return problem(status, detail)
