"""API keys of a taxpayer for /api/v1 (decision note 0101): shown once, kept as a SHA-256, revocable, expiring,
rate-limited per key with a counter row every worker shares.

A key reads ``ebp_<prefix>_<secret>``; the prefix finds the row (and is what the page shows), the secret's hash is
compared in constant time. The secret has 256 bits of randomness, so a plain SHA-256 is as good as a slow hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from flask import current_app
from sqlalchemy import case, select, update

from app.db import get_session, utcnow
from app.formatting import local_today
from app.models import ApiKey, ApiKeyScope, Taxpayer
from app.refusals import Refused
from app.unit_of_work import unit_of_work

TOKEN_PREFIX: Final = "ebp_"
RATE_WINDOW: Final = timedelta(minutes=1)
_PREFIX_ALPHABET: Final = "abcdefghijkmnpqrstuvwxyz23456789"
_PREFIX_LENGTH: Final = len(TOKEN_PREFIX) + 10


class ApiKeyRefused(Refused):
    """The key does not open the API: 401 (missing, unknown, revoked, expired), 403 (scope) or 429 (rate)."""

    status = 401
    retry_after: int | None = None

    def __init__(self, message: str, status: int = 401, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class ApiKeyFormInvalid(Refused):
    """What the API Anahtarları form got wrong."""


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    token: str  # shown once, never stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_key(taxpayer: Taxpayer, name: str, scope_value: str, expires_on: date | None, actor: str) -> NewKey:
    """A new key for the taxpayer; the returned token is the only time its secret exists outside the caller."""
    name = " ".join((name or "").split())
    if not name:
        raise ApiKeyFormInvalid("Anahtar adı zorunludur (ör. muhasebe programının adı).")
    if len(name) > 100:
        raise ApiKeyFormInvalid("Anahtar adı en fazla 100 karakter olabilir.")
    try:
        scope = ApiKeyScope(scope_value)
    except ValueError:
        raise ApiKeyFormInvalid("Yetki kapsamı seçiniz.") from None
    if expires_on is not None and expires_on < local_today():
        raise ApiKeyFormInvalid("Son geçerlilik tarihi bugünden önce olamaz.")
    prefix = TOKEN_PREFIX + "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(_PREFIX_LENGTH - len(TOKEN_PREFIX)))
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    with unit_of_work() as work:
        key = ApiKey(taxpayer_id=taxpayer.id, name=name, scope=scope, prefix=prefix, secret_hash=_hash(token),
                     created_by=actor[:200], expires_on=expires_on, rate_window_count=0)
        work.session.add(key)
        work.session.flush()
        work.record("api_anahtari_olusturuldu", taxpayer_id=taxpayer.id, object_type="api_anahtari",
                    object_id=key.id, ad=name, kapsam=scope.value, on_ek=prefix,
                    bitis=expires_on.isoformat() if expires_on else None)
    return NewKey(key, token)


def revoke_key(taxpayer: Taxpayer, key_id: int) -> ApiKey:
    """Revoke the taxpayer's key (another taxpayer's key is not found); revoking twice changes nothing."""
    with unit_of_work() as work:
        key = work.session.scalars(select(ApiKey).where(ApiKey.id == key_id, ApiKey.taxpayer_id == taxpayer.id)
                                   .with_for_update()).one_or_none()
        if key is None:
            raise ApiKeyRefused("API anahtarı bulunamadı.", status=404)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            work.record("api_anahtari_iptal_edildi", taxpayer_id=taxpayer.id, object_type="api_anahtari",
                        object_id=key.id, ad=key.name, on_ek=key.prefix)
        return key


def keys_of(taxpayer: Taxpayer) -> list[ApiKey]:
    return list(get_session().scalars(select(ApiKey).where(ApiKey.taxpayer_id == taxpayer.id)
                                      .order_by(ApiKey.created_at.desc(), ApiKey.id.desc())))


def key_state(key: ApiKey, today: date | None = None) -> str:
    if key.revoked_at is not None:
        return "İptal edildi"
    if key.expires_on is not None and key.expires_on < (today or local_today()):
        return "Süresi doldu"
    return "Geçerli"


def authenticate(authorization: str | None) -> ApiKey:
    """The key an ``Authorization: Bearer …`` header names, counted against its rate; or ApiKeyRefused."""
    if not authorization:
        raise ApiKeyRefused("API anahtarı gerekli: 'Authorization: Bearer <anahtar>' başlığını gönderiniz. "
                            "Tarayıcı oturumu (çerez) API'de kimlik yerine geçmez.")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise ApiKeyRefused("Authorization başlığı 'Bearer <API anahtarı>' biçiminde olmalıdır.")
    prefix = token[:_PREFIX_LENGTH]  # the secret part may itself hold '_'
    if token[_PREFIX_LENGTH:_PREFIX_LENGTH + 1] != "_":
        raise ApiKeyRefused("API anahtarı geçersiz.")
    key = get_session().scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(token)):
        raise ApiKeyRefused("API anahtarı geçersiz.")
    if key.revoked_at is not None:
        raise ApiKeyRefused("API anahtarı iptal edilmiş.")
    if key.expires_on is not None and key.expires_on < local_today():
        raise ApiKeyRefused(f"API anahtarının süresi {key.expires_on.strftime('%d.%m.%Y')} tarihinde dolmuş.")
    _count_use(key)
    return key


def _count_use(key: ApiKey) -> None:
    """Last use, and this minute's requests: one UPDATE, so concurrent workers count together."""
    now = utcnow()
    fresh = (ApiKey.rate_window_start.is_(None)) | (ApiKey.rate_window_start <= now - RATE_WINDOW)
    with unit_of_work() as work:
        count, started = work.session.execute(
            update(ApiKey).where(ApiKey.id == key.id).values(
                last_used_at=now,
                rate_window_start=case((fresh, now), else_=ApiKey.rate_window_start),
                rate_window_count=case((fresh, 1), else_=ApiKey.rate_window_count + 1),
            ).returning(ApiKey.rate_window_count, ApiKey.rate_window_start)
            .execution_options(synchronize_session=False)
        ).one()
    limit = current_app.config.get("API_RATE_LIMIT_PER_MINUTE") or 0
    if limit and count > limit:
        wait = max(1, int(((started or now) + RATE_WINDOW - now).total_seconds()) + 1)
        raise ApiKeyRefused(f"Bu API anahtarıyla dakikada en fazla {limit} istek yapılabilir; {wait} saniye sonra "
                            "tekrar deneyiniz.", status=429, retry_after=wait)


