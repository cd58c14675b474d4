"""What the pages, the API and the package read of a period's submissions to GİB."""

from __future__ import annotations

from sqlalchemy import select

from app.db import get_session
from app.models import DefterFile, DefterFileKind, Job, JournalPeriod
from app.models.defter_submission import DefterSubmission, SubmissionState

# Yevmiye berats, kebir berats, then the DR: the order GİB takes them in.
SEND_ORDER = [DefterFileKind.YEVMIYE_BERAT, DefterFileKind.KEBIR_BERAT, DefterFileKind.DEFTER_RAPORU]


def submissions_of(period: JournalPeriod) -> list[DefterSubmission]:
    rows = get_session().scalars(select(DefterSubmission).where(DefterSubmission.period_id == period.id))
    return sorted(rows, key=lambda row: (SEND_ORDER.index(row.kind), row.part_index, row.id))


def approved_berats(period: JournalPeriod) -> list[DefterSubmission]:
    """GİB's sealed berats kept for the period (the package carries them)."""
    return [row for row in submissions_of(period) if row.state is SubmissionState.APPROVED and row.approved_key]


def has_approved(period_id: int) -> bool:
    """Whether GİB approved any file of the period: then nothing of it may be re-created or re-signed."""
    return get_session().scalar(select(DefterSubmission.id).where(
        DefterSubmission.period_id == period_id, DefterSubmission.state == SubmissionState.APPROVED).limit(1)) is not None


def submission_of(period: JournalPeriod, submission_id: int) -> DefterSubmission | None:
    row = get_session().get(DefterSubmission, submission_id)
    return row if row is not None and row.period_id == period.id and row.taxpayer_id == period.taxpayer_id else None


def in_flight(rows: list[DefterSubmission]) -> bool:
    return any(row.state in (SubmissionState.WAITING, SubmissionState.SENT) for row in rows)


def latest_job(rows: list[DefterSubmission]) -> Job | None:
    """The newest sending job of these rows, read afresh (the job engine updates it with bulk statements)."""
    job_ids = sorted({row.job_id for row in rows if row.job_id}, reverse=True)
    return get_session().get(Job, job_ids[0], populate_existing=True) if job_ids else None


def fresh_job(job_id: int) -> Job | None:
    return get_session().get(Job, job_id, populate_existing=True)


def submissions_with_names(period: JournalPeriod | None) -> list[tuple[DefterSubmission, str]]:
    """Each submission with the name of the file it sent (``VKN-YYYYMM-YB-000001.xml``)."""
    if period is None:
        return []
    session = get_session()
    return [(row, file.file_name if (file := session.get(DefterFile, row.file_id)) else "")
            for row in submissions_of(period)]
