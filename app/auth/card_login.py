"""Smart-card login (SPEC A1): the card signs a one-time challenge; the certificate names the taxpayer."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import select

from app.cards import CardChoice, trust_anchors
from app.db import get_session
from app.formats import portal
from app.models import Taxpayer
from app.refusals import Refused
from app.signing.act import signing_act
from app.signing.certinfo import CertificateInfo
from app.signing.verify import verify_signed_xml
from app.unit_of_work import unit_of_work


class LoginRefused(Refused):
    """The card signed, but the portal cannot let this certificate in; ``message`` says why."""


def new_challenge() -> str:
    return secrets.token_urlsafe(32)


def login_with_card(choice: CardChoice, pin: str, challenge: str | None) -> Taxpayer:
    """Sign the challenge on the card, verify it, and return the taxpayer it names.

    Raises SigningError (card, PIN, certificate) or LoginRefused (trust, stale challenge).
    """
    if not challenge:
        raise LoginRefused("Giriş sayfasının süresi doldu. Lütfen sayfayı yenileyip tekrar deneyiniz.")
    now = datetime.now(timezone.utc)
    with signing_act(choice.module_path, choice.token_label, pin, at=now) as act:
        signed = act.sign_enveloped(portal.login_document(challenge, now))
    result = verify_signed_xml(signed, trust_anchors())
    if not result.ok or result.certificate_info is None:
        raise LoginRefused(result.message)
    if portal.field(signed, "Challenge") != challenge:
        raise LoginRefused("Giriş doğrulanamadı. Lütfen sayfayı yenileyip tekrar deneyiniz.")
    info = result.certificate_info
    with unit_of_work() as work:  # after the card act: never hold both locks (decision note 0002)
        taxpayer = _taxpayer_for(info)
        work.record("giris", taxpayer_id=taxpayer.id, actor=f"{info.owner_id} {info.owner_name}"[:120],
                    object_type="sertifika", object_id=info.serial_hex, certificate_serial=info.serial_hex,
                    surucu=choice.driver)
    return taxpayer


def _taxpayer_for(info: CertificateInfo) -> Taxpayer:
    """The taxpayer the certificate names; created on its first login."""
    session = get_session()
    taxpayer = session.scalar(select(Taxpayer).where(Taxpayer.identifier == info.owner_id))
    if taxpayer is None:
        taxpayer = Taxpayer(identifier=info.owner_id, unvan=info.owner_name)
        session.add(taxpayer)
        session.flush()
    return taxpayer
