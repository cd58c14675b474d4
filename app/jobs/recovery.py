"""Jobs a dead worker left behind: taken back on worker start and every minute on the running workers.

A job is "çalışıyor" while a worker holds it. That worker is taken for dead when it ran on this host and
its process is gone (a SIGKILL, a power cut, an OOM kill), or when its heartbeat is older than
JOBS_STALE_SECONDS (another host, or a hung process). Its job then goes back to the queue from the
start — handlers are idempotent — until the kind's attempts are used up; after that it ends failed with
``ABANDONED``. Every change is conditional on the job still being exactly as seen, so two workers
recovering at once re-queue it once. A job shows "Tamamlandı" only when a worker wrote its result.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Row, select, update

from app.db import get_session, utcnow
from app.jobs.engine import current_engine
from app.jobs.submit import enqueue_or_fail
from app.models.job import Job, JobStatus
from app.unit_of_work import release_reads, unit_of_work

log = logging.getLogger(__name__)

ABANDONED = (
    "İşlem, onu çalıştıran arka plan işçisi beklenmedik şekilde durduğu için tamamlanamadı ve yeniden deneme "
    "hakkı kalmadı. Yarım kalan hiçbir sonuç kaydedilmedi; lütfen işlemi yeniden başlatınız."
)
REQUEUED = "Çalıştıran işçi durdu; işlem yeniden sıraya alındı ve baştan yapılacak."


@dataclass
class Recovery:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def worker_is_dead(worker_id: str | None, heartbeat_at: datetime | None, now: datetime, stale: timedelta) -> bool:
    if heartbeat_at is None or now - heartbeat_at > stale:
        return True
    host, _, rest = (worker_id or "").partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and _process_gone(int(pid))


def _take_back(job: Row, recovery: Recovery) -> None:
    jobs = current_engine()
    seen = (Job.id == job.id) & (Job.status == JobStatus.CALISIYOR) & (Job.worker_id == job.worker_id) \
        & (Job.attempts == job.attempts)
    with unit_of_work() as work:
        if job.attempts < jobs.max_attempts(job.kind):
            back = work.session.execute(
                update(Job).where(seen).values(status=JobStatus.BEKLIYOR, worker_id=None, progress=0, phrase=REQUEUED)
                .execution_options(synchronize_session=False)
            )
            if back.rowcount == 1:
                work.after_commit(lambda: enqueue_or_fail(job.id))
                recovery.requeued.append(job.id)
            return
        failed = work.session.execute(
            update(Job).where(seen)
            .values(status=JobStatus.HATA, error=ABANDONED, phrase="İşlem tamamlanamadı.", finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if failed.rowcount == 1:
            work.record("is_basarisiz", taxpayer_id=job.taxpayer_id, object_type="is", object_id=job.id,
                        tur=job.kind, result="hata", neden="isci_durdu")
            recovery.failed.append(job.id)


def recover_stale_jobs(now: datetime | None = None) -> Recovery:
    """Re-queue (or fail) every running job whose worker is dead."""
    now = now or utcnow()
    stale = timedelta(seconds=current_engine().settings["stale"])
    session = get_session()
    running = session.execute(
        select(Job.id, Job.kind, Job.taxpayer_id, Job.worker_id, Job.attempts, Job.heartbeat_at)
        .where(Job.status == JobStatus.CALISIYOR).order_by(Job.id)
    ).all()
    release_reads()  # end the read before writing
    recovery = Recovery()
    for job in running:
        if worker_is_dead(job.worker_id, job.heartbeat_at, now, stale):
            log.warning("İş %s yarım kalmış (işçi %s, deneme %s); geri alınıyor", job.id, job.worker_id, job.attempts)
            _take_back(job, recovery)
    return recovery


def requeue_waiting(now: datetime | None = None) -> list[int]:
    """On worker start: queue again jobs waiting longer than JOBS_STALE_SECONDS, in case their message was lost
    (the portal stopped between commit and enqueue, a Redis without persistence restarted). A job queued twice
    still runs once: the second delivery finds it taken."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=current_engine().settings["stale"])
    session = get_session()
    waiting = session.scalars(
        select(Job.id).where(Job.status == JobStatus.BEKLIYOR, Job.created_at < cutoff).order_by(Job.id)
    ).all()
    release_reads()
    for job_id in waiting:
        enqueue_or_fail(job_id)
    return list(waiting)
