"""A portal with a real worker process and Anadolu's demo journal, the way the worker tests of creation and sending
both begin: the month prepared by the worker's job."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.edefter.creation import operations
from app.edefter.creation.demo import load_demo_journal
from app.models import JournalPeriod, Taxpayer
from tests.fixtures.gib import gib_seal_settings
from tests.jobs.workers import wait_for


def site_with_demo_month(portal: Any, demo_pki: Any, simulator: Any) -> tuple[Any, Any, Any]:
    """(site, token, worker): Anadolu with the demo journal of 2024, the worker started, January prepared."""
    site = portal(GIB_URL=simulator.base_url, SOFTHSM2_CONF=str(demo_pki.softhsm_conf),
                  TRUST_ANCHORS=str(demo_pki.ca_cert_path), EDEFTER_PART_MAX_KB=64)
    token = demo_pki.token("anadolu")
    with site.app.extensions["ebelge.db"].sessions() as session:
        taxpayer = Taxpayer(identifier=token.owner_id, unvan=token.owner_name)
        session.add(taxpayer)
        session.flush()
        list(load_demo_journal(session, taxpayer, 2024))
        session.commit()
    worker = site.start_worker()
    with site.app.app_context():
        taxpayer, period = january(token)
        prepare_id = operations.start_creation(taxpayer, period).id
    wait_for(lambda: site.job(prepare_id).status.value == "tamamlandi", 120, "oluşturma işi bitmedi", worker.log)
    return site, token, worker


def january(token: Any) -> tuple[Taxpayer, JournalPeriod]:
    """Inside an app context: the token's taxpayer and its January 2024."""
    taxpayer = operations.get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == token.owner_id))
    return taxpayer, operations.find_period(taxpayer, 2024, 1)


def simulator_for(gib_simulator_factory: Any, demo_pki: Any) -> Any:
    return gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki))
