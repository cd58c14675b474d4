"""Two uploads stored at the same moment for one taxpayer (both databases, real transactions): the kontör is never
overspent, every stored document has its movement and every charged unit its document."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from app.archive.operations import start_import
from app.formats.ubl import PartyDetails
from app.models import ArchivedDocument, KontorMovement, KontorPackage, Taxpayer
from app.models.kontor import MovementKind
from app.unit_of_work import unit_of_work
from tests.archive import corpus
from tests.archive.conftest import activate_saklama, give_kontor
from tests.fixtures.portal import run_together


def test_two_uploads_at_once_spend_the_last_units_once(real_app, demo_pki):
    ege = demo_pki.token("ege")
    documents = corpus.invoices(demo_pki, "anadolu", PartyDetails(ege.owner_id, ege.owner_name), 10, prefix="YRS")
    zips = [corpus.zip_bytes([(f"{n}.xml", d) for n, d in enumerate(documents[half::2])]) for half in (0, 1)]
    with real_app.app_context():
        with unit_of_work() as work:
            taxpayer = Taxpayer(identifier="4821307561", unvan="Anadolu Tekstil")
            work.session.add(taxpayer)
        activate_saklama(work.session, taxpayer)
    give_kontor(real_app, taxpayer, 4, days=3)
    give_kontor(real_app, taxpayer, 3, days=30)

    def store(data: bytes):
        with real_app.app_context():
            return start_import(taxpayer, "yaris.zip", io.BytesIO(data)).id

    results = run_together(*[lambda data=data: store(data) for data in zips])

    assert all(isinstance(r, int) for r in results), results
    with real_app.app_context():
        with unit_of_work(write=False) as work:
            session = work.session
            stored = session.scalar(select(func.count()).select_from(ArchivedDocument))
            used = session.scalars(select(KontorMovement).where(KontorMovement.kind == MovementKind.KULLANIM)).all()
            assert stored == 7 and len(used) == 7 and sum(m.amount for m in used) == 7
            assert {m.document_id for m in used} == set(session.scalars(select(ArchivedDocument.id)))
            assert session.scalar(select(func.sum(KontorPackage.remaining))) == 0
