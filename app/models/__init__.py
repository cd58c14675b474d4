"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from app.models.audit import AuditEvent
from app.models.cancellation import CancellationRequest, CancellationStatus, PartyRole
from app.models.invoice import Invoice
from app.models.taxpayer import Taxpayer, TaxpayerKind

__all__ = [
    "AuditEvent",
    "CancellationRequest",
    "CancellationStatus",
    "Invoice",
    "PartyRole",
    "Taxpayer",
    "TaxpayerKind",
]
