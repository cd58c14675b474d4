"""Two workers run the daily warnings at the same moment on a real database (committed, not rolled back): each
period's warning exists once, with one audit entry."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select

from app.db import get_session
from app.edefter.deadlines.warnings import raise_daily_warnings
from app.identifiers import make_vkn
from app.migrate import upgrade
from app.models import AuditEvent, Taxpayer
from app.models.deadline_warning import DeadlineWarning
from app.unit_of_work import unit_of_work
from tests.conftest import make_test_app
from tests.edefter_deadlines.conftest import settings_row

DAY = date(2026, 12, 8)


def test_two_workers_at_once_raise_each_warning_once(empty_database_url, tmp_path):
    upgrade(empty_database_url)
    workers = [make_test_app(empty_database_url, tmp_path / f"worker-{n}") for n in range(2)]
    try:
        with workers[0].app_context():
            with unit_of_work() as work:
                for identifier in ("4821307561", make_vkn("123456789")):
                    taxpayer = Taxpayer(identifier=identifier, unvan=f"ŞİRKET {identifier}")
                    work.session.add(taxpayer)
                    work.session.flush()
                    work.session.add(settings_row(taxpayer, first_use=date(2026, 6, 1)))
        start, results, failures = threading.Barrier(2), [], []

        def run(app) -> None:  # type: ignore[no-untyped-def]
            try:
                with app.app_context():
                    start.wait(5)
                    results.append(raise_daily_warnings(DAY).raised)
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        threads = [threading.Thread(target=run, args=(app,)) for app in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert failures == []
        assert sorted(results) in ([0, 6], [1, 5], [2, 4], [3, 3])  # however the two shared the work: six in all
        with workers[0].app_context():
            session = get_session()
            assert session.scalar(select(func.count()).select_from(DeadlineWarning)) == 6
            assert session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "berat_suresi_uyarisi")) == 6
    finally:
        for app in workers:
            app.extensions["ebelge.db"].engine.dispose()
