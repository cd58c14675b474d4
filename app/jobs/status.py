"""Job status for the screens: a taxpayer's jobs, one job, and how its result is shown. Read only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.db import get_session, utcnow
from app.jobs.engine import current_engine
from app.jobs.kinds import JobKind
from app.models.job import Job, JobStatus
from app.pagination import Page, paginate

# A job still waiting after this long probably has no worker to run it: the widget says so.
NO_WORKER_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class JobView:
    job: Job
    kind: JobKind | None

    @property
    def result_template(self) -> str:
        return self.kind.result_template if self.kind else "jobs/_result.html"

    @property
    def result(self) -> Any:
        if self.job.result is None or self.kind is None or self.kind.present is None:
            return self.job.result
        return self.kind.present(self.job.result)

    @property
    def waiting_long(self) -> bool:
        return self.job.status is JobStatus.BEKLIYOR and utcnow() - self.job.created_at > NO_WORKER_AFTER


def view_of(job: Job) -> JobView:
    return JobView(job, current_engine().kinds.get(job.kind))


def job_of(taxpayer_id: int, job_id: int) -> JobView | None:
    """One of the taxpayer's jobs, freshly read; another taxpayer's job is as absent as a missing one."""
    job = get_session().scalars(
        select(Job).where(Job.id == job_id, Job.taxpayer_id == taxpayer_id).execution_options(populate_existing=True)
    ).first()
    return view_of(job) if job is not None else None


def jobs_of(taxpayer_id: int, number: int) -> Page[JobView]:
    """The taxpayer's jobs, newest first."""
    query = select(Job).where(Job.taxpayer_id == taxpayer_id).order_by(Job.id.desc())
    return paginate(query.execution_options(populate_existing=True), number, convert=lambda row: view_of(row[0]))


def any_active(page: Page[JobView]) -> bool:
    return any(view.job.active for view in page.items)
