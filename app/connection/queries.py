"""What the last GİB connection check answered, and whether one is under way. Read only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.db import get_session
from app.models.job import Job, JobStatus

GIB_CHECK_KIND = "gib_baglanti_kontrolu"


@dataclass(frozen=True)
class ClockAnswer:
    ok: bool
    message: str
    gib_time: datetime
    local_time: datetime


@dataclass(frozen=True)
class RegistryAnswer:
    title: str
    user_type: str
    application_method: str | None
    application_received_at: datetime | None


@dataclass(frozen=True)
class LabelAnswer:
    document_type: str
    role: str
    alias: str
    account_type: str
    created_at: datetime


@dataclass(frozen=True)
class ConnectionAnswer:
    """One check's answer, as kept in the job's result (JSON) and read back for the page."""

    gib_url: str
    identifier: str
    clock: ClockAnswer
    registry: RegistryAnswer | None
    labels: list[LabelAnswer]

    @classmethod
    def from_result(cls, result: dict[str, Any]) -> ConnectionAnswer:
        clock = result["clock"]
        registry = result.get("registry")
        return cls(
            gib_url=result["gib_url"],
            identifier=result["identifier"],
            clock=ClockAnswer(clock["ok"], clock["message"], _time(clock["gib_time"]), _time(clock["local_time"])),
            registry=None if registry is None else RegistryAnswer(
                registry["title"], registry["user_type"], registry.get("application_method"),
                _optional_time(registry.get("application_received_at"))),
            labels=[LabelAnswer(label["document_type"], label["role"], label["alias"], label["account_type"],
                                _time(label["created_at"])) for label in result.get("labels", [])],
        )


@dataclass(frozen=True)
class LastCheck:
    job: Job
    answer: ConnectionAnswer | None  # None when the check failed: ``error`` says why
    error: str | None

    @property
    def checked_at(self) -> datetime | None:
        return self.job.finished_at


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _optional_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _checks_of(taxpayer_id: int, *statuses: JobStatus):  # type: ignore[no-untyped-def]
    return select(Job).where(Job.taxpayer_id == taxpayer_id, Job.kind == GIB_CHECK_KIND, Job.status.in_(statuses))


def active_check(taxpayer_id: int) -> Job | None:
    """The check waiting or running for this taxpayer, if any."""
    return get_session().scalars(
        _checks_of(taxpayer_id, JobStatus.BEKLIYOR, JobStatus.CALISIYOR).order_by(Job.id.desc())
        .execution_options(populate_existing=True)
    ).first()


def last_check(taxpayer_id: int) -> LastCheck | None:
    """The newest check that ended, with its answer or its error; None when there was never one."""
    job = get_session().scalars(
        _checks_of(taxpayer_id, JobStatus.TAMAMLANDI, JobStatus.HATA)
        .order_by(Job.finished_at.desc(), Job.id.desc()).execution_options(populate_existing=True)
    ).first()
    if job is None:
        return None
    if job.status is JobStatus.TAMAMLANDI and job.result:
        return LastCheck(job, ConnectionAnswer.from_result(job.result), None)
    return LastCheck(job, None, job.error or "Kontrol tamamlanamadı.")
