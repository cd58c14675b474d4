"""Labels (etiket): opening with a signed activation request, approval after a delay or on a date, closing.

Rules (GIB-FORMATS §3, §6, SPEC C5–C8): an alias is a URN and not one of GİB's reserved names; the same
VKN + alias + document type is live only once; opening needs an e-Fatura application (except e-SMM and e-MM
and their archives, which GİB grants without one); activation is immediate or on a future date and approved
after the configured delay; on approval the taxpayer's GİB Portal and own-integration (ENTEGRASYON) labels of
that document type close; another integrator's stay. Services without a role (Saklama, e-Arşiv, e-SMM, e-MM,
e-Adisyon) are stored as labels with an empty role and alias: one live per service.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.formats.gib.user_account import (
    ALIAS_PATTERN,
    DOCUMENT_TYPES,
    ROLES,
    LabelSpec,
    UserAccountRequest,
    has_roles,
    is_reserved_alias,
    option_code_for,
    read_user_account_request,
)
from app.gib.simulator import refusals
from app.gib.simulator.clock import ISTANBUL
from app.gib.simulator.models import Alias, LabelRequest, Taxpayer
from app.gib.simulator.refusals import Refusal
from app.refusals import quoted
from app.gib.simulator.registry import check_identifier, find_taxpayer, register_taxpayer
from app.gib.simulator.signatures import SignatureChecker, Signer, read_document

ACCOUNT_TYPES = ("GIBPORTAL", "ENTEGRASYON", "OZELENTEGRASYON")
# Opening with a private integrator closes these (SPEC C7); other integrators' labels stay open.
CLOSED_ON_ACTIVATION = ("GIBPORTAL", "ENTEGRASYON")
PENDING = "Onay Bekliyor"
ACTIVE = "Hizmet Aktifleştirilmiştir"
CLOSED = "Hizmet Kapatılmıştır"
# Services GİB grants without an e-Fatura application (e-SMM, e-MM and their archives; GIB-FORMATS §6, §7.5).
WITHOUT_APPLICATION = frozenset({"esevoucher", "epreceipt", "esevoucher_archive", "epreceipt_archive"})


def check_alias_name(alias: str) -> None:
    if is_reserved_alias(alias):
        raise Refusal(refusals.ALIAS_RESERVED, quoted(alias, 120))
    if not ALIAS_PATTERN.match(alias):
        raise Refusal(
            refusals.ALIAS_MALFORMED,
            f"{quoted(alias, 120)} bir URN olmalıdır, örneğin urn:mail:defaultpk@firma.com.tr.",
        )


def live_aliases(taxpayer: Taxpayer, now: datetime) -> list[Alias]:
    """Aliases that are active now or waiting for approval (not closed, not closing before now)."""
    return [alias for alias in taxpayer.aliases if alias.deleted_at is None or alias.deleted_at > now]


def _check_not_registered(taxpayer: Taxpayer, labels: tuple[LabelSpec, ...], now: datetime) -> None:
    seen: set[tuple[str, str]] = set()
    for alias in live_aliases(taxpayer, now):
        seen.add((alias.document_type, alias.name))
    for label in labels:
        key = (label.document_type, label.alias)
        if key in seen:
            what = f"'{label.alias}' ({label.document_type}) etiketi" if label.alias else f"'{label.document_type}' hizmeti"
            raise Refusal(refusals.ALIAS_ALREADY_REGISTERED, f"{taxpayer.identifier} için {what} zaten kayıtlı.")
        seen.add(key)


def _effective_at(now: datetime, delay_seconds: float, activation_date: date | None) -> datetime:
    approved_at = now + timedelta(seconds=delay_seconds)
    if activation_date is None:
        return approved_at
    start_of_day = datetime.combine(activation_date, time.min, tzinfo=ISTANBUL).astimezone(UTC)
    return max(approved_at, start_of_day)


def _read_request(signed_xml: bytes, expected_action: str) -> UserAccountRequest:
    action, request = read_document(signed_xml, read_user_account_request)
    if action != expected_action:
        wanted = "ProcessUserAccount" if expected_action == "open" else "CancelUserAccount"
        raise Refusal(refusals.MALFORMED_DOCUMENT, f"Bu işlem için '{wanted}' belgesi gönderilmelidir.")
    check_identifier(request.identifier)
    return request


def _new_request(
    session: Session, taxpayer: Taxpayer, action: str, signer: Signer, signed_xml: bytes, now: datetime
) -> LabelRequest:
    label_request = LabelRequest(
        id=str(uuid.uuid4()),
        taxpayer=taxpayer,
        action=action,
        received_at=now,
        effective_at=now,
        signer_serial=signer.serial,
        signed_document=signed_xml,
    )
    session.add(label_request)
    return label_request


def open_labels(
    session: Session, signed_xml: bytes, checker: SignatureChecker, now: datetime, approval_delay_seconds: float
) -> LabelRequest:
    """Record a signed activation request; its labels become active at the request's `effective_at`."""
    request = _read_request(signed_xml, "open")
    signer = checker.check(signed_xml, expected_owner_id=request.identifier)
    for label in request.labels:
        if has_roles(label.document_type):
            check_alias_name(label.alias)
    if request.activation_date is not None and request.activation_date < now.astimezone(ISTANBUL).date():
        raise Refusal(refusals.ACTIVATION_DATE_PAST, f"İstenen tarih: {request.activation_date.isoformat()}.")
    taxpayer = _taxpayer_for_opening(session, request, now)
    _check_not_registered(taxpayer, request.labels, now)
    label_request = _new_request(session, taxpayer, "open", signer, signed_xml, now)
    label_request.activation_date = request.activation_date
    label_request.effective_at = _effective_at(now, approval_delay_seconds, request.activation_date)
    for label in request.labels:
        session.add(
            Alias(
                taxpayer=taxpayer,
                document_type=label.document_type,
                role=label.role,
                name=label.alias,
                account_type="OZELENTEGRASYON",
                integrator="",
                option_code=request.option_codes.get(label) or option_code_for(label.document_type, taxpayer.user_type),
                created_at=label_request.effective_at,
                opening_request_id=label_request.id,
            )
        )
    opened_types = {label.document_type for label in request.labels}
    for alias in live_aliases(taxpayer, now):
        if alias.account_type in CLOSED_ON_ACTIVATION and alias.document_type in opened_types:
            alias.deleted_at = label_request.effective_at
            alias.closing_request_id = label_request.id
    session.flush()
    return label_request


