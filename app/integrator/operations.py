"""Hizmet Aktivasyonu operations: Etiket Ekle, the signed opening and closing of labels, Tekrar Gönder.

An opening or closing goes: the card signs (outside any transaction) → one unit keeps the signed document as a
"gönderiliyor" request (its ``submission_id`` is the Idempotency-Key GİB gets) → GİB is called with no
transaction open → a second unit records GİB's answer. A GİB that cannot be reached leaves the request
"gönderilemedi": "Tekrar Gönder" sends the same signed document with the same key, so GİB applies it once.
The e-Fatura application (C5) is signed in the same card login and sent just before the activation.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.cards import CardChoice, trust_anchors
from app.db import get_session, utcnow
from app.formats import portal
from app.formats.gib.efatura_application import PRIVATE_INTEGRATION, EFaturaApplicationForm, build_efatura_application
from app.formats.gib.user_account import LabelSpec, UserAccountRequest, build_user_account_request
from app.gib.client import LabelRequestStatus
from app.gib.errors import GibError, GibRejected
from app.gib_access import gib_client
from app.integrator import rules
from app.integrator.catalogue import Product
from app.integrator.rules import ApplicationFields, ServiceRefused
from app.models import Taxpayer
from app.models.service import (
    EFaturaApplication,
    LabelStatus,
    RequestAction,
    RequestStatus,
    ServiceLabel,
    ServiceRequest,
)
from app.signing.act import signing_act
from app.signing.verify import verify_signed_xml
from app.unit_of_work import Work, release_reads, unit_of_work

log = logging.getLogger(__name__)
ISTANBUL = ZoneInfo("Europe/Istanbul")
# GİB's answers that mean "nothing was decided; ask again with the same key" rather than "no".
_NOT_DECIDED = {"9006"}
_APPLICATION_EXISTS = "2004"


# --- reading ------------------------------------------------------------------------------------------


def labels_of(taxpayer_id: int, *, product: str | None = None, ids: Sequence[int] | None = None,
              lock: bool = False) -> list[ServiceLabel]:
    """The taxpayer's labels (never another's), freshly read; locked for update inside a unit."""
    query = select(ServiceLabel).where(ServiceLabel.taxpayer_id == taxpayer_id)
    if product is not None:
        query = query.where(ServiceLabel.product == product)
    if ids is not None:
        query = query.where(ServiceLabel.id.in_(list(ids)))
    if lock:
        query = query.with_for_update(of=ServiceLabel)
    return list(get_session().scalars(query.order_by(ServiceLabel.id).execution_options(populate_existing=True)))


def chosen_labels(taxpayer_id: int, ids: Sequence[int], *, lock: bool = False) -> list[ServiceLabel]:
    labels = labels_of(taxpayer_id, ids=ids, lock=lock)
    if len(labels) != len(set(ids)):
        raise ServiceRefused("Seçilen etiketlerden biri bulunamadı. Lütfen sayfayı yenileyip tekrar deneyiniz.")
    return labels


def request_of(taxpayer_id: int, request_id: int, *, lock: bool = False) -> ServiceRequest | None:
    query = select(ServiceRequest).where(ServiceRequest.id == request_id, ServiceRequest.taxpayer_id == taxpayer_id)
    if lock:
        query = query.with_for_update(of=ServiceRequest)
    return get_session().scalars(query.execution_options(populate_existing=True)).first()


def labels_of_request(request: ServiceRequest, *, lock: bool = False) -> list[ServiceLabel]:
    column = (ServiceLabel.opening_request_id if request.action is RequestAction.ACMA
              else ServiceLabel.closing_request_id)
    query = select(ServiceLabel).where(column == request.id, ServiceLabel.taxpayer_id == request.taxpayer_id)
    if lock:
        query = query.with_for_update(of=ServiceLabel)
    return list(get_session().scalars(query.order_by(ServiceLabel.id).execution_options(populate_existing=True)))


def _by_submission(taxpayer_id: int, submission_id: str) -> ServiceRequest | None:
    return get_session().scalars(
        select(ServiceRequest).where(ServiceRequest.submission_id == submission_id,
                                     ServiceRequest.taxpayer_id == taxpayer_id)
        .execution_options(populate_existing=True)
    ).first()


def has_opened_before(taxpayer_id: int, product: str) -> bool:
    """Whether the product was ever asked to be opened (and not refused): then the origin is known (C7)."""
    return get_session().scalar(
        select(ServiceRequest.id).where(
            ServiceRequest.taxpayer_id == taxpayer_id, ServiceRequest.product == product,
            ServiceRequest.action == RequestAction.ACMA, ServiceRequest.status != RequestStatus.REDDEDILDI,
        ).limit(1)
    ) is not None


def sent_application(taxpayer_id: int) -> EFaturaApplication | None:
    return get_session().scalars(
        select(EFaturaApplication).where(EFaturaApplication.taxpayer_id == taxpayer_id,
                                         EFaturaApplication.status == RequestStatus.TAMAMLANDI)
        .order_by(EFaturaApplication.id.desc())
    ).first()


# --- Etiket Ekle (C2) ---------------------------------------------------------------------------------


def add_labels(taxpayer: Taxpayer, product_code: str, prefix: str, domain: str) -> list[ServiceLabel]:
    """"Ekle": the product's labels for the prefix and the company's domain."""
    product = rules.product_or_refuse(product_code)
    built = rules.build_aliases(product, prefix, domain)
    try:
        with unit_of_work() as work:
            adding = rules.labels_to_add(product, built, labels_of(taxpayer.id, product=product.code, lock=True))
            created = [ServiceLabel(taxpayer_id=taxpayer.id, product=product.code, kind=kind.code, alias=alias,
                                    status=LabelStatus.KAPALI) for kind, alias in adding]
            work.session.add_all(created)
            work.session.flush()
            work.record("hizmet_etiketi_eklendi", taxpayer_id=taxpayer.id, object_type="hizmet_urunu",
                        object_id=product.code, urun=product.name, etiketler=[label.alias for label in created])
    except IntegrityError:
        raise ServiceRefused("Bu etiketler aynı anda başka bir işlemle eklendi. Sayfayı yenileyiniz.") from None
    return created


# --- Aç: preparing (C3, C5, C7) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningScreen:
    """What the "Aç" form asks: the date always, the origin before a product's first activation, and the
    "GİB e-Fatura Başvuru Bilgileri" when e-Fatura GB/PK is opened and GİB has no application."""

    product: Product
    labels: list[ServiceLabel]
    asks_origin: bool
    needs_application: bool


def prepare_opening(taxpayer: Taxpayer, label_ids: Sequence[int]) -> OpeningScreen:
    labels = chosen_labels(taxpayer.id, label_ids)
    product = rules.check_opening(labels, labels_of(taxpayer.id))
    asks_origin = bool(product.origins) and not has_opened_before(taxpayer.id, product.code)
    needs_application = _needs_application(taxpayer, labels)
    return OpeningScreen(product, labels, asks_origin, needs_application)


def opening_screen(taxpayer: Taxpayer, label_ids: Sequence[int], *, asks_origin: bool,
                   needs_application: bool) -> OpeningScreen:
    """The "Aç" form again (after a mistake), as first shown: GİB is not asked a second time."""
    labels = chosen_labels(taxpayer.id, label_ids)
    product = rules.check_opening(labels, labels_of(taxpayer.id))
    return OpeningScreen(product, labels, asks_origin, needs_application)


def summary(taxpayer: Taxpayer, label_ids: Sequence[int]) -> tuple[Product, list[ServiceLabel]]:
    """The product and labels a confirmation screen names (read only; the act checks the rules again)."""
    labels = chosen_labels(taxpayer.id, label_ids)
    if not labels:
        raise ServiceRefused("Etiket bulunamadı. Lütfen sayfayı yenileyip tekrar deneyiniz.")
    return rules.BY_CODE[labels[0].product], labels


def _needs_application(taxpayer: Taxpayer, labels: Sequence[ServiceLabel]) -> bool:
    """Opening e-Fatura GB/PK first asks GİB whether the taxpayer has an e-Fatura application (seed step 12)."""
    if not any(rules.kind_of(label).service == "Invoice" for label in labels):
        return False
    if sent_application(taxpayer.id) is not None:
        return False
    identifier = taxpayer.identifier
    release_reads()  # no transaction is held while GİB is asked
    client = gib_client()
    try:
        return client.efatura_application(identifier) is None
    finally:
        client.close()


@dataclass(frozen=True)
class OpeningPlan:
    """What "Evet" confirms and "Tamam" signs; carried in the confirmation draft (no secret in it)."""

    label_ids: tuple[int, ...]
    activation_date: date | None
    origin: str | None
    application: ApplicationFields | None

    def to_draft(self) -> dict[str, Any]:
        return {"label_ids": list(self.label_ids),
                "activation_date": self.activation_date.isoformat() if self.activation_date else None,
                "origin": self.origin, "application": asdict(self.application) if self.application else None}

    @classmethod
    def from_draft(cls, draft: dict[str, Any]) -> OpeningPlan:
        application = draft.get("application")
        chosen = draft.get("activation_date")
        return cls(tuple(int(i) for i in draft["label_ids"]), date.fromisoformat(chosen) if chosen else None,
                   draft.get("origin"), ApplicationFields(**application) if application else None)


def plan_opening(taxpayer: Taxpayer, label_ids: Sequence[int], *, asks_origin: bool, needs_application: bool,
                 date_choice: str, date_text: str, origin: str | None, application: dict[str, str],
                 today: date) -> tuple[Product, list[ServiceLabel], OpeningPlan]:
    """Check the "Aç" form: the rules again, the date, the origin and the application's marked fields."""
    labels = chosen_labels(taxpayer.id, label_ids)
    product = rules.check_opening(labels, labels_of(taxpayer.id))
    chosen_date = rules.activation_date(date_choice, date_text, today)
    chosen_origin = rules.origin(product, origin, asks_origin)
    fields = rules.application_fields(**application) if needs_application else None
    return product, labels, OpeningPlan(tuple(label.id for label in labels), chosen_date, chosen_origin, fields)


