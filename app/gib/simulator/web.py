"""The simulator's HTTP plumbing: its state on the Flask app, a session per request, JSON errors."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, jsonify
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

from app.gib.simulator import refusals
from app.gib.simulator.clock import SimulatorClock
from app.gib.simulator.refusals import Refusal, RefusalKind
from app.gib.simulator.seal import GibSeal
from app.gib.simulator.settings import SimulatorSettings
from app.gib.simulator.signatures import SignatureChecker

log = logging.getLogger(__name__)
EXTENSION = "gib_simulator"


@dataclass
class SimulatorState:
    settings: SimulatorSettings
    engine: Engine
    sessions: sessionmaker  # type: ignore[type-arg]
    clock: SimulatorClock
    checker: SignatureChecker
    seal: GibSeal


def state() -> SimulatorState:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def db_session() -> Session:
    """The request's session; closed (and rolled back if not committed) when the request ends."""
    if "gibsim_session" not in g:
        g.gibsim_session = state().sessions()
    return g.gibsim_session  # type: ignore[no-any-return]


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("gibsim_session", None)
    if session is not None:
        session.close()


def error_response(kind: RefusalKind, message: str) -> Response:
    response = jsonify(error={"code": kind.code, "message": message})
    response.status_code = kind.http_status
    return response


def _refused(refusal: Refusal) -> Response:
    log.info("GİB simülatörü reddetti: %s %s", refusal.kind.code, refusal.message)
    return error_response(refusal.kind, refusal.message)


def _http_error(exc: HTTPException) -> Response:
    kind = {
        NotFound: refusals.UNKNOWN_ADDRESS,
        MethodNotAllowed: refusals.METHOD_NOT_ALLOWED,
        RequestEntityTooLarge: refusals.REQUEST_TOO_LARGE,
    }.get(type(exc), refusals.BAD_REQUEST)
    return error_response(kind, kind.summary)


def _unexpected(exc: Exception) -> Response:
    log.exception("GİB simülatöründe beklenmeyen hata")
    return error_response(refusals.SYSTEM_ERROR, "Sistem hatası. İşlem kaydedilmedi; daha sonra tekrar deneyiniz.")


def init_web(app: Flask, simulator_state: SimulatorState) -> None:
    app.extensions[EXTENSION] = simulator_state
    app.config["MAX_CONTENT_LENGTH"] = simulator_state.settings.max_document_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.teardown_request(_close_session)
    app.register_error_handler(Refusal, _refused)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def json_response(payload: dict[str, Any], status: int = 200) -> Response:
    response = jsonify(payload)
    response.status_code = status
    return response
