"""The demo: each demo company has its yearly kontör package, MB for the e-Defter Arşivi and an active e-Fatura
Saklama label, once."""

from __future__ import annotations

from sqlalchemy import select

from app.archive.demo import DEMO_MB, DEMO_UNITS, load_demo_storage
from app.models import KontorPackage, KontorUnit, LabelStatus, ServiceLabel


def test_demo_storage_is_ready_and_idempotent(app, db_session, party):
    companies = [party("anadolu").taxpayer, party("ege").taxpayer, party("ayse").taxpayer]
    db_session.commit()
    with app.app_context():
        first = list(load_demo_storage(companies))
        second = list(load_demo_storage(companies))

    assert len(first) == 6 and second == []
    packages = db_session.scalars(select(KontorPackage)).all()
    assert sorted(p.taxpayer_id for p in packages) == sorted([companies[0].id, companies[1].id] * 2)
    assert {p.unit: p.remaining for p in packages if p.taxpayer_id == companies[0].id} == {
        KontorUnit.ADET: DEMO_UNITS, KontorUnit.MB: DEMO_MB}
    labels = db_session.scalars(select(ServiceLabel).where(ServiceLabel.kind == "efatura_saklama")).all()
    assert {l.taxpayer_id for l in labels} == {companies[0].id, companies[1].id}
    assert all(l.status is LabelStatus.AKTIF for l in labels)