def _taxpayer_for_opening(session: Session, request: UserAccountRequest, now: datetime) -> Taxpayer:
    """The taxpayer, which must have an e-Fatura application unless every service asked for needs none."""
    taxpayer = find_taxpayer(session, request.identifier)
    needs_application = any(label.document_type not in WITHOUT_APPLICATION for label in request.labels)
    if needs_application and (taxpayer is None or taxpayer.application is None):
        raise Refusal(refusals.NO_APPLICATION_FOR_LABEL)
    if taxpayer is None:  # GİB knows every taxpayer; the simulator learns it from the signed request
        taxpayer = register_taxpayer(session, request.identifier, request.title or request.identifier, "OZEL", now)
    return taxpayer


def close_labels(session: Session, signed_xml: bytes, checker: SignatureChecker, now: datetime) -> LabelRequest:
    """Close active labels opened through this integrator; they leave the registered-user list now."""
    request = _read_request(signed_xml, "close")
    signer = checker.check(signed_xml, expected_owner_id=request.identifier)
    taxpayer = find_taxpayer(session, request.identifier)
    if taxpayer is None:
        raise Refusal(refusals.TAXPAYER_NOT_FOUND, f"{request.identifier} numaralı mükellef GİB kayıtlarında yok.")
    to_close = [_closable_alias(taxpayer, label, now) for label in request.labels]
    _check_despatch_closed_first(taxpayer, to_close, now)
    label_request = _new_request(session, taxpayer, "close", signer, signed_xml, now)
    for alias in to_close:
        alias.deleted_at = now
        alias.closing_request_id = label_request.id
    session.flush()
    return label_request