# --- Aç / Kapat: signing, keeping, sending ---------------------------------------------------------------------


def _label_specs(labels: Sequence[ServiceLabel]) -> tuple[LabelSpec, ...]:
    specs = []
    for label in labels:
        kind = rules.kind_of(label)
        assert kind.service is not None
        specs.append(LabelSpec(kind.service, kind.role, label.alias if kind.has_role else ""))
    return tuple(specs)


def _request_document(taxpayer: Taxpayer, product: Product, labels: Sequence[ServiceLabel], action: RequestAction,
                      activation: date | None, submission_id: str, now: datetime) -> bytes | etree._Element:
    if not product.sent_to_gib:
        return portal.service_request_document(
            submission_id=submission_id, action="AKTIVASYON" if action is RequestAction.ACMA else "KAPATMA",
            identifier=taxpayer.identifier, title=taxpayer.unvan, product=product.name,
            labels=[(rules.kind_of(label).name, label.alias) for label in labels],
            activation_date=activation.isoformat() if activation else "", moment=now)
    request = UserAccountRequest(identifier=taxpayer.identifier, title=taxpayer.unvan, labels=_label_specs(labels),
                                 created_at=now, activation_date=activation)
    return build_user_account_request(request, "open" if action is RequestAction.ACMA else "close")


