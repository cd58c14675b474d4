"""The approval check through a real worker process (``python -m app.jobs.worker``): SQLite with the SQLite queue,
PostgreSQL with Redis. The request only queues; the worker asks GİB; the polling row shows the approval."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from app.cards import CardChoice
from app.db import get_session
from app.integrator import operations, rules
from app.models import Taxpayer
from app.models.service import RequestStatus, ServiceRequest
from app.unit_of_work import unit_of_work
from tests.fixtures.gib import gib_seal_settings
from tests.integrator.conftest import APPLICATION
from tests.jobs.conftest import portal  # noqa: F401  (the real-worker portal fixture)
from tests.jobs.workers import log_in, wait_for


def test_a_worker_asks_gib_and_the_polling_row_turns_active(portal, demo_pki, gib_simulator_factory):  # noqa: F811
    gib = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki),
                                approval_delay_seconds=2)
    site = portal(GIB_URL=gib.base_url, TRUST_ANCHORS=str(demo_pki.ca_cert_path),
                  SOFTHSM2_CONF=str(demo_pki.softhsm_conf))
    token = demo_pki.token("anadolu")
    with site.app.app_context():
        with unit_of_work() as work:
            work.session.add(Taxpayer(identifier=token.owner_id, unvan=token.owner_name))
        taxpayer = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == token.owner_id))
        labels = operations.add_labels(taxpayer, "efatura", "default", "anadolutekstil.com.tr")
        plan = operations.OpeningPlan((labels[0].id, labels[1].id), None, "yeni",
                                      rules.application_fields(**APPLICATION))
        request = operations.open_labels(taxpayer, plan, str(uuid.uuid4()),
                                         CardChoice("SoftHSM", demo_pki.module_path, token.label), token.pin)
        get_session().refresh(taxpayer)
        get_session().expunge(taxpayer)
    assert request.status is RequestStatus.ONAY_BEKLIYOR  # nothing ran in the request: the check is queued
    worker = site.start_worker()
    client = site.app.test_client()
    log_in(site.app, client, taxpayer)
    page = client.get(f"/yonetim/hizmet-aktivasyonu/talep/{request.id}").get_data(as_text=True)
    row_url = re.search(r'hx-get="([^"]+)" hx-trigger="every 2s"', page).group(1)

    def approved() -> str | None:
        row = client.get(row_url, headers={"HX-Request": "true"}).get_data(as_text=True)
        return row if "Hizmet Aktifleştirilmiştir" in row else None

    row = wait_for(approved, 40, "onay gelmedi", worker.log)
    assert "hx-trigger" not in row
    with site.app.app_context():
        done = get_session().get(ServiceRequest, request.id)
        assert done.status is RequestStatus.TAMAMLANDI and done.checked_at is not None
