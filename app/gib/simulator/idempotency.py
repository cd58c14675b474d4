"""Idempotency-Key: a state-changing call sent again with the same key is answered, not applied again.

The successful answer is stored in the same transaction as the change it reports, so "applied"
and "remembered" cannot drift apart. Refusals are not stored: they changed nothing, and the same
request may succeed once the taxpayer has fixed what was refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from flask import Response, request
from sqlalchemy.exc import IntegrityError

from app.gib.simulator import refusals
from app.gib.simulator.models import IdempotentResponse
from app.gib.simulator.refusals import Refusal
from app.gib.simulator.web import db_session, state

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 100


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.full_path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(stored: IdempotentResponse, fingerprint: str) -> Response:
    if stored.request_fingerprint != fingerprint:
        raise Refusal(refusals.IDEMPOTENCY_KEY_REUSED)
    response = Response(stored.body, status=stored.status_code, content_type=stored.content_type)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def state_changing(view: Callable[..., Response]) -> Callable[..., Response]:
    """Run the view in one transaction; remember its successful answer under the request's key."""

    @wraps(view)
    def wrapper(**kwargs: str) -> Response:
        session = db_session()
        key = request.headers.get(HEADER, "").strip()
        if len(key) > MAX_KEY_LENGTH:
            raise Refusal(refusals.BAD_REQUEST, f"{HEADER} en fazla {MAX_KEY_LENGTH} karakter olabilir.")
        fingerprint = _fingerprint()
        if key:
            stored = session.get(IdempotentResponse, key)
            if stored is not None:
                return _replay(stored, fingerprint)
        try:
            response = view(**kwargs)
            if key and 200 <= response.status_code < 300:
                session.add(
                    IdempotentResponse(
                        key=key,
                        request_fingerprint=fingerprint,
                        status_code=response.status_code,
                        content_type=response.content_type or "application/json",
                        body=response.get_data(),
                        created_at=state().clock.now(),
                    )
                )
            session.commit()
        except (IntegrityError, Refusal) as exc:
            # A request with the same key may have committed meanwhile: its answer is this one's too.
            session.rollback()
            stored = session.get(IdempotentResponse, key) if key else None
            if stored is not None:
                return _replay(stored, fingerprint)
            if isinstance(exc, Refusal):
                raise
            raise Refusal(refusals.CONCURRENT_DUPLICATE) from exc
        return response

    return wrapper
