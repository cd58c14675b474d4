"""The preparation through a real job worker (``python -m app.jobs.worker``): the worker makes the cards, and this
process (a gunicorn worker's stand-in) lists and signs with them; the worker reads the same training clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.models import KontorPackage, Trainee
from app.signing.act import signing_act
from app.signing.drivers import SOFTHSM_MODULE
from app.signing.tokens import list_tokens
from app.training import operations
from tests.jobs.conftest import portal  # noqa: F401  (the fixture: a portal with real workers)
from tests.jobs.workers import wait_for


def test_a_worker_prepares_the_cards_the_portal_uses(portal, demo_pki, training_simulator):  # noqa: F811
    running = portal(SOFTHSM2_CONF=str(demo_pki.softhsm_conf), TRUST_ANCHORS=str(demo_pki.ca_cert_path),
                     GIB_URL=training_simulator.base_url)
    app = running.app
    with app.app_context():
        clock.write_offset(clock.offset_path(app.instance_path), timedelta(days=3))
        moved_today = clock.today()
        training_class, job = operations.start_preparation("İşçi Sınıfı", 2)
        class_id, job_id = training_class.id, job.id
    worker = running.start_worker()
    done = wait_for(lambda: running.job(job_id).status.value in ("tamamlandi", "hata"), 120,
                    "hazırlık işi bitmedi", worker.log)
    assert done and running.job(job_id).status.value == "tamamlandi", running.job(job_id).error

    with app.app_context():
        from app.db import get_session

        session = get_session()
        trainees = session.scalars(select(Trainee).where(Trainee.class_id == class_id)).all()
        labels = {token.label for token in list_tokens(SOFTHSM_MODULE)}
        assert {t.token_label for t in trainees} <= labels
        for trainee in trainees:
            with signing_act(SOFTHSM_MODULE, trainee.token_label, trainee.card_pin,
                             expected_owner_id=trainee.identifier) as act:
                assert act is not None
        # The worker dated the kontör packages by the training clock this process set.
        starts = set(session.scalars(select(KontorPackage.starts_on).where(
            KontorPackage.taxpayer_id.in_([t.taxpayer_id for t in trainees]))))
        assert starts == {moved_today}
        clock.write_offset(clock.offset_path(app.instance_path), timedelta(0))
