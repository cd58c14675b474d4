"""Running one job in a worker: claim it, run its handler with progress and heartbeats, record how it ended.

- The claim is one conditional UPDATE (``bekliyor`` → ``çalışıyor``): of two deliveries of the same id
  (a retried enqueue, a re-queue after a crash) one claims and the other does nothing; a finished job is
  never claimed again.
- Progress and heartbeats are short units of their own, without audit entries, each conditional on the
  job still being this worker's.
- The end is one unit: status, result (or the Turkish error) and the audit entry together, so nothing
  half-written is ever shown as done.
- Failures: a refusal (``app.refusals.Refused``) ends the job with its message as is; GİB away or slow is
  retried after JOBS_RETRY_DELAY_SECONDS up to the kind's attempts; anything else ends it with
  ``UNEXPECTED`` and the details go to the log only.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from flask import current_app
from sqlalchemy import func, update

from app.db import utcnow
from app.gib.errors import GibTimeout, GibUnavailable
from app.jobs.engine import current_engine
from app.jobs.kinds import JobContext, JobTakenOver
from app.models.job import Job, JobStatus
from app.refusals import Refused
from app.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

TRANSIENT = (GibUnavailable, GibTimeout)
UNEXPECTED = (
    "Beklenmeyen bir hata oluştu; işlem tamamlanamadı. Lütfen biraz sonra tekrar deneyiniz; sorun sürerse "
    "sistem yöneticinize iş numarasıyla bildiriniz (ayrıntılar sistem kayıtlarındadır)."
)
UNKNOWN_KIND = "Bu işlem türü bu kurulumda tanınmıyor; işlem yapılamadı. Sistem yöneticinize bildiriniz."


def worker_identity() -> str:
    """host:pid:thread — enough for recovery to tell whether the worker that holds a job still lives."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:120]


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    taxpayer_id: int | None
    params: dict[str, Any]
    attempts: int


def _mine(job_id: int, worker: str) -> Any:
    return (Job.id == job_id) & (Job.status == JobStatus.CALISIYOR) & (Job.worker_id == worker)


