"""Taxpayer registry and e-Fatura applications (SPEC C5): the rules, as plain functions on a session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.formats.gib.efatura_application import PRIVATE_INTEGRATION, read_efatura_application
from app.gib.simulator import refusals
from app.gib.simulator.models import EFaturaApplication, Taxpayer
from app.gib.simulator.refusals import Refusal
from app.gib.simulator.signatures import SignatureChecker, read_document
from app.identifiers import InvalidIdentifier, kind_of_identifier

USER_TYPES = ("OZEL", "KAMU")


def check_identifier(identifier: str) -> None:
    try:
        kind_of_identifier(identifier)
    except InvalidIdentifier as exc:
        raise Refusal(refusals.INVALID_TAXPAYER_ID, exc.message) from exc


def find_taxpayer(session: Session, identifier: str) -> Taxpayer | None:
    return session.scalar(select(Taxpayer).where(Taxpayer.identifier == identifier))


def get_taxpayer(session: Session, identifier: str) -> Taxpayer:
    check_identifier(identifier)
    taxpayer = find_taxpayer(session, identifier)
    if taxpayer is None:
        raise Refusal(refusals.TAXPAYER_NOT_FOUND, f"{identifier} numaralı mükellef GİB kayıtlarında yok.")
    return taxpayer


def register_taxpayer(session: Session, identifier: str, title: str, user_type: str, now: datetime) -> Taxpayer:
    """Create the taxpayer or update its unvan and type (GİB knows every taxpayer; demo data seeds them)."""
    check_identifier(identifier)
    if not title.strip():
        raise Refusal(refusals.INVALID_REGISTRY_ENTRY, "Unvan boş olamaz.")
    if user_type not in USER_TYPES:
        raise Refusal(refusals.INVALID_REGISTRY_ENTRY, "Kullanıcı tipi OZEL ya da KAMU olmalıdır.")
    taxpayer = find_taxpayer(session, identifier)
    if taxpayer is None:
        taxpayer = Taxpayer(identifier=identifier, registered_at=now)
        session.add(taxpayer)
    taxpayer.title = title.strip()
    taxpayer.user_type = user_type
    session.flush()
    return taxpayer


def receive_efatura_application(
    session: Session, signed_xml: bytes, checker: SignatureChecker, now: datetime
) -> EFaturaApplication:
    """Accept a signed 'GİB e-Fatura Başvuru Bilgileri' (Özel Entegrasyon); one per taxpayer."""
    form = read_document(signed_xml, read_efatura_application)
    check_identifier(form.identifier)
    if form.method != PRIVATE_INTEGRATION:
        raise Refusal(
            refusals.WRONG_METHOD,
            f"Bu entegratör yalnızca '{PRIVATE_INTEGRATION}' yöntemiyle başvuru alır; gelen: '{form.method}'.",
        )
    signer = checker.check(signed_xml, expected_owner_id=form.identifier)
    taxpayer = find_taxpayer(session, form.identifier)
    if taxpayer is not None and taxpayer.application is not None:
        received = taxpayer.application.received_at
        raise Refusal(refusals.APPLICATION_EXISTS, f"Başvuru tarihi: {received:%Y-%m-%d}.")
    user_type = form.user_type if form.user_type in USER_TYPES else "OZEL"
    taxpayer = register_taxpayer(session, form.identifier, form.title, user_type, now)
    application = EFaturaApplication(
        taxpayer=taxpayer,
        method=form.method,
        tax_office=form.tax_office,
        address=form.address,
        email=form.email,
        phone=form.phone,
        received_at=now,
        signer_serial=signer.serial,
        signed_document=signed_xml,
    )
    session.add(application)
    session.flush()
    return application
