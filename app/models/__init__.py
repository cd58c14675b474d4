"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from app.models.archive import ArchivedDocument, ArchiveImport, ImportStatus, ImportVerdict, Verdict
from app.models.audit import AuditEvent
from app.models.authorisation import Authorisation, AuthorisationRole, AuthorisationState
from app.models.calendar import DeadlineExtension, ExtensionScope, PublicHoliday
from app.models.cancellation import CancellationRequest, CancellationStatus, ObjectionMethod, PartyRole, RequestKind
from app.models.defter_file import CreationState, DefterCreation, DefterFile, DefterFileKind
from app.models.defter_submission import DefterSubmission, SubmissionState
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
from app.models.journal import (
    ApiKey,
    ApiKeyScope,
    JournalBatch,
    JournalEntry,
    JournalLine,
    JournalPeriod,
    JournalPeriodState,
    JournalSource,
)
from app.models.kontor import KontorMovement, KontorPackage, KontorUnit, MovementKind
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
from app.models.training import Trainee, TrainingClass

# Modules whose names are imported from the module itself (registered here with the metadata).
from app.models import deadline_warning, edefter_archive  # noqa: E402,F401

__all__ = [
    "AccountingContract",
    "ArchivedDocument",
    "ArchiveImport",
    "ApiKey",
    "ApiKeyScope",
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
    "CreationState",
    "DefterCreation",
    "DefterFile",
    "DefterFileKind",
    "DefterSubmission",
    "EdefterBranch",
    "EdefterSettings",
    "EFaturaApplication",
    "Invoice",
    "ImportStatus",
    "ImportVerdict",
    "InvoiceOrigin",
    "Job",
    "JobStatus",
    "KontorMovement",
    "KontorPackage",
    "KontorUnit",
    "JournalBatch",
    "JournalEntry",
    "JournalLine",
    "JournalPeriod",
    "JournalPeriodState",
    "JournalSource",
    "LabelStatus",
    "MovementKind",
    "ObjectionMethod",
    "PartyRole",
    "PeriodKind",
    "Person",
    "RecentTaxpayer",
    "RegisteredUserAlias",
    "RequestKind",
    "RequestAction",
    "RequestStatus",
    "ServiceLabel",
    "ServiceRequest",
    "SubmissionState",
    "Taxpayer",
    "TaxpayerKind",
    "Trainee",
    "TrainingClass",
    "UserListDownload",
    "Verdict",
    "YevmiyeVerification",
]
