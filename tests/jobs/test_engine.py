"""The job engine in immediate mode (jobs run inside the caller), on SQLite and PostgreSQL:
progress, result, refusals, unexpected errors, retries, idempotency, no PINs, recovery of dead workers."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import utcnow
from app.gib.errors import GibUnavailable
from app.jobs import JobContext, current_engine, submit
from app.jobs.recovery import ABANDONED, recover_stale_jobs
from app.jobs.runner import UNEXPECTED
from app.models import AuditEvent, Job, JobStatus
from tests.jobs.workers import read_job


def audit_actions(db_session, job_id: int) -> list[str]:
    return list(db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "is", AuditEvent.object_id == str(job_id))
        .order_by(AuditEvent.id)
    ))


def test_a_job_reports_progress_and_keeps_its_result(app, db_session, taxpayer_factory, register_kind):
    taxpayer = taxpayer_factory()
    seen_while_running: list[tuple[JobStatus, int, str]] = []

    def handler(job: JobContext) -> dict:
        job.progress(30, "Birinci adım bitti.")
        row = read_job(app, job.job_id)
        seen_while_running.append((row.status, row.progress, row.phrase))
        job.progress(80, "İkinci adım bitti.")
        return {"toplam": 2, "vkn": job.params["vkn"]}

    register_kind("deneme.iki_adim", handler)
    with app.app_context():
        job_id = submit("deneme.iki_adim", taxpayer.id, "İki Adımlı Deneme", {"vkn": taxpayer.identifier}).id

    assert seen_while_running == [(JobStatus.CALISIYOR, 30, "Birinci adım bitti.")]
    job = read_job(app, job_id)
    assert (job.status, job.progress, job.result) == (JobStatus.TAMAMLANDI, 100, {"toplam": 2, "vkn": taxpayer.identifier})
    assert job.attempts == 1 and job.error is None
    assert job.created_at <= job.started_at <= job.finished_at
    assert audit_actions(db_session, job_id) == ["is_siraya_alindi", "is_tamamlandi"]


def test_a_refusal_ends_the_job_with_its_message_as_is(app, db_session, taxpayer_factory):
    taxpayer = taxpayer_factory()
    with app.app_context():
        job_id = submit("deneme.ret", taxpayer.id, "Reddedilecek").id
    job = read_job(app, job_id)
    assert job.status is JobStatus.HATA
    assert job.error == "Deneme reddi: bu dönem için defter zaten oluşturulmuş."
    assert job.result is None and job.progress == 50 and job.finished_at is not None
    assert audit_actions(db_session, job_id) == ["is_siraya_alindi", "is_basarisiz"]


def test_an_unexpected_error_says_so_in_turkish_and_keeps_details_in_the_log(
    app, taxpayer_factory, register_kind, caplog
):
    def handler(job: JobContext) -> dict:
        raise KeyError("/srv/gizli/ayrinti.xml")

    register_kind("deneme.bozuk", handler)
    taxpayer = taxpayer_factory()
    with caplog.at_level(logging.ERROR, logger="app.jobs.runner"), app.app_context():
        job_id = submit("deneme.bozuk", taxpayer.id, "Bozuk").id
    job = read_job(app, job_id)
    assert job.status is JobStatus.HATA
    assert job.error == UNEXPECTED and job.error.startswith("Beklenmeyen bir hata oluştu")
    assert "/srv/gizli" not in job.error
    assert "/srv/gizli/ayrinti.xml" in caplog.text  # the details are in the log only


def test_a_job_delivered_twice_does_its_work_once(app, taxpayer_factory, register_kind):
    runs: list[int] = []

    def handler(job: JobContext) -> dict:
        runs.append(job.job_id)
        current_engine().enqueue(job.job_id)  # a second delivery while the first is running
        return {"calisma": len(runs)}

    register_kind("deneme.bir_kez", handler)
    taxpayer = taxpayer_factory()
    with app.app_context():
        job_id = submit("deneme.bir_kez", taxpayer.id, "Bir Kez").id
        finished = read_job(app, job_id)
        current_engine().enqueue(job_id)  # and a third after it finished
    assert runs == [job_id]
    job = read_job(app, job_id)
    assert (job.status, job.attempts, job.result) == (JobStatus.TAMAMLANDI, 1, {"calisma": 1})
    assert job.finished_at == finished.finished_at  # a finished job is never redone


@pytest.mark.parametrize("params", [
    {"pin": "123456"},
    {"PIN": "123456"},
    {"kart_pin": "123456"},
    {"kartPin": "123456"},
    {"imza": {"sifre": "x"}},
    {"Şifre": "x"},
    {"password": "x"},
    {"dosyalar": [{"ad": "a.xml", "parola": "x"}]},
])
def test_a_pin_never_enters_the_queue_or_the_table(app, db_session, taxpayer_factory, params):
    taxpayer = taxpayer_factory()
    with app.app_context(), pytest.raises(ValueError) as refused:
        submit("deneme.yavas", taxpayer.id, "PIN'li", params)
    assert "PIN veya şifre bulunamaz" in str(refused.value)
    assert "123456" not in str(refused.value)
    assert db_session.scalars(select(Job).where(Job.taxpayer_id == taxpayer.id)).all() == []


def test_harmless_keys_that_look_like_pin_are_accepted(app, taxpayer_factory):
    taxpayer = taxpayer_factory()
    with app.app_context():
        job = submit("deneme.yavas", taxpayer.id, "Zararsız", {"adim": 1, "bekleme": 0, "spinner": 1, "pinned": True})
    assert read_job(app, job.id).status is JobStatus.TAMAMLANDI


def test_the_same_submission_twice_gives_the_same_job(app, db_session, taxpayer_factory):
    first, second = taxpayer_factory(), taxpayer_factory()
    with app.app_context():
        one = submit("deneme.yavas", first.id, "Aynı", {"adim": 1, "bekleme": 0}, idempotency_key="defter-2026-01")
        again = submit("deneme.yavas", first.id, "Aynı", {"adim": 1, "bekleme": 0}, idempotency_key="defter-2026-01")
        other = submit("deneme.yavas", second.id, "Aynı", {"adim": 1, "bekleme": 0}, idempotency_key="defter-2026-01")
    assert one.id == again.id != other.id
    assert len(db_session.scalars(select(Job).where(Job.taxpayer_id == first.id)).all()) == 1
    assert audit_actions(db_session, one.id) == ["is_siraya_alindi", "is_tamamlandi"]
    assert read_job(app, one.id).attempts == 1


def test_gib_away_is_retried_a_bounded_number_of_times(app, taxpayer_factory, register_kind):
    settings = app.extensions["ebelge.jobs"].settings
    settings["retry_delay"] = 0  # immediate mode: the retry runs at once
    attempts: list[int] = []

    def flaky(job: JobContext) -> dict:
        attempts.append(job.attempt)
        if job.attempt < 3:
            raise GibUnavailable("http://127.0.0.1:9")
        return {"deneme": job.attempt}

    def never(job: JobContext) -> dict:
        raise GibUnavailable("http://127.0.0.1:9")

    register_kind("deneme.sonunda", flaky)
    register_kind("deneme.hic", never)
    taxpayer = taxpayer_factory()
    with app.app_context():
        recovered = submit("deneme.sonunda", taxpayer.id, "Sonunda").id
        given_up = submit("deneme.hic", taxpayer.id, "Hiç").id
    assert attempts == [1, 2, 3]
    assert read_job(app, recovered).result == {"deneme": 3}
    job = read_job(app, given_up)
    assert (job.status, job.attempts) == (JobStatus.HATA, settings["max_attempts"])
    assert job.error.startswith("GİB servisine ulaşılamıyor (http://127.0.0.1:9).")


def test_an_unreachable_queue_marks_the_job_failed_with_a_message(jobs_app_with, taxpayer_factory_for):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there
    app = jobs_app_with(JOBS_URL=f"redis://127.0.0.1:{port}/0")
    taxpayer = taxpayer_factory_for(app)
    with app.app_context():
        job_id = submit("deneme.yavas", taxpayer.id, "Kuyruksuz").id
    job = read_job(app, job_id)
    assert job.status is JobStatus.HATA
    assert job.error.startswith("İşlem sıraya alınamadı: iş kuyruğuna ulaşılamıyor.")


def _running_job(db_session, taxpayer, worker_id: str, heartbeat_age: timedelta, attempts: int = 1) -> Job:
    now = utcnow()
    job = Job(taxpayer_id=taxpayer.id, kind="deneme.yavas", title="Yarım Kalan", params={"adim": 2, "bekleme": 0},
              status=JobStatus.CALISIYOR, progress=40, phrase="Adım 2/5 tamamlandı.", attempts=attempts,
              worker_id=worker_id, heartbeat_at=now - heartbeat_age, started_at=now - heartbeat_age)
    db_session.add(job)
    db_session.commit()
    return job


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_job_left_running_by_a_dead_worker_is_done_again(app, db_session, taxpayer_factory):
    taxpayer = taxpayer_factory()
    host = socket.gethostname()
    silent = _running_job(db_session, taxpayer, "baska-sunucu:4242:Worker-1", timedelta(minutes=10))
    killed = _running_job(db_session, taxpayer, f"{host}:{_dead_pid()}:Worker-1", timedelta(seconds=1))
    alive = _running_job(db_session, taxpayer, f"{host}:{os.getpid()}:Worker-1", timedelta(seconds=1))
    with app.app_context():
        recovery = recover_stale_jobs()
    assert sorted(recovery.requeued) == sorted([silent.id, killed.id]) and recovery.failed == []
    for job_id in (silent.id, killed.id):
        job = read_job(app, job_id)  # re-queued and, in immediate mode, done again from the start
        assert (job.status, job.attempts, job.result) == (JobStatus.TAMAMLANDI, 2, {"adim": 2, "deneme": 2})
    untouched = read_job(app, alive.id)
    assert (untouched.status, untouched.progress, untouched.attempts) == (JobStatus.CALISIYOR, 40, 1)


def test_a_job_out_of_attempts_ends_failed_and_shows_nothing_half_done(app, db_session, taxpayer_factory):
    taxpayer = taxpayer_factory()
    max_attempts = app.extensions["ebelge.jobs"].settings["max_attempts"]
    job = _running_job(db_session, taxpayer, "baska-sunucu:4242:Worker-1", timedelta(minutes=10), max_attempts)
    with app.app_context():
        assert recover_stale_jobs().failed == [job.id]
    failed = read_job(app, job.id)
    assert (failed.status, failed.error, failed.result) == (JobStatus.HATA, ABANDONED, None)
    assert audit_actions(db_session, job.id) == ["is_basarisiz"]
