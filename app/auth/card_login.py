"""Smart-card login (SPEC A1): the card signs a one-time challenge; the certificate names the person who logs in.

The person (``Person``) is the card's holder; they act for the taxpayer of the same VKN/TCKN (made on its first
login, as before) and, with an e-imza, for the taxpayers that authorised them (``app.authorisations``).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from app.cards import CardChoice, trust_anchors
from app.db import get_session, utcnow
from app.formats import portal
from app.models import Person, Taxpayer
from app.refusals import Refused
from app.signing.act import signing_act
from app.signing.certinfo import CertificateInfo
from app.signing.verify import verify_signed_xml
from app.unit_of_work import unit_of_work


class LoginRefused(Refused):
    """The card signed, but the portal cannot let this certificate in; ``message`` says why."""


def new_challenge() -> str:
    return secrets.token_urlsafe(32)


def login_with_card(choice: CardChoice, pin: str, challenge: str | None) -> Person:
    """Sign the challenge on the card, verify it, and return the person it names.

    Raises SigningError (card, PIN, certificate) or LoginRefused (trust, stale challenge).
    """
    if not challenge:
        raise LoginRefused("Giriş sayfasının süresi doldu. Lütfen sayfayı yenileyip tekrar deneyiniz.")
    now = utcnow()
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
        person = _person_for(info)
        work.record("giris", taxpayer_id=taxpayer.id, actor=person.display,
                    object_type="sertifika", object_id=info.serial_hex, certificate_serial=info.serial_hex,
                    surucu=choice.driver)
    return person


def _person_for(info: CertificateInfo) -> Person:
    """The certificate's holder, made on the first login; the name follows the newest certificate."""
    session = get_session()
    person = session.scalar(select(Person).where(Person.identifier == info.owner_id))
    if person is None:
        person = Person(identifier=info.owner_id, name=info.owner_name)
        session.add(person)
    person.name = " ".join(info.owner_name.split()) or person.name
    person.last_login_at = utcnow()
    session.flush()
    return person


def _taxpayer_for(info: CertificateInfo) -> Taxpayer:
    """The taxpayer the certificate names; created on its first login."""
    session = get_session()
    taxpayer = session.scalar(select(Taxpayer).where(Taxpayer.identifier == info.owner_id))
    if taxpayer is None:
        taxpayer = Taxpayer(identifier=info.owner_id, unvan=info.owner_name)
        session.add(taxpayer)
        session.flush()
    return taxpayer
