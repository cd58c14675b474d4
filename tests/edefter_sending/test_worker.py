"""The sending job through a real worker process (SQLite queue with SQLite, Redis with PostgreSQL): GİB away on
the first take, the periodic retry sends the rest later; every file approved once; the period GİB Onaylandı."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.db import utcnow
from app.edefter.creation import operations
from app.edefter.sending import operations as sending
from app.models import DefterSubmission, Job, JournalPeriod, JournalPeriodState
from app.models.defter_submission import SubmissionState
from tests.edefter_creation.worker_site import january, simulator_for, site_with_demo_month
from tests.fixtures.gib import gib_seal_settings, new_key
from tests.jobs.conftest import portal  # noqa: F401  (the real-worker portal factory)
from tests.jobs.workers import wait_for


def test_a_worker_sends_a_period_and_the_periodic_retry_finishes_it(portal, demo_pki, gib_simulator_factory):  # type: ignore[no-untyped-def]
    simulator = simulator_for(gib_simulator_factory, demo_pki)
    token = demo_pki.token("anadolu")
    simulator.client.register_taxpayer(token.owner_id, token.owner_name, idempotency_key=new_key())
    site, token, worker = site_with_demo_month(portal, demo_pki, simulator)
    sessions = site.app.extensions["ebelge.db"].sessions
    with site.app.app_context():
        taxpayer, period = january(token)
        finish_id = operations.sign_period(taxpayer, period, demo_pki.module_path, token.label, token.pin).job_id
    wait_for(lambda: site.job(finish_id).status.value == "tamamlandi", 120, "imza tamamlama işi bitmedi", worker.log)

    # The worker's GİB address is fixed at its start: the portal sends, GİB is stopped for the first take.
    simulator.stop()
    with site.app.app_context():
        taxpayer, period = january(token)
        send_id = sending.start_sending(taxpayer, period, "Test").id
    wait_for(lambda: site.job(send_id).status.value == "tamamlandi", 120, "gönderim işi bitmedi", worker.log)
    with sessions() as session:
        first = session.scalars(select(DefterSubmission).order_by(DefterSubmission.id)).first()
        assert first.state is SubmissionState.WAITING and "ulaşılamadı" in first.gib_message
        session.execute(update(DefterSubmission).values(next_attempt_at=utcnow() - timedelta(seconds=1))
                        .where(DefterSubmission.id == first.id))
        session.commit()
    restarted = gib_simulator_factory(simulator.data, port=simulator.port, trust_anchors=demo_pki.trust_anchors(),
                                      seal=gib_seal_settings(demo_pki))
    assert restarted.base_url == simulator.base_url
    with site.app.app_context():
        assert sending.retry_due_submissions() == 1

    def all_approved() -> bool:
        with sessions() as session:
            period = session.scalar(select(JournalPeriod))
            return period.state is JournalPeriodState.APPROVED

    wait_for(all_approved, 120, "dönem GİB onaylı olmadı", worker.log)
    with sessions() as session:
        rows = session.scalars(select(DefterSubmission)).all()
        assert rows and all(row.state is SubmissionState.APPROVED and row.approved_key or row.kind.value == "DR"
                            for row in rows)
        assert len(session.scalars(select(Job).where(Job.kind == "edefter_gonderim")).all()) == 2
    assert len(restarted.client.period_berats(token.owner_id, "2024-01").berats) == len(rows) - 1
