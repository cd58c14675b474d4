"""What the Hizmet Aktivasyonu screens read: each product with its labels, one request with its labels. Read only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db import get_session
from app.integrator.catalogue import KINDS, PRODUCTS, LabelKind, Origin, Product
from app.models.service import LabelStatus, RequestAction, RequestStatus, ServiceLabel, ServiceRequest

LIVE = (LabelStatus.ONAY_BEKLIYOR, LabelStatus.AKTIF)


@dataclass(frozen=True)
class LabelRow:
    label: ServiceLabel

    @property
    def kind(self) -> LabelKind:
        return KINDS[self.label.kind]

    @property
    def pending(self) -> bool:
        return self.label.status is LabelStatus.ONAY_BEKLIYOR

    @property
    def unresolved(self) -> ServiceRequest | None:
        return self.label.unresolved_request

    @property
    def documents(self) -> list[tuple[str, ServiceRequest]]:
        """The signed documents of this label: (link text, request)."""
        found = []
        if self.label.opening_request is not None:
            found.append(("Aktivasyon talebi", self.label.opening_request))
        if self.label.closing_request is not None:
            found.append(("Kapatma talebi", self.label.closing_request))
        return found


@dataclass
class ProductView:
    product: Product
    rows: list[LabelRow] = field(default_factory=list)
    origin: Origin | None = None
    closed_elsewhere: list[dict[str, Any]] = field(default_factory=list)

    @property
    def several_post_boxes(self) -> bool:
        """More than one live PK label: senders must be told which one to use (seed 002, 1.e.ii)."""
        boxes = [row for row in self.rows if row.kind.role == "PK" and row.label.status in LIVE]
        return len(boxes) > 1

    @property
    def pending(self) -> bool:
        return any(row.pending for row in self.rows)


def _labels(taxpayer_id: int) -> list[ServiceLabel]:
    return list(get_session().scalars(
        select(ServiceLabel).where(ServiceLabel.taxpayer_id == taxpayer_id)
        .options(selectinload(ServiceLabel.opening_request).selectinload(ServiceRequest.application),
                 selectinload(ServiceLabel.closing_request))
        .order_by(ServiceLabel.id).execution_options(populate_existing=True)
    ))


def overview(taxpayer_id: int) -> list[ProductView]:
    """Every product of seed 002, in the seed's order, with the taxpayer's labels (none yet: an empty table)."""
    views = {product.code: ProductView(product) for product in PRODUCTS}
    for label in _labels(taxpayer_id):
        views[label.product].rows.append(LabelRow(label))
    openings = get_session().scalars(
        select(ServiceRequest).where(ServiceRequest.taxpayer_id == taxpayer_id,
                                     ServiceRequest.action == RequestAction.ACMA,
                                     ServiceRequest.status != RequestStatus.REDDEDILDI)
        .order_by(ServiceRequest.id)
    )
    for request in openings:
        view = views[request.product]
        if view.origin is None and request.origin:
            view.origin = view.product.origin(request.origin)
        view.closed_elsewhere.extend(request.closed_elsewhere or [])
    return list(views.values())


def label_row(taxpayer_id: int, label_id: int) -> LabelRow | None:
    label = get_session().scalars(
        select(ServiceLabel).where(ServiceLabel.id == label_id, ServiceLabel.taxpayer_id == taxpayer_id)
        .options(selectinload(ServiceLabel.opening_request), selectinload(ServiceLabel.closing_request))
        .execution_options(populate_existing=True)
    ).first()
    return LabelRow(label) if label is not None else None


@dataclass(frozen=True)
class RequestView:
    request: ServiceRequest
    product: Product
    rows: list[LabelRow]

    @property
    def done(self) -> bool:
        """GİB has the request (or the integrator, for e-Defter): "İŞLEMİNİZ TAMAMLANMIŞTIR"."""
        return self.request.status in (RequestStatus.ONAY_BEKLIYOR, RequestStatus.TAMAMLANDI)


def request_view(taxpayer_id: int, request_id: int) -> RequestView | None:
    request = get_session().scalars(
        select(ServiceRequest).where(ServiceRequest.id == request_id, ServiceRequest.taxpayer_id == taxpayer_id)
        .options(selectinload(ServiceRequest.application)).execution_options(populate_existing=True)
    ).first()
    if request is None:
        return None
    column = (ServiceLabel.opening_request_id if request.action is RequestAction.ACMA
              else ServiceLabel.closing_request_id)
    labels = get_session().scalars(
        select(ServiceLabel).where(column == request.id, ServiceLabel.taxpayer_id == taxpayer_id)
        .options(selectinload(ServiceLabel.opening_request), selectinload(ServiceLabel.closing_request))
        .order_by(ServiceLabel.id).execution_options(populate_existing=True)
    )
    return RequestView(request, next(p for p in PRODUCTS if p.code == request.product), [LabelRow(l) for l in labels])


def signed_document(taxpayer_id: int, request_id: int, which: str) -> tuple[str, bytes] | None:
    """(file name, signed XML) of a request ("talep") or of the e-Fatura application sent with it ("basvuru")."""
    view = request_view(taxpayer_id, request_id)
    if view is None:
        return None
    request = view.request
    if which == "basvuru":
        if request.application is None:
            return None
        return f"efatura-basvurusu-{request.id}.xml", request.application.document
    verb = "aktivasyon" if request.action is RequestAction.ACMA else "kapatma"
    return f"{request.product}-{verb}-talebi-{request.id}.xml", request.document
