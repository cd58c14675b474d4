"""Submitting a job: the row in one unit of work (with its audit entry), the queue after the commit.

Feature packages call ``submit``; the worker takes the job by its id. A PIN or password never enters
the queue, the job table or a log: parameters naming one are refused with ``ValueError``.
"""

from __future__ import annotations

import json
import logging
import re
from functools import partial
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import get_session, utcnow
from app.jobs.engine import current_engine
from app.models.job import Job, JobStatus
from app.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

QUEUE_DOWN = (
    "İşlem sıraya alınamadı: iş kuyruğuna ulaşılamıyor. Lütfen biraz sonra tekrar deneyiniz; sorun sürerse "
    "sistem yöneticinize bildiriniz."
)
# Words that name a secret, in parameter keys ("pin", "kart_pin", "kartPin", "şifre", "password", …).
_SECRET_WORDS = re.compile(r"^(pin|puk)\d*$|^pinkod|^(sifre|parola|password|passwd|passphrase|secret|gizli)")
_CAMEL_CASE = re.compile(r"(?<=[a-zçğıöşü0-9])(?=[A-ZÇĞİÖŞÜ])")
_ASCII = str.maketrans("İIıŞşĞğÇçÖöÜü", "iiissggccoouu")


def secret_key_in(params: Any, path: str = "") -> str | None:
    """The first key (dotted path) in ``params`` that names a secret, or None."""
    if isinstance(params, dict):
        for key, value in params.items():
            here = f"{path}.{key}" if path else str(key)
            words = re.split(r"[^0-9a-z]+", _CAMEL_CASE.sub("_", str(key)).translate(_ASCII).lower())
            if any(_SECRET_WORDS.match(word) for word in words if word):
                return here
            found = secret_key_in(value, here)
            if found:
                return found
    elif isinstance(params, (list, tuple)):
        for index, value in enumerate(params):
            found = secret_key_in(value, f"{path}[{index}]")
            if found:
                return found
    return None


def checked_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """Parameters fit for the queue and the table: no secrets, plain JSON."""
    params = dict(params or {})
    secret = secret_key_in(params)
    if secret is not None:
        # The key is named, never its value.
        raise ValueError(f"İş parametrelerinde PIN veya şifre bulunamaz ('{secret}'). PIN yalnızca imza anında, "
                         "isteğin içinde kullanılır.")
    try:
        return json.loads(json.dumps(params))
    except (TypeError, ValueError):
        raise ValueError("İş parametreleri yalnızca metin, sayı, liste ve sözlük içerebilir.") from None


def _existing(session: Session, taxpayer_id: int | None, idempotency_key: str | None) -> Job | None:
    if idempotency_key is None:
        return None
    return session.scalars(
        select(Job).where(Job.taxpayer_id.is_(None) if taxpayer_id is None else Job.taxpayer_id == taxpayer_id,
                          Job.idempotency_key == idempotency_key)
    ).first()


def submit(kind: str, taxpayer_id: int | None, title: str, params: dict[str, Any] | None = None,
           idempotency_key: str | None = None) -> Job:
    """Create the job (or find the one already submitted with ``idempotency_key``) and queue it.

    The returned row shows the job as submitted; read it again (``app.jobs.status``) for its progress.
    """
    params = checked_params(params)
    if kind not in current_engine().kinds:
        raise ValueError(f"Tanınmayan iş türü: {kind}")
    try:
        with unit_of_work() as work:
            job = _existing(work.session, taxpayer_id, idempotency_key)
            if job is not None:
                return job
            job = Job(taxpayer_id=taxpayer_id, kind=kind, title=title[:200], params=params,
                      status=JobStatus.BEKLIYOR, progress=0, phrase="Sırada bekliyor.", attempts=0,
                      idempotency_key=idempotency_key)
            work.session.add(job)
            work.session.flush()
            work.record("is_siraya_alindi", taxpayer_id=taxpayer_id, object_type="is", object_id=job.id,
                        tur=kind, baslik=job.title)
            work.after_commit(partial(enqueue_or_fail, job.id))
    except IntegrityError:
        # The same submission raced ours and won: answer with its job.
        job = _existing(get_session(), taxpayer_id, idempotency_key)
        if job is None:
            raise
    return job


def enqueue_or_fail(job_id: int, delay: float | None = None) -> None:
    """Queue the job; when the queue cannot be reached, the job ends failed with a message saying so."""
    try:
        current_engine().enqueue(job_id, delay)
    except Exception:
        log.exception("İş %s kuyruğa konamadı", job_id)
        with unit_of_work() as work:
            failed = work.session.execute(
                update(Job).where(Job.id == job_id, Job.status == JobStatus.BEKLIYOR)
                .values(status=JobStatus.HATA, error=QUEUE_DOWN, phrase="İşlem tamamlanamadı.", finished_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            if failed.rowcount:
                taxpayer_id = work.session.scalar(select(Job.taxpayer_id).where(Job.id == job_id))
                work.record("is_basarisiz", taxpayer_id=taxpayer_id, object_type="is", object_id=job_id,
                            result="hata", neden="kuyruk")
