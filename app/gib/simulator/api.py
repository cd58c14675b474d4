"""The simulator's HTTP API (JSON; signed documents travel as XML request bodies). Views stay thin."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, request

from app.gib.simulator import edefter, labels, refusals, registry, serialize, userlist
from app.gib.simulator.idempotency import state_changing
from app.gib.simulator.refusals import Refusal
from app.refusals import quoted
from app.gib.simulator.web import db_session, json_response, state

bp = Blueprint("gib_simulator_api", __name__, url_prefix="/api/v1")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _now() -> datetime:
    return state().clock.now()


def _document() -> bytes:
    data = request.get_data(cache=True)
    if not data.strip():
        raise Refusal(refusals.UNREADABLE_DOCUMENT, "İstek gövdesinde imzalı XML belge bekleniyordu.")
    return data


@bp.get("/health")
def health() -> Response:
    """Liveness probe for the run script and the test fixture."""
    return json_response({"status": "ok"})


@bp.get("/time")
def current_time() -> Response:
    """GİB's current time (with the configured offset), for the portal's clock check."""
    return json_response({"now": serialize.iso(_now()), "offset_seconds": state().clock.offset_seconds})


@bp.get("/taxpayers/<identifier>")
def taxpayer(identifier: str) -> Response:
    return json_response(serialize.taxpayer_json(registry.get_taxpayer(db_session(), identifier)))


@bp.put("/taxpayers/<identifier>")
@state_changing
def register_taxpayer(identifier: str) -> Response:
    """Demo/training data: put a taxpayer (and labels it has elsewhere) into GİB's records."""
    body = _json_object()
    session, now = db_session(), _now()
    taxpayer = registry.register_taxpayer(
        session, identifier, str(body.get("title", "")), str(body.get("user_type", "OZEL")), now
    )
    for entry in body.get("aliases", []):
        labels.seed_alias(
            session,
            taxpayer,
            document_type=str(entry.get("document_type", "")),
            role=str(entry.get("role", "")),
            name=str(entry.get("alias", "")),
            account_type=str(entry.get("account_type", "GIBPORTAL")),
            integrator=str(entry.get("integrator", "")),
            created_at=_parse_time(entry.get("created_at")) or now,
            now=now,
        )
    return json_response(serialize.taxpayer_json(taxpayer))


@bp.post("/efatura-applications")
@state_changing
def receive_efatura_application() -> Response:
    application = registry.receive_efatura_application(db_session(), _document(), state().checker, _now())
    return json_response(serialize.application_json(application) or {}, 201)


@bp.get("/efatura-applications/<identifier>")
def efatura_application(identifier: str) -> Response:
    taxpayer = registry.get_taxpayer(db_session(), identifier)
    if taxpayer.application is None:
        raise Refusal(refusals.APPLICATION_NOT_FOUND, f"{identifier} numaralı mükellefin e-Fatura başvurusu yok.")
    return json_response(serialize.application_json(taxpayer.application) or {})


@bp.post("/label-openings")
@state_changing
def open_labels() -> Response:
    session, now = db_session(), _now()
    label_request = labels.open_labels(
        session, _document(), state().checker, now, state().settings.approval_delay_seconds
    )
    return json_response(serialize.label_request_json(session, label_request, now), 202)


@bp.get("/label-requests/<request_id>")
def label_request(request_id: str) -> Response:
    session = db_session()
    found = labels.get_label_request(session, request_id)
    return json_response(serialize.label_request_json(session, found, _now()))


@bp.post("/label-closings")
@state_changing
def close_labels() -> Response:
    session, now = db_session(), _now()
    label_request = labels.close_labels(session, _document(), state().checker, now)
    return json_response(serialize.label_request_json(session, label_request, now))


@bp.get("/user-list/<role>.zip")
def user_list(role: str) -> Response:
    """GİB's registered-user list of one role (pk or gb) in the UserList format, zipped."""
    if role.upper() not in userlist.LIST_FILES:
        raise Refusal(refusals.UNKNOWN_ADDRESS, "Liste türü 'pk' ya da 'gb' olmalıdır.")
    filename, content = userlist.user_list_zip(db_session(), role.upper(), _now())
    response = Response(content, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/users/<identifier>")
def registered_user(identifier: str) -> Response:
    now = _now()
    return json_response(serialize.listed_user_json(userlist.lookup_user(db_session(), identifier, now), now))


@bp.post("/edefter/berats")
@state_changing
def receive_berat() -> Response:
    current = state()
    berat = edefter.receive_berat(db_session(), _document(), current.checker, current.seal, _now())
    return json_response(serialize.berat_json(berat, with_file=True), 201)


@bp.post("/edefter/files/<name>")
@state_changing
def receive_file(name: str) -> Response:
    """A berat or DR zipped as GİB names it (VKN-YYYYMM-YB-000001.zip): the berat's approval with GİB's sealed
    berat, or the DR's acceptance."""
    current = state()
    received = edefter.receive_file(db_session(), name, _document(), current.checker, current.seal, _now(),
                                    current.settings.max_document_bytes)
    if received.report is not None:
        return json_response(serialize.report_json(received.report), 201)
    assert received.berat is not None
    return json_response(serialize.berat_json(received.berat, with_file=True), 201)


@bp.get("/edefter/periods/<identifier>/<period>")
def period_status(identifier: str, period: str) -> Response:
    if not PERIOD.match(period):
        raise Refusal(refusals.BAD_REQUEST, "Dönem YYYY-AA biçiminde olmalıdır, örneğin 2024-01.")
    return json_response(serialize.period_status_json(edefter.period_status(db_session(), identifier, period)))


@bp.get("/edefter/approved-berats/<filename>")
def approved_berat(filename: str) -> Response:
    berat = edefter.approved_berat_file(db_session(), filename)
    response = Response(berat.approved_berat, mimetype="application/xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{berat.filename}"'
    return response


def _json_object() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Refusal(refusals.BAD_REQUEST, "İstek gövdesi bir JSON nesnesi olmalıdır.")
    return body


def _parse_time(value: object) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise Refusal(refusals.BAD_REQUEST, f"{quoted(value)} geçerli bir tarih-saat değil.") from exc
    if moment.tzinfo is None:
        raise Refusal(refusals.BAD_REQUEST, f"{quoted(value)} saat dilimi içermelidir (örneğin +03:00).")
    return moment
