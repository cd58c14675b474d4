"""The demo's office: Anadolu and Ege authorised the demo accountant (Ayşe Yılmaz, e-imza) with signed documents."""

from __future__ import annotations

from sqlalchemy import select

from app.cards import trust_anchors
from app.demo import load_demo_data
from app.models import Authorisation, AuthorisationRole, Person
from app.signing.verify import verify_signed_xml
from tests.authorisations.conftest import text
from tests.fixtures.persons import log_client_in


def test_the_demo_office_has_two_clients_authorised_and_accepted(app, client, gib_simulator, db_session):
    app.config["GIB_URL"] = gib_simulator.base_url
    with app.app_context():
        first = list(load_demo_data())
        second = list(load_demo_data())
    assert "Yetkilendirme eklendi: Anadolu Tekstil Sanayi ve Ticaret A.Ş. → Ayşe Yılmaz (Mali Müşavir)" in first
    assert "Demo yetkilendirmeler zaten var." in second
    granted = db_session.scalars(select(Authorisation).order_by(Authorisation.id)).all()
    assert [(a.taxpayer.identifier, a.role, a.accepted_at is not None) for a in granted] == [
        ("4821307561", AuthorisationRole.MALI_MUSAVIR, True), ("6132704183", AuthorisationRole.MALI_MUSAVIR, True)]
    with app.app_context():
        for authorisation in granted:
            check = verify_signed_xml(authorisation.document_xml, trust_anchors(),
                                      expected_owner_id=authorisation.taxpayer.identifier)
            assert check.ok, check.message

    log_client_in(app, client, db_session.scalars(select(Person).where(Person.identifier == "34721590854")).one())
    home = text(client.get("/"))
    assert "Mükelleflerim" in home and "Anadolu Tekstil" in home and "Ege Gıda" in home