def _application_document(taxpayer: Taxpayer, fields: ApplicationFields, now: datetime) -> etree._Element:
    return build_efatura_application(EFaturaApplicationForm(
        identifier=taxpayer.identifier, title=fields.title, tax_office=fields.tax_office, address=fields.address,
        email=fields.email, phone=fields.phone, applied_at=now, method=PRIVATE_INTEGRATION))


@dataclass(frozen=True)
class Signed:
    document: bytes
    application: bytes | None
    serial: str


def _sign(taxpayer: Taxpayer, card: CardChoice, pin: str, document: bytes | etree._Element,
          application: etree._Element | None, now: datetime) -> Signed:
    """Both documents in one card login (the application first), then checked as GİB will check them."""
    with signing_act(card.module_path, card.token_label, pin, expected_owner_id=taxpayer.identifier, at=now) as act:
        signed_application = act.sign_enveloped(application) if application is not None else None
        signed = act.sign_enveloped(document)
        serial = act.certificate_info.serial_hex
    for data in filter(None, (signed_application, signed)):
        result = verify_signed_xml(data, trust_anchors(), expected_owner_id=taxpayer.identifier)
        if not result.ok:
            raise ServiceRefused(f"İmza doğrulanamadı: {result.message}")
    return Signed(signed, signed_application, serial)


