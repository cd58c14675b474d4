"""The creation and finishing jobs through a real worker process (``python -m app.jobs.worker``): SQLite database
with the SQLite queue, PostgreSQL with Redis. The PIN never reaches the queue or the job table."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.edefter.creation import operations
from app.edefter.creation.demo import ENTRY_COUNT, load_demo_journal
from app.models import DefterCreation, DefterFile, Job, JournalPeriodState, Taxpayer
from app.models.defter_file import CreationState
from tests.fixtures.gib import gib_seal_settings
from tests.jobs.conftest import portal  # noqa: F401  (the real-worker portal factory)
from tests.jobs.workers import wait_for


def test_a_worker_prepares_and_finishes_a_period_signed_in_between(portal, demo_pki, gib_simulator_factory):  # type: ignore[no-untyped-def]
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki))
    site = portal(GIB_URL=simulator.base_url, SOFTHSM2_CONF=str(demo_pki.softhsm_conf),
                  TRUST_ANCHORS=str(demo_pki.ca_cert_path), EDEFTER_PART_MAX_KB=64)
    token = demo_pki.token("anadolu")
    sessions = site.app.extensions["ebelge.db"].sessions
    with sessions() as session:
        taxpayer = Taxpayer(identifier=token.owner_id, unvan=token.owner_name)
        session.add(taxpayer)
        session.flush()
        list(load_demo_journal(session, taxpayer, 2024))
        session.commit()
    worker = site.start_worker()
    with site.app.app_context():
        taxpayer = operations.get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == token.owner_id))
        period = operations.find_period(taxpayer, 2024, 1)
        prepare_id = operations.start_creation(taxpayer, period).id
    wait_for(lambda: site.job(prepare_id).status.value == "tamamlandi", 120, "oluşturma işi bitmedi", worker.log)

    with site.app.app_context():
        session = operations.get_session()
        taxpayer = session.scalar(select(Taxpayer).where(Taxpayer.identifier == token.owner_id))
        period = operations.find_period(taxpayer, 2024, 1)
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
