"""The portal's side of the smart card: configured drivers, trust anchors, the card form.

The PIN travels from the form straight into ``signing_act`` and nowhere else: it is never
stored, logged, flashed or written back into a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from flask import Flask, current_app
from werkzeug.datastructures import MultiDict

from app.config import card_drivers
from app.db import utcnow
from app.signing import locks
from app.signing.drivers import available_drivers, module_path_for, use_softhsm_conf
from app.signing.certinfo import CertificateInfo
from app.signing.errors import (
    CertificateExpiredError,
    CertificateNotYetValidError,
    CertificateOwnerMismatchError,
    NoSigningKeyError,
    SigningError,
    TokenNotFoundError,
)
from app.signing.tokens import AmbiguousTokenError, TokenInfo, list_tokens


@dataclass(frozen=True)
class CardChoice:
    """Which driver and which card the user picked on a card form (never the PIN)."""

    driver: str
    module_path: str
    token_label: str | None


def configured_drivers() -> dict[str, str]:
    return card_drivers(current_app.config["CARD_DRIVERS"])


def installed_drivers() -> list[str]:
    """Driver names whose library exists on this host, for the "Akıllı kartınızın işlemcisi" list."""
    return list(available_drivers(configured_drivers()))


def card_choice_from(form: MultiDict[str, str]) -> CardChoice:
    driver = form.get("surucu", "")
    module_path = module_path_for(driver, configured_drivers())  # raises DriverNotConfiguredError
    return CardChoice(driver, module_path, form.get("kart") or None)


def tokens_for(driver: str) -> tuple[list[TokenInfo], str | None]:
    """The cards present for a driver (read without PIN) and an error message instead, if any."""
    try:
        return list_tokens(module_path_for(driver, configured_drivers())), None
    except SigningError as exc:
        return [], exc.message


def trust_anchors() -> list[x509.Certificate]:
    """The CA certificates whose certificates may sign (loaded once per app)."""
    cached = current_app.extensions.get("ebelge.trust_anchors")
    if cached is None:
        cached = []
        for path in filter(None, (p.strip() for p in current_app.config["TRUST_ANCHORS"].split(";"))):
            cached += x509.load_pem_x509_certificates(Path(path).read_bytes())
        current_app.extensions["ebelge.trust_anchors"] = cached
    return cached


def init_app(app: Flask) -> None:
    # SoftHSM reads its configuration when the library is loaded (lazily, per worker).
    if app.config["SOFTHSM2_CONF"]:
        use_softhsm_conf(app.config["SOFTHSM2_CONF"])
    # Acts on one card are serialised across worker processes through lock files here (decision note 0014).
    locks.configure(app.config["CARD_LOCK_DIR"], app.config["CARD_LOCK_TIMEOUT_SECONDS"])


def certificate_for_confirmation(choice: CardChoice, expected_owner_id: str) -> CertificateInfo:
    """The certificate the act will use, read without the PIN, for the confirmation screen (SPEC A2).

    Refuses early what the act would refuse later: no card, another taxpayer's card, an expired one.
    """
    tokens = list_tokens(choice.module_path)
    matching = [t for t in tokens if choice.token_label in (None, t.label)]
    if not matching:
        raise TokenNotFoundError()
    if len(matching) > 1:
        raise AmbiguousTokenError()
    info = matching[0].signing_certificate
    if info is None:
        raise NoSigningKeyError()
    if info.owner_id != expected_owner_id:
        raise CertificateOwnerMismatchError(info.owner_id, expected_owner_id)
    now = utcnow()
    if now > info.not_after:
        raise CertificateExpiredError(info.not_after)
    if now < info.not_before:
        raise CertificateNotYetValidError(info.not_before)
    return info
