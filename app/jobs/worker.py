"""The worker process: ``python -m app.jobs.worker [--workers N]`` (or ``flask --app wsgi jobs worker``).

It builds the portal with ``create_app()`` (the same PORTAL_* settings as the web), takes back the jobs
a dead worker left running, queues again jobs whose message was lost, then runs Huey's consumer with N
worker threads. Ctrl+C stops it after the running jobs end; a kill leaves them to the next start.
"""

from __future__ import annotations

import argparse
import logging
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

log = logging.getLogger(__name__)

jobs_cli = AppGroup("jobs", help="Arka plan işleri (Huey).")


def run_worker(app: Flask, workers: int = 1, max_delay: float = 1.0) -> None:
    from app.jobs import recovery
    from app.jobs.engine import current_engine

    with app.app_context():
        huey = current_engine().huey
        if huey.immediate:
            raise SystemExit("PORTAL_JOBS_URL=immediate iken işçi çalıştırılamaz: işler zaten isteğin içinde yapılır.")
        taken_back = recovery.recover_stale_jobs()
        queued_again = recovery.requeue_waiting()
    log.info("İşçi başlıyor: kuyruk %s (%s), %s iş parçacığı; yeniden sıraya alınan %s, hata verilen %s, "
             "kaybolmuş mesajı yeniden kuyruğa konan %s", huey.name, type(huey.storage).__name__, workers,
             taken_back.requeued, taken_back.failed, queued_again)
    consumer = huey.create_consumer(workers=workers, worker_type="thread", max_delay=max_delay, periodic=True)
    consumer.run()


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")


@jobs_cli.command("worker")
@click.option("--workers", default=1, show_default=True, help="Aynı anda çalışan iş sayısı.")
def worker_command(workers: int) -> None:
    """Run the background worker (same as python -m app.jobs.worker)."""
    configure_logging()
    run_worker(current_app._get_current_object(), workers)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.jobs.worker",
                                     description="e-Belge Portalı arka plan işçisi (Huey).")
    parser.add_argument("--workers", type=int, default=1, help="aynı anda çalışan iş sayısı (varsayılan 1)")
    parser.add_argument("--max-delay", type=float, default=1.0,
                        help="kuyruk boşken en fazla kaç saniyede bir bakılır (SQLite kuyruğu; varsayılan 1)")
    args = parser.parse_args(argv)
    configure_logging()
    from app import create_app

    run_worker(create_app(), max(1, args.workers), args.max_delay)


if __name__ == "__main__":
    main()
