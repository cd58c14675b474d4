"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from app.models.audit import AuditEvent
from app.models.taxpayer import Taxpayer, TaxpayerKind

__all__ = ["AuditEvent", "Taxpayer", "TaxpayerKind"]
