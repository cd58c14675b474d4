"""One unit of work per operation: its changes and its audit entry commit together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.identifiers import make_vkn
from app.models import AuditEvent, Taxpayer
from app.refusals import Refused
from app.unit_of_work import SYSTEM_ACTOR, unit_of_work


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_success_commits_the_change_and_its_audit_entry(app, db_session):
    with app.app_context():
        with unit_of_work() as work:
            taxpayer = Taxpayer(identifier=make_vkn("610000001"), unvan="BİRİM A.Ş.")
            work.session.add(taxpayer)
            work.session.flush()
            entry = work.record("mukellef_eklendi", taxpayer_id=taxpayer.id)
    assert db_session.get(Taxpayer, taxpayer.id) is not None
    stored = db_session.get(AuditEvent, entry.id)
    assert stored.taxpayer_id == taxpayer.id and stored.actor == SYSTEM_ACTOR


def test_a_refusal_rolls_back_the_change_and_the_audit_entry(app, db_session):
    taxpayers, events = count(db_session, Taxpayer), count(db_session, AuditEvent)
    effects = []
    with app.app_context(), pytest.raises(Refused, match="kural"):
        with unit_of_work() as work:
            taxpayer = Taxpayer(identifier=make_vkn("610000002"), unvan="GERİ ALINAN A.Ş.")
            work.session.add(taxpayer)
            work.session.flush()
            work.record("mukellef_eklendi", taxpayer_id=taxpayer.id)
            work.after_commit(lambda: effects.append("gönderildi"))
            raise Refused("Bir kural izin vermedi.")
    db_session.expire_all()
    assert (count(db_session, Taxpayer), count(db_session, AuditEvent)) == (taxpayers, events)
    assert effects == []  # side effects wait for a commit that never came


def test_side_effects_run_after_the_commit(app, db_session):
    seen = []
    with app.app_context():
        with unit_of_work() as work:
            taxpayer = Taxpayer(identifier=make_vkn("610000003"), unvan="SONRA A.Ş.")
            work.session.add(taxpayer)

            def effect() -> None:
                seen.append(db_session.scalar(select(Taxpayer.id).where(Taxpayer.unvan == "SONRA A.Ş.")))

            work.after_commit(effect)
            assert seen == []
    assert seen == [taxpayer.id]  # the effect already sees the committed row


def test_the_logged_in_taxpayer_is_the_actor_of_a_web_request(app, client, taxpayer_factory, login_as, db_session):
    taxpayer = taxpayer_factory(unvan="İŞLEM YAPAN A.Ş.")
    db_session.commit()
    login_as(taxpayer)
    response = client.post("/edefter/subeler", data={"sube_kodu": "0001", "sube_adi": "İzmir"})
    assert response.status_code == 303
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "edefter_sube_eklendi")).one()
    assert event.actor == f"{taxpayer.identifier} İŞLEM YAPAN A.Ş."