def open_labels(taxpayer: Taxpayer, plan: OpeningPlan, submission_id: str, card: CardChoice,
                pin: str) -> ServiceRequest:
    """"Tamam": sign the activation request (and the e-Fatura application when GİB had none), keep it, send it.

    A second "Tamam" with the same confirmation form finds the first request and sends nothing new.
    """
    existing = _by_submission(taxpayer.id, submission_id)
    if existing is not None:
        return existing
    labels = chosen_labels(taxpayer.id, plan.label_ids)
    product = rules.check_opening(labels, labels_of(taxpayer.id))
    now = utcnow()
    document = _request_document(taxpayer, product, labels, RequestAction.ACMA, plan.activation_date,
                                 submission_id, now)
    application = _application_document(taxpayer, plan.application, now) if plan.application else None
    signed = _sign(taxpayer, card, pin, document, application, now)
    try:
        with unit_of_work() as work:
            labels = chosen_labels(taxpayer.id, plan.label_ids, lock=True)  # a twin "Tamam" waits here
            existing = _by_submission(taxpayer.id, submission_id)
            if existing is not None:
                return existing
            rules.check_opening(labels, labels_of(taxpayer.id))
            request = _keep_opening(work, taxpayer, product, labels, plan, submission_id, signed, now)
    except IntegrityError:
        existing = _by_submission(taxpayer.id, submission_id)  # the twin "Tamam" won the race
        if existing is None:
            raise
        return existing
    return send(taxpayer.id, request.id)


def _keep_opening(work: Work, taxpayer: Taxpayer, product: Product, labels: list[ServiceLabel], plan: OpeningPlan,
                  submission_id: str, signed: Signed, now: datetime) -> ServiceRequest:
    application = None
    if signed.application is not None and plan.application is not None:
        fields = plan.application
        application = EFaturaApplication(
            taxpayer_id=taxpayer.id, submission_id=submission_id, title=fields.title, tax_office=fields.tax_office,
            address=fields.address, email=fields.email, phone=fields.phone, method=PRIVATE_INTEGRATION,
            status=RequestStatus.GONDERILIYOR, document=signed.application, certificate_serial=signed.serial,
            created_at=now)
        work.session.add(application)
        work.record("efatura_basvurusu_imzalandi", taxpayer_id=taxpayer.id, object_type="efatura_basvurusu",
                    object_id=submission_id, certificate_serial=signed.serial, yararlanma_yontemi=PRIVATE_INTEGRATION)
    request = ServiceRequest(
        taxpayer_id=taxpayer.id, submission_id=submission_id, action=RequestAction.ACMA, product=product.code,
        status=RequestStatus.GONDERILIYOR, origin=plan.origin, activation_date=plan.activation_date,
        document=signed.document, certificate_serial=signed.serial, sent_to_gib=product.sent_to_gib,
        application=application, created_at=now)
    work.session.add(request)
    work.session.flush()
    for label in labels:
        label.opening_request_id = request.id
        label.requested_at = now
        label.activation_date = plan.activation_date
        label.last_error = None
    work.record("hizmet_aktivasyon_talebi_imzalandi", taxpayer_id=taxpayer.id, object_type="hizmet_talebi",
                object_id=request.id, certificate_serial=signed.serial, urun=product.name,
                etiketler=[label.alias for label in labels],
                aktivasyon_tarihi=plan.activation_date.isoformat() if plan.activation_date else "hemen",
                geldigi_yer=plan.origin)
    return request


@dataclass(frozen=True)
class ClosingScreen:
    product: Product
    labels: list[ServiceLabel]
    warning: str | None  # the last-PK warning the person must confirm


def prepare_closing(taxpayer: Taxpayer, label_ids: Sequence[int], *, confirmed: bool = False) -> ClosingScreen:
    labels = chosen_labels(taxpayer.id, label_ids)
    all_labels = labels_of(taxpayer.id)
    try:
        product = rules.check_closing(labels, all_labels, last_post_box_confirmed=confirmed)
        return ClosingScreen(product, labels, None)
    except rules.LastPostBoxWarning as warning:
        product = rules.check_closing(labels, all_labels, last_post_box_confirmed=True)
        return ClosingScreen(product, labels, warning.message)


