"""Confirmation-screen drafts: what the user confirmed, carried in the form, signed by the app.

The draft holds no secret (never the PIN); the signature only stops it being edited between the
confirmation screen and "Onayla", and the age limit stops an old tab being replayed.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.refusals import Refused

DRAFT_MAX_AGE_SECONDS = 15 * 60


class DraftExpired(Refused):
    default_message = "Onay ekranının süresi doldu veya form değiştirildi. Lütfen işlemi baştan başlatınız."


def _serializer(kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"ebelge-draft-{kind}")


def make_draft(kind: str, **payload: Any) -> str:
    """A signed draft with a fresh one-time ``submission_id``."""
    return _serializer(kind).dumps({**payload, "submission_id": str(uuid.uuid4())})


def read_draft(kind: str, token: str) -> dict[str, Any]:
    try:
        return _serializer(kind).loads(token, max_age=DRAFT_MAX_AGE_SECONDS)
    except (BadSignature, SignatureExpired):
        raise DraftExpired() from None