def claim(job_id: int, worker: str) -> Claimed | None:
    """Take the job if it is waiting; None when another delivery took it or it has ended."""
    now = utcnow()
    with unit_of_work(own_session=True) as work:
        taken = work.session.execute(
            update(Job).where(Job.id == job_id, Job.status == JobStatus.BEKLIYOR)
            .values(status=JobStatus.CALISIYOR, worker_id=worker, attempts=Job.attempts + 1, heartbeat_at=now,
                    started_at=func.coalesce(Job.started_at, now), finished_at=None, error=None, phrase="Başladı.")
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            return None
        job = work.session.get(Job, job_id, populate_existing=True)
        assert job is not None
        return Claimed(job.id, job.kind, job.taxpayer_id, dict(job.params or {}), job.attempts)


def report_progress(job_id: int, worker: str, percent: int, phrase: str) -> bool:
    """One progress step; False when the job is no longer this worker's."""
    with unit_of_work(own_session=True) as work:
        updated = work.session.execute(
            update(Job).where(_mine(job_id, worker))
            .values(progress=percent, phrase=phrase, heartbeat_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return updated.rowcount == 1


def beat(job_id: int, worker: str) -> None:
    with unit_of_work(own_session=True) as work:
        work.session.execute(update(Job).where(_mine(job_id, worker)).values(heartbeat_at=utcnow())
                        .execution_options(synchronize_session=False))


@contextmanager
def heartbeat(job_id: int, worker: str) -> Iterator[None]:
    """While the handler runs, a thread tells recovery that this worker still lives."""
    jobs = current_engine()
    interval = jobs.settings["heartbeat"]
    if not interval or jobs.huey.immediate:  # immediate: the job runs inside the caller's request
        yield
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(interval):
            try:
                with app.app_context():
                    beat(job_id, worker)
            except Exception:
                log.exception("İş %s için nabız yazılamadı", job_id)

    thread = threading.Thread(target=run, name=f"is-{job_id}-nabiz", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def finish(job_id: int, worker: str, kind: str, taxpayer_id: int | None, result: dict[str, Any]) -> bool:
    with unit_of_work() as work:
        done = work.session.execute(
            update(Job).where(_mine(job_id, worker))
            .values(status=JobStatus.TAMAMLANDI, progress=100, phrase="Tamamlandı.", result=result,
                    finished_at=utcnow(), heartbeat_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            return False
        work.record("is_tamamlandi", taxpayer_id=taxpayer_id, object_type="is", object_id=job_id, tur=kind)
    return True


def fail(job_id: int, worker: str, kind: str, taxpayer_id: int | None, message: str) -> bool:
    with unit_of_work() as work:
        failed = work.session.execute(
            update(Job).where(_mine(job_id, worker))
            .values(status=JobStatus.HATA, phrase="İşlem tamamlanamadı.", error=message[:1000], finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if failed.rowcount != 1:
            return False
        work.record("is_basarisiz", taxpayer_id=taxpayer_id, object_type="is", object_id=job_id, tur=kind,
                    result="hata")
    return True


def retry_later(job: Claimed, worker: str, message: str, delay: int, max_attempts: int) -> None:
    """GİB was away: back to the queue after ``delay`` seconds, saying so on the status widget."""
    from app.jobs.submit import enqueue_or_fail

    phrase = f"{delay} saniye sonra yeniden denenecek (deneme {job.attempts}/{max_attempts}). {message}"
    with unit_of_work() as work:
        back = work.session.execute(
            update(Job).where(_mine(job.id, worker))
            .values(status=JobStatus.BEKLIYOR, worker_id=None, progress=0, phrase=phrase[:250])
            .execution_options(synchronize_session=False)
        )
        if back.rowcount == 1:
            work.after_commit(lambda: enqueue_or_fail(job.id, delay))


def run(job_id: int) -> None:
    """The ``is_calistir`` task: do the job once, whatever the number of deliveries."""
    jobs = current_engine()
    worker = worker_identity()
    job = claim(job_id, worker)
    if job is None:
        log.info("İş %s bekleyen bir iş değil (başka bir teslimat aldı ya da bitti); atlandı", job_id)
        return
    kind = jobs.kinds.get(job.kind)
    if kind is None:
        log.error("İş %s: tanınmayan iş türü %s", job_id, job.kind)
        fail(job.id, worker, job.kind, job.taxpayer_id, UNKNOWN_KIND)
        return
    context = JobContext(job.id, job.taxpayer_id, job.params, job.attempts,
                         lambda percent, phrase: report_progress(job.id, worker, percent, phrase))
    log.info("İş %s (%s) başladı, deneme %s, işçi %s", job.id, job.kind, job.attempts, worker)
    try:
        with heartbeat(job.id, worker):
            result = json.loads(json.dumps(kind.handler(context) or {}))  # a result must be plain JSON
    except JobTakenOver:
        log.warning("İş %s başka bir işçiye verilmiş; bu işçi bırakıyor", job.id)
    except TRANSIENT as exc:
        max_attempts = jobs.max_attempts(job.kind)
        if kind.retry_when_gib_away and job.attempts < max_attempts:
            log.warning("İş %s: GİB'e ulaşılamadı (%s); yeniden denenecek", job.id, exc.__class__.__name__)
            retry_later(job, worker, exc.message, jobs.settings["retry_delay"], max_attempts)
        else:
            fail(job.id, worker, job.kind, job.taxpayer_id, exc.message)
    except Refused as exc:
        log.info("İş %s reddedildi: %s", job.id, exc.message)
        fail(job.id, worker, job.kind, job.taxpayer_id, exc.message)
    except Exception:
        log.exception("İş %s (%s) beklenmeyen bir hatayla bitti", job.id, job.kind)
        fail(job.id, worker, job.kind, job.taxpayer_id, UNEXPECTED)
    else:
        if finish(job.id, worker, job.kind, job.taxpayer_id, result):
            log.info("İş %s tamamlandı", job.id)
        else:
            log.warning("İş %s bitti ama artık bu işçinin değil; sonucu yazılmadı", job.id)