def close_labels(taxpayer: Taxpayer, label_ids: Sequence[int], submission_id: str, card: CardChoice, pin: str, *,
                 last_post_box_confirmed: bool) -> ServiceRequest:
    """Sign the closing (CancelUserAccount), keep it, send it; the labels become "Kapatıldı" (C8)."""
    existing = _by_submission(taxpayer.id, submission_id)
    if existing is not None:
        return existing
    labels = chosen_labels(taxpayer.id, label_ids)
    product = rules.check_closing(labels, labels_of(taxpayer.id), last_post_box_confirmed=last_post_box_confirmed)
    now = utcnow()
    document = _request_document(taxpayer, product, labels, RequestAction.KAPATMA, None, submission_id, now)
    signed = _sign(taxpayer, card, pin, document, None, now)
    try:
        with unit_of_work() as work:
            labels = chosen_labels(taxpayer.id, label_ids, lock=True)  # a twin "Tamam" waits here
            existing = _by_submission(taxpayer.id, submission_id)
            if existing is not None:
                return existing
            rules.check_closing(labels, labels_of(taxpayer.id), last_post_box_confirmed=last_post_box_confirmed)
            request = ServiceRequest(
                taxpayer_id=taxpayer.id, submission_id=submission_id, action=RequestAction.KAPATMA,
                product=product.code, status=RequestStatus.GONDERILIYOR, document=signed.document,
                certificate_serial=signed.serial, sent_to_gib=product.sent_to_gib, created_at=now)
            work.session.add(request)
            work.session.flush()
            for label in labels:
                label.closing_request_id = request.id
                label.last_error = None
            work.record("hizmet_kapatma_talebi_imzalandi", taxpayer_id=taxpayer.id, object_type="hizmet_talebi",
                        object_id=request.id, certificate_serial=signed.serial, urun=product.name,
                        etiketler=[label.alias for label in labels])
    except IntegrityError:
        existing = _by_submission(taxpayer.id, submission_id)
        if existing is None:
            raise
        return existing
    return send(taxpayer.id, request.id)


def resend(taxpayer: Taxpayer, request_id: int) -> ServiceRequest:
    """"Tekrar Gönder": the same signed documents with the same keys (GİB applies them once)."""
    request = request_of(taxpayer.id, request_id)
    if request is None:
        raise ServiceRefused("Talep bulunamadı.")
    if not request.status.unresolved:
        raise ServiceRefused(f"Bu talep '{request.status.label}' durumunda; tekrar gönderilecek bir şey yok.")
    return send(taxpayer.id, request_id)


# --- talking to GİB ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What GİB said to one sending: for the application (if any) and for the request."""

    application: str | None = None  # ok | refused | unsent | None (nothing to send)
    request: str = "skipped"  # accepted | refused | unsent | skipped (the application failed) | local
    message: str | None = None
    status: LabelRequestStatus | None = None


def send(taxpayer_id: int, request_id: int) -> ServiceRequest:
    """Send a kept request (and its application) to GİB and record the answer. No transaction is open meanwhile."""
    request = request_of(taxpayer_id, request_id)
    if request is None or not request.status.unresolved:
        return request  # type: ignore[return-value]
    application = request.application
    pending_application = application.document if application and application.status.unresolved else None
    application_key = application.idempotency_key if application else ""
    document, key, action, local = request.document, request.idempotency_key, request.action, not request.sent_to_gib
    release_reads()
    answer = Answer(request="local") if local else _call_gib(document, key, action, pending_application,
                                                           application_key)
    record_answer(taxpayer_id, request_id, answer)
    return request_of(taxpayer_id, request_id)  # type: ignore[return-value]


def _call_gib(document: bytes, key: str, action: RequestAction, application: bytes | None,
              application_key: str) -> Answer:
    client = gib_client()
    try:
        application_result = None
        if application is not None:
            try:
                client.submit_efatura_application(application, idempotency_key=application_key)
                application_result = "ok"
            except GibRejected as exc:
                if exc.code != _APPLICATION_EXISTS:
                    outcome = "unsent" if exc.code in _NOT_DECIDED else "refused"
                    return Answer(application=outcome, message=f"GİB e-Fatura başvurusu: {exc.message}")
                application_result = "ok"  # GİB already has one: that is what was wanted
            except GibError as exc:
                return Answer(application="unsent", message=exc.message)
        try:
            send_call = client.open_labels if action is RequestAction.ACMA else client.close_labels
            status = send_call(document, idempotency_key=key)
        except GibRejected as exc:
            outcome = "unsent" if exc.code in _NOT_DECIDED else "refused"
            return Answer(application=application_result, request=outcome, message=exc.message)
        except GibError as exc:
            return Answer(application=application_result, request="unsent", message=exc.message)
        return Answer(application=application_result, request="accepted", status=status)
    finally:
        client.close()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ISTANBUL).astimezone(UTC)


