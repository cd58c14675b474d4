"""The creation and finishing jobs through a real worker process (``python -m app.jobs.worker``): SQLite database
with the SQLite queue, PostgreSQL with Redis. The PIN never reaches the queue or the job table."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.edefter.creation import operations
from app.edefter.creation.demo import ENTRY_COUNT
from app.models import DefterCreation, DefterFile, Job, JournalPeriodState
from app.models.defter_file import CreationState
from tests.edefter_creation.worker_site import january, simulator_for, site_with_demo_month
from tests.jobs.conftest import portal  # noqa: F401  (the real-worker portal factory)
from tests.jobs.workers import wait_for


def test_a_worker_prepares_and_finishes_a_period_signed_in_between(portal, demo_pki, gib_simulator_factory):  # type: ignore[no-untyped-def]
    site, token, worker = site_with_demo_month(portal, demo_pki, simulator_for(gib_simulator_factory, demo_pki))
    sessions = site.app.extensions["ebelge.db"].sessions
    with site.app.app_context():
        taxpayer, period = january(token)
        creation = operations.sign_period(taxpayer, period, demo_pki.module_path, token.label, token.pin)
        assert creation.state is CreationState.SIGNING  # the card's part is done; the big files are the job's
        finish_id = creation.job_id
    assert finish_id is not None
    wait_for(lambda: site.job(finish_id).status.value == "tamamlandi", 120, "imza tamamlama işi bitmedi", worker.log)

    with sessions() as session:
        creation = session.scalar(select(DefterCreation))
        assert creation.state is CreationState.SIGNED and creation.entry_count == ENTRY_COUNT
        assert session.get(type(period), creation.period_id).state is JournalPeriodState.SIGNED
        files = session.scalars(select(DefterFile)).all()
        assert files and all(f.signed_key and f.verification_ok and f.signature_xml is None for f in files)
        for job in session.scalars(select(Job)).all():
            assert token.pin not in json.dumps(job.params) and token.pin not in (job.phrase or "")
    assert token.pin not in worker.log.read_text(errors="replace")