def _closable_alias(taxpayer: Taxpayer, label: LabelSpec, now: datetime) -> Alias:
    for alias in live_aliases(taxpayer, now):
        if (alias.document_type, alias.role, alias.name) != (label.document_type, label.role, label.alias):
            continue
        name = f"'{label.alias}' etiketi" if label.alias else f"'{label.document_type}' hizmeti"
        if alias.created_at > now:
            raise Refusal(refusals.ALIAS_NOT_OPEN, f"{name} henüz onay bekliyor.")
        if alias.account_type != "OZELENTEGRASYON" or alias.integrator:
            raise Refusal(
                refusals.ALIAS_NOT_OPEN,
                f"'{label.alias}' etiketi GİB Portal ya da başka bir entegratör üzerinden açılmış; "
                "oradan kapatılmalıdır.",
            )
        return alias
    if not label.alias:
        raise Refusal(refusals.ALIAS_NOT_OPEN, f"'{label.document_type}' hizmeti açık değil.")
    raise Refusal(refusals.ALIAS_NOT_OPEN, f"'{label.alias}' ({label.role}, {label.document_type}) etiketi açık değil.")


def _check_despatch_closed_first(taxpayer: Taxpayer, closing: list[Alias], now: datetime) -> None:
    """e-İrsaliye labels must be closed before the last e-Fatura label (Özel Entegrasyon Kılavuzu §5)."""
    remaining = [alias for alias in live_aliases(taxpayer, now) if alias not in closing]
    closes_invoice = any(alias.document_type == "Invoice" for alias in closing)
    invoice_left = any(alias.document_type == "Invoice" for alias in remaining)
    despatch_left = any(alias.document_type == "DespatchAdvice" for alias in remaining)
    if closes_invoice and despatch_left and not invoice_left:
        raise Refusal(
            refusals.ALIAS_NOT_OPEN,
            "Açık e-İrsaliye etiketleri varken son e-Fatura etiketi kapatılamaz; "
            "önce e-İrsaliye etiketlerini kapatınız.",
        )


def seed_alias(
    session: Session,
    taxpayer: Taxpayer,
    *,
    document_type: str,
    role: str,
    name: str,
    account_type: str,
    integrator: str,
    created_at: datetime,
    now: datetime,
) -> Alias:
    """Put a label that exists elsewhere (GİB Portal, another integrator) into GİB's records (demo data)."""
    if document_type not in DOCUMENT_TYPES or role not in ROLES or account_type not in ACCOUNT_TYPES:
        raise Refusal(
            refusals.INVALID_REGISTRY_ENTRY,
            "Etiket için belge türü Invoice/DespatchAdvice, rol GB/PK, "
            "hesap türü GIBPORTAL/ENTEGRASYON/OZELENTEGRASYON olmalıdır.",
        )
    check_alias_name(name)
    for existing in live_aliases(taxpayer, now):
        if (existing.document_type, existing.role, existing.name, existing.account_type) == (
            document_type,
            role,
            name,
            account_type,
        ):
            return existing  # seeding the same demo data again changes nothing
    _check_not_registered(taxpayer, (LabelSpec(document_type, role, name),), now)
    alias = Alias(
        taxpayer=taxpayer,
        document_type=document_type,
        role=role,
        name=name,
        account_type=account_type,
        integrator=integrator or ("başka entegratör" if account_type == "OZELENTEGRASYON" else ""),
        option_code=option_code_for(document_type, taxpayer.user_type),
        created_at=created_at,
    )
    session.add(alias)
    session.flush()
    return alias


def get_label_request(session: Session, request_id: str) -> LabelRequest:
    label_request = session.get(LabelRequest, request_id)
    if label_request is None:
        raise Refusal(refusals.LABEL_REQUEST_NOT_FOUND, f"Talep numarası: {request_id}.")
    return label_request


def request_status(label_request: LabelRequest, now: datetime) -> str:
    if label_request.action == "close":
        return CLOSED
    return PENDING if now < label_request.effective_at else ACTIVE


def aliases_of_request(session: Session, label_request: LabelRequest) -> list[Alias]:
    column = Alias.opening_request_id if label_request.action == "open" else Alias.closing_request_id
    return list(session.scalars(select(Alias).where(column == label_request.id).order_by(Alias.id)))