def record_answer(taxpayer_id: int, request_id: int, answer: Answer) -> None:
    from app.integrator.approvals import schedule_check

    with unit_of_work() as work:
        request = request_of(taxpayer_id, request_id, lock=True)
        if request is None or not request.status.unresolved:
            return  # a twin sending recorded it already
        labels = labels_of_request(request, lock=True)
        now = utcnow()
        if not _record_application(work, request, labels, answer, now):
            return
        if answer.request in ("refused", "unsent"):
            _record_failure(work, request, labels, answer, now)
        elif request.action is RequestAction.KAPATMA:
            _record_closed(work, request, labels, answer.status, now)
        else:
            _record_sent(work, request, labels, answer.status, now)
            work.after_commit(lambda: schedule_check(taxpayer_id, request_id))


def _names(labels: Sequence[ServiceLabel]) -> list[str]:
    return [label.alias for label in labels]


def _record_application(work: Work, request: ServiceRequest, labels: list[ServiceLabel], answer: Answer,
                        now: datetime) -> bool:
    """The application's part of the answer; False when it failed, so the activation was not sent."""
    application = request.application
    if application is None or answer.application is None:
        return True
    if answer.application == "ok":
        application.status, application.sent_at, application.gib_message = RequestStatus.TAMAMLANDI, now, None
        work.record("efatura_basvurusu_gonderildi", taxpayer_id=request.taxpayer_id, object_type="efatura_basvurusu",
                    object_id=application.submission_id, certificate_serial=application.certificate_serial)
        return True
    refused = answer.application == "refused"
    application.status = RequestStatus.REDDEDILDI if refused else RequestStatus.GONDERILEMEDI
    application.gib_message = answer.message
    _record_failure(work, request, labels, Answer(request=answer.application, message=answer.message), now)
    return False


def _record_failure(work: Work, request: ServiceRequest, labels: list[ServiceLabel], answer: Answer,
                    now: datetime) -> None:
    refused = answer.request == "refused"
    request.status = RequestStatus.REDDEDILDI if refused else RequestStatus.GONDERILEMEDI
    request.gib_message = answer.message
    request.completed_at = now if refused else None
    for label in labels:
        label.last_error = answer.message
    action = "hizmet_aktivasyon_talebi_gonderildi" if request.action is RequestAction.ACMA else "hizmet_etiketi_kapatildi"
    work.record(action, taxpayer_id=request.taxpayer_id, object_type="hizmet_talebi", object_id=request.id,
                result="hata", etiketler=_names(labels), durum=request.status.label, mesaj=answer.message)


def _record_sent(work: Work, request: ServiceRequest, labels: list[ServiceLabel],
                 status: LabelRequestStatus | None, now: datetime) -> None:
    if status is not None:
        request.gib_request_id, request.effective_at = status.request_id, status.effective_at
    else:  # kept at the integrator (e-Defter): active at 00:00 of the chosen day, or now
        request.effective_at = max(now, _start_of(request.activation_date)) if request.activation_date else now
    request.status, request.sent_at, request.gib_message = RequestStatus.ONAY_BEKLIYOR, now, None
    request.next_check_at = now
    for label in labels:
        label.status, label.last_error = LabelStatus.ONAY_BEKLIYOR, None
    work.record("hizmet_aktivasyon_talebi_gonderildi", taxpayer_id=request.taxpayer_id, object_type="hizmet_talebi",
                object_id=request.id, etiketler=_names(labels), gib_talep_no=request.gib_request_id,
                aktivasyon_zamani=request.effective_at.isoformat() if request.effective_at else None)


def _record_closed(work: Work, request: ServiceRequest, labels: list[ServiceLabel],
                   status: LabelRequestStatus | None, now: datetime) -> None:
    closed_at = status.effective_at if status is not None else now
    request.status, request.sent_at, request.completed_at = RequestStatus.TAMAMLANDI, now, closed_at
    request.gib_request_id, request.effective_at = (status.request_id if status else None), closed_at
    for label in labels:
        label.status, label.closed_at, label.last_error = LabelStatus.KAPATILDI, closed_at, None
    work.record("hizmet_etiketi_kapatildi", taxpayer_id=request.taxpayer_id, object_type="hizmet_talebi",
                object_id=request.id, etiketler=_names(labels), gib_talep_no=request.gib_request_id)
