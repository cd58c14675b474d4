"""Training-room endpoints (decision note 0131): registered only when the simulator runs with ``--training``.

- ``PUT /api/v1/training/clock`` {"offset_seconds": s}: GİB's clock follows the portal's training clock, so
  approvals, future-dated activations and the portal's clock check see the same day.
- ``POST /api/v1/training/reset`` {"identifiers": [...]}: forget what GİB learnt about a class's trainees
  (registry, e-Fatura applications, label requests and labels, berats), so the next preparation starts clean.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Response, request
from sqlalchemy import delete, select

from app.gib.simulator import refusals, serialize
from app.gib.simulator.models import Alias, Berat, EFaturaApplication, LabelRequest, Taxpayer
from app.gib.simulator.refusals import Refusal
from app.gib.simulator.registry import check_identifier
from app.gib.simulator.web import db_session, json_response, state

bp = Blueprint("gib_simulator_training", __name__, url_prefix="/api/v1/training")

MAX_OFFSET_SECONDS = 400 * 24 * 3600  # a year and a bit either way is all a class needs
MAX_RESET_IDENTIFIERS = 500


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Refusal(refusals.BAD_REQUEST, "İstek gövdesi bir JSON nesnesi olmalıdır.")
    return body


@bp.get("/clock")
def clock() -> Response:
    return _clock_json()


@bp.put("/clock")
def move_clock() -> Response:
    """Set the training offset (absolute, so a repeated call changes nothing)."""
    value = _body().get("offset_seconds")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Refusal(refusals.BAD_REQUEST, "offset_seconds bir sayı olmalıdır.")
    if abs(value) > MAX_OFFSET_SECONDS:
        raise Refusal(refusals.BAD_REQUEST, "Eğitim saati en fazla 400 gün ileri ya da geri alınabilir.")
    state().clock.move_to(float(value))
    return _clock_json()


def _clock_json() -> Response:
    clock_ = state().clock
    return json_response({"now": serialize.iso(clock_.now()), "training_offset_seconds": clock_.training_offset_seconds})


@bp.post("/reset")
def reset() -> Response:
    identifiers = _body().get("identifiers")
    if not isinstance(identifiers, list) or len(identifiers) > MAX_RESET_IDENTIFIERS:
        raise Refusal(refusals.BAD_REQUEST, f"identifiers en fazla {MAX_RESET_IDENTIFIERS} VKN/TCKN listesi olmalıdır.")
    for identifier in identifiers:
        check_identifier(str(identifier))
    session = db_session()
    ids = list(session.scalars(select(Taxpayer.id).where(Taxpayer.identifier.in_([str(i) for i in identifiers]))))
    if ids:
        # Children first: aliases point at label requests, everything points at the taxpayer.
        for model in (Alias, Berat, LabelRequest, EFaturaApplication):
            session.execute(delete(model).where(model.taxpayer_id.in_(ids)))
        session.execute(delete(Taxpayer).where(Taxpayer.id.in_(ids)))
    session.commit()
    return json_response({"forgotten": len(ids)})
