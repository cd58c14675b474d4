"""Helpers for job tests: read a job, wait for a condition, log a client in, and real worker processes
(``python -m app.jobs.worker``) beside a portal that is not the rolled-back test app."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.identifiers import make_vkn
from app.models import Job, Taxpayer

ROOT = Path(__file__).resolve().parents[2]


def read_job(app: Flask, job_id: int) -> Job:
    """The job as the database has it now, read on a session of its own."""
    with app.extensions["ebelge.db"].sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def wait_for(condition: Callable[[], Any], timeout: float, what: str, log: Path | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    details = f"\n--- worker log ---\n{log.read_text(errors='replace')}" if log and log.exists() else ""
    pytest.fail(f"{what}: {timeout} s içinde olmadı.{details}")


def log_in(app: Flask, client: FlaskClient, taxpayer: Taxpayer) -> None:
    """Log a test client in as the holder of the taxpayer's own card, on a portal that is not the rolled-back
    test app."""
    from tests.fixtures.persons import log_client_in, person_of

    with app.extensions["ebelge.db"].sessions() as session:
        person = person_of(session, taxpayer)
        session.expunge(person)
    log_client_in(app, client, person)


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is cleaned up, as when the power goes."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # graceful: running jobs end first
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@dataclass
class Portal:
    """The portal (not immediate) and the settings its workers start with."""

    app: Flask
    env: dict[str, str]
    queue: str
    tmp: Path
    workers: list[Worker] = field(default_factory=list)

    def taxpayer(self, unvan: str = "İŞÇİ TESTİ A.Ş.") -> Taxpayer:
        with self.app.extensions["ebelge.db"].sessions() as session:
            taxpayer = Taxpayer(identifier=make_vkn(str(uuid.uuid4().int % 900_000_000 + 100_000_000)), unvan=unvan)
            session.add(taxpayer)
            session.commit()
            session.expunge(taxpayer)
            return taxpayer

    def submit(self, kind: str, taxpayer: Taxpayer, params: dict[str, Any] | None = None) -> int:
        from app.jobs import submit

        with self.app.app_context():
            return submit(kind, taxpayer.id, f"Deneme: {kind}", params).id

    def start_worker(self, *args: str, **env: str) -> Worker:
        log = self.tmp / f"worker-{len(self.workers) + 1}.log"
        with log.open("wb") as output:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(
                [sys.executable, "-m", "app.jobs.worker", *args], cwd=ROOT, env={**self.env, **env},
                stdout=output, stderr=subprocess.STDOUT,
            )
        worker = Worker(process, log)
        self.workers.append(worker)
        return worker

    def job(self, job_id: int) -> Job:
        return read_job(self.app, job_id)
