"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from app.models.audit import AuditEvent
from app.models.authorisation import Authorisation, AuthorisationRole, AuthorisationState
from app.models.calendar import DeadlineExtension, ExtensionScope, PublicHoliday
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
from app.models.invoice import Invoice, InvoiceOrigin
from app.models.job import Job, JobStatus
from app.models.journal import JournalBatch, JournalEntry, JournalLine, JournalPeriod, JournalPeriodState, JournalSource
from app.models.person import Person, RecentTaxpayer
from app.models.service import (
    EFaturaApplication,
    LabelStatus,
    RegisteredUserAlias,
    RequestAction,
    RequestStatus,
    ServiceLabel,
    ServiceRequest,
    UserListDownload,
)
from app.models.taxpayer import Taxpayer, TaxpayerKind

__all__ = [
    "AccountingContract",
    "AuditEvent",
    "Authorisation",
    "AuthorisationRole",
    "AuthorisationState",
    "BeratPeriod",
    "DeadlineExtension",
    "ExtensionScope",
    "PublicHoliday",
    "CancellationRequest",
    "CancellationStatus",
    "ContractKind",
    "EdefterBranch",
    "EdefterSettings",
    "EFaturaApplication",
    "Invoice",
    "InvoiceOrigin",
    "Job",
    "JobStatus",
    "JournalBatch",
    "JournalEntry",
    "JournalLine",
    "JournalPeriod",
    "JournalPeriodState",
    "JournalSource",
    "LabelStatus",
    "PartyRole",
    "PeriodKind",
    "Person",
    "RecentTaxpayer",
    "RegisteredUserAlias",
    "RequestAction",
    "RequestStatus",
    "ServiceLabel",
    "ServiceRequest",
    "Taxpayer",
    "TaxpayerKind",
    "UserListDownload",
    "YevmiyeVerification",
]
