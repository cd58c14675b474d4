"""The job engine's wiring: one Huey instance per Flask app, built from JOBS_URL, with the portal's tasks.

Huey carries only a job's id; the ``job`` row holds everything a person sees. Two tasks are registered
on each instance: ``is_calistir`` (run one job through ``app.jobs.runner``) and, every minute on the
workers, ``yarim_kalan_isler`` (take back jobs a dead worker left running: ``app.jobs.recovery``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, crontab
from huey.api import TaskWrapper
from huey.storage import SqliteStorage

from app.config import ConfigError
from app.jobs.kinds import JobKind, installed_kinds

log = logging.getLogger(__name__)

EXTENSION = "ebelge.jobs"
IMMEDIATE = "immediate"


class _SqliteQueue(SqliteStorage):
    """Huey's SQLite storage, opening (and creating) its file on first use rather than in the factory."""

    def __init__(self, name: str = "huey", filename: str = "jobs.sqlite3", **kwargs: Any) -> None:
        super().__init__(name, filename=filename, create_tables=False, **kwargs)

    def _create_connection(self) -> Any:
        Path(self.filename).parent.mkdir(parents=True, exist_ok=True)
        connection = super()._create_connection()
        connection.execute(self.begin_sql)
        for statement in self.ddl:
            connection.execute(statement)
        connection.execute("commit")
        return connection


class _SqliteHuey(Huey):
    storage_class = _SqliteQueue


@dataclass
class JobEngine:
    huey: Huey
    kinds: dict[str, JobKind]
    run_task: TaskWrapper
    settings: dict[str, Any]

    def enqueue(self, job_id: int, delay: float | None = None) -> None:
        """Put the job's id on the queue (after ``delay`` seconds). Immediate mode runs it now."""
        if delay and not self.huey.immediate:
            self.run_task.schedule(args=(job_id,), delay=delay)
        else:
            self.run_task(job_id)

    def max_attempts(self, kind: str) -> int:
        known = self.kinds.get(kind)
        if known is not None and known.max_attempts is not None:
            return known.max_attempts
        return self.settings["max_attempts"]


def build_huey(url: str, name: str, instance_path: Path) -> Huey:
    """The queue JOBS_URL names: "" a SQLite file under instance/, "sqlite:///…", "redis://…", "immediate"."""
    url = (url or "").strip()
    if url == IMMEDIATE:
        return MemoryHuey(name, immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, results=False)
    if url == "":
        return _SqliteHuey(name, filename=str(instance_path / "jobs.sqlite3"), results=False)
    if url.startswith("sqlite:///"):
        return _SqliteHuey(name, filename=url.removeprefix("sqlite:///"), results=False)
    raise ConfigError(
        f"PORTAL_JOBS_URL '{url}' tanınmıyor: boş (instance/jobs.sqlite3), sqlite:///dosya, redis://sunucu:6379/0 "
        "veya immediate olmalı."
    )


def _register_tasks(huey: Huey, app: Flask) -> TaskWrapper:
    from app.jobs import recovery, runner

    @huey.task(name="is_calistir")
    def run_job(job_id: int) -> None:
        with app.app_context():
            runner.run(job_id)

    @huey.periodic_task(crontab(minute="*"), name="yarim_kalan_isler")
    def take_back_stale_jobs() -> None:
        with app.app_context():
            recovery.recover_stale_jobs()

    @huey.periodic_task(crontab(minute="*/5"), name="bekleyen_gib_onaylari")
    def check_pending_approvals() -> None:
        # Labels waiting for GİB become active even when nobody has Hizmet Aktivasyonu open.
        from app.integrator.approvals import start_all_due_checks

        with app.app_context():
            start_all_due_checks()

    @huey.periodic_task(crontab(hour="0", minute="5"), name="gunluk_kontor")
    def write_off_expired_kontor() -> None:
        # The daily write-off as a job of its own (visible under İşlemler); one per day whatever the workers.
        from app.jobs.submit import submit
        from app.kontor.operations import WRITE_OFF, daily_key

        with app.app_context():
            submit(WRITE_OFF.name, None, "Süresi dolan kontör paketleri", idempotency_key=daily_key())

    @huey.periodic_task(crontab(minute="*/5"), name="bekleyen_defter_gonderimleri")
    def send_due_berats() -> None:
        # A berat or DR that could not reach GİB is tried again with backoff, even when nobody watches the page.
        from app.edefter.sending.operations import retry_due_submissions

        with app.app_context():
            retry_due_submissions()

    @huey.periodic_task(crontab(hour="7", minute="0"), name="berat_suresi_uyarilari")
    def raise_deadline_warnings() -> None:
        # Once a day: warn about berat deadlines that are near or past (SPEC D11).
        from app.edefter.deadlines.warnings import raise_daily_warnings

        with app.app_context():
            raise_daily_warnings()

    return run_job


def init_app(app: Flask) -> None:
    config = app.config
    huey = build_huey(config["JOBS_URL"], config["JOBS_QUEUE"], Path(app.instance_path))
    settings = {
        "max_attempts": max(1, config["JOBS_MAX_ATTEMPTS"]),
        "retry_delay": max(0, config["JOBS_RETRY_DELAY_SECONDS"]),
        "heartbeat": max(0, config["JOBS_HEARTBEAT_SECONDS"]),
        "stale": max(1, config["JOBS_STALE_SECONDS"]),
    }
    app.extensions[EXTENSION] = JobEngine(huey, installed_kinds(app), _register_tasks(huey, app), settings)


def current_engine() -> JobEngine:
    return current_app.extensions[EXTENSION]
