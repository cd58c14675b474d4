"""Two "Tamam" clicks with the same confirmation form at the same moment: one signed request reaches GİB."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.cards import CardChoice
from app.db import get_session
from app.gib.simulator.models import LabelRequest
from app.integrator import operations
from app.models import Taxpayer
from app.models.service import RequestStatus, ServiceRequest
from app.unit_of_work import unit_of_work
from tests.fixtures.gib import gib_seal_settings
from tests.fixtures.portal import run_together
from tests.integrator.conftest import APPLICATION


def test_two_simultaneous_tamam_send_one_request(real_app, demo_pki, gib_simulator_factory):
    gib = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki))
    real_app.config["GIB_URL"] = gib.base_url
    token = demo_pki.token("anadolu")
    card = CardChoice("SoftHSM", demo_pki.module_path, token.label)
    with real_app.app_context():
        with unit_of_work() as work:
            work.session.add(Taxpayer(identifier=token.owner_id, unvan=token.owner_name))
        taxpayer = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == token.owner_id))
        labels = operations.add_labels(taxpayer, "efatura", "default", "anadolutekstil.com.tr")
        ids = [labels[0].id, labels[1].id]
        plan = operations.OpeningPlan(tuple(ids), None, "yeni", operations.rules.application_fields(**APPLICATION))
    submission = str(uuid.uuid4())

    def tamam():
        with real_app.app_context():
            return operations.open_labels(taxpayer, plan, submission, card, token.pin).id

    first, second = run_together(tamam, tamam)
    assert first == second, (first, second)
    with real_app.app_context():
        requests = get_session().scalars(select(ServiceRequest)).all()
        assert len(requests) == 1 and requests[0].status is RequestStatus.TAMAMLANDI
    session = gib.app.extensions["gib_simulator"].sessions()
    try:
        assert len(session.scalars(select(LabelRequest)).all()) == 1
    finally:
        session.close()