def require_scope(key: ApiKey, needed: ApiKeyScope) -> None:
    if not key.scope.allows(needed):
        raise ApiKeyRefused(f"Bu API anahtarının yetkisi ({key.scope.label}) bu işlem için yetmiyor; gereken: "
                            f"{needed.label}.", status=403)


def taxpayer_of_key(key: ApiKey, identifier: str) -> Taxpayer:
    """The taxpayer a URL names, if it is the key's own; any other (or none) is simply not found."""
    taxpayer = get_session().get(Taxpayer, key.taxpayer_id)
    if taxpayer is None or not isinstance(identifier, str) or taxpayer.identifier != identifier:
        raise ApiKeyRefused("Mükellef bulunamadı.", status=404)
    return taxpayer


def read_sign_body(raw: bytes) -> tuple[Any, str]:
    """The card (driver and label) and the PIN of an API signing request; the PIN goes nowhere else."""
    from app.cards import card_choice_from

    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiKeyRefused("İstek gövdesi geçerli bir JSON belgesi değil.", status=400) from None
    if not isinstance(body, dict) or not isinstance(body.get("pin"), str) or not body["pin"] \
            or not isinstance(body.get("kart"), str) or not body["kart"].strip():
        raise ApiKeyRefused("Gövde {\"kart\": \"<kart etiketi>\", \"pin\": \"<PIN>\"} biçiminde olmalıdır "
                            "(isteğe bağlı \"surucu\", varsayılan SoftHSM).", status=422)
    driver = body.get("surucu") if isinstance(body.get("surucu"), str) else "SoftHSM"
    return card_choice_from({"surucu": driver, "kart": body["kart"].strip()[:100]}), body["pin"]
