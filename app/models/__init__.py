"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from app.models.audit import AuditEvent
from app.models.cancellation import CancellationRequest, CancellationStatus, PartyRole
from app.models.edefter import (
    AccountingContract,
    BeratPeriod,
    ContractKind,
    EdefterBranch,
    EdefterSettings,
    PeriodKind,
    YevmiyeVerification,
)
from app.models.invoice import Invoice
from app.models.job import Job, JobStatus
from app.models.taxpayer import Taxpayer, TaxpayerKind

__all__ = [
    "AccountingContract",
    "AuditEvent",
    "BeratPeriod",
    "CancellationRequest",
    "CancellationStatus",
    "ContractKind",
    "EdefterBranch",
    "EdefterSettings",
    "Invoice",
    "Job",
    "JobStatus",
    "PartyRole",
    "PeriodKind",
    "Taxpayer",
    "TaxpayerKind",
    "YevmiyeVerification",
]
