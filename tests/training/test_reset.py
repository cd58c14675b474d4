"""Sınıfı Sıfırla (issue 18): after the trainees worked and the clock moved, one confirmed step brings back the
prepared state exactly — database rows, the clock, GİB (the simulator) and the cards — without a restart."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.models import AuditEvent, CancellationRequest, EdefterBranch, Invoice, Person, TrainingClass
from app.signing.act import signing_act
from app.signing.demo_pki import DEMO_SO_PIN
from app.signing.drivers import SOFTHSM_MODULE, pkcs11_lock
from app.signing.tokens import refresh_and_list
from tests.fixtures.gib import new_key, sign_as
from tests.gib.documents import application
from tests.training.helpers import prepare, snapshot, trainees
from tests.training.test_clock import log_in, move


def request_cancellation(client, trainee, invoice) -> None:
    from tests.iptal.conftest import draft_from

    confirm = client.post("/FaturaIptal/talep", data={"surucu": "SoftHSM", "kart": trainee.token_label,
                                                      "fatura_no": invoice.number, "tutar": f"{invoice.payable_amount:.2f}",
                                                      "islem_sahibi": "SATICI"})
    assert confirm.status_code == 200, confirm.get_data(as_text=True)[:1500]
    done = client.post("/FaturaIptal/talep/onayla", data={"taslak": draft_from(confirm.get_data(as_text=True)),
                                                           "sifre": trainee.card_pin})
    assert done.status_code == 303


def test_reset_restores_the_prepared_state(app, trainer_client, client, db_session, training_simulator):
    training_class = prepare(trainer_client, db_session, 3)
    people = trainees(db_session, training_class)
    prepared = snapshot(db_session, training_class)
    assert prepared["invoices"] and prepared["journal"] and prepared["kontor_packages"]
    assert {prepared["rows_per_table"][name] for name in ("edefter_settings", "journal_period", "kontor_package")} == {3}

    # The class works: a request, a branch, a login; the trainer moves the clock; a card's PIN is changed.
    seller = people[0]
    log_in(client, seller)
    invoice = db_session.scalars(select(Invoice).where(Invoice.sender_identifier == seller.identifier)
                                 .order_by(Invoice.issue_date.desc())).first()
    request_cancellation(client, seller, invoice)
    response = client.post("/edefter/subeler", data={"sube_kodu": "0001", "sube_adi": "İzmir"})
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    training_simulator.client.submit_efatura_application(
        sign_as_trainee(seller, application(identifier=seller.identifier, title=seller.unvan)), idempotency_key=new_key())
    assert training_simulator.client.find_taxpayer(seller.identifier).efatura_application is not None
    move(trainer_client, "+8")
    with pkcs11_lock():
        token = next(t for t in refresh_and_list(SOFTHSM_MODULE) if t.label == people[1].token_label)
        with token.open(rw=True, user_pin=people[1].card_pin) as session:
            session.set_pin(people[1].card_pin, "000000")
    db_session.expire_all()
    assert snapshot(db_session, training_class) != prepared
    audit_before = db_session.scalar(select(func.count()).select_from(AuditEvent))

    # Without the confirmation nothing happens.
    warned = trainer_client.post(f"/egitim/sinif/{training_class.id}/sifirla", data={}, follow_redirects=True)
    assert "onay kutusunu işaretleyiniz" in warned.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(CancellationRequest)) == 1

    done = trainer_client.post(f"/egitim/sinif/{training_class.id}/sifirla", data={"onay": "evet"},
                               follow_redirects=True)
    assert "Sınıf hazırlık hâline döndü." in done.get_data(as_text=True)
    db_session.expire_all()
    assert snapshot(db_session, training_class) == prepared
    assert db_session.scalar(select(func.count()).select_from(CancellationRequest)) == 0
    assert db_session.scalar(select(func.count()).select_from(EdefterBranch)) == 0
    assert db_session.scalar(select(Person.id).where(Person.identifier == seller.identifier)) is None
    # The audit trail is kept whole, with the reset as one more entry; the class counts its resets.
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) > audit_before
    assert db_session.get(TrainingClass, training_class.id).resets == 1
    from app.audit.verify import verify_chains

    _checked, breaks = verify_chains(db_session)
    assert breaks == []  # the reset deleted rows, never audit entries: every chain still verifies
    with app.app_context():
        assert clock.offset() == timedelta(0)
    # GİB forgot what the class did there and knows the companies again.
    known = training_simulator.client.find_taxpayer(seller.identifier)
    assert known is not None and known.efatura_application is None
    # The changed PIN is the handout's again.
    with signing_act(SOFTHSM_MODULE, people[1].token_label, people[1].card_pin) as act:
        assert act is not None
    # The progress table starts from zero.
    table = trainer_client.get(f"/egitim/sinif/{training_class.id}/ilerleme", headers={"HX-Request": "true"})
    assert "✓ Yaptı" not in table.get_data(as_text=True)


def test_progress_shows_who_did_what(app, trainer_client, client, db_session):
    training_class = prepare(trainer_client, db_session, 2)
    seller, _buyer = trainees(db_session, training_class)
    log_in(client, seller)
    invoice = db_session.scalars(select(Invoice).where(Invoice.sender_identifier == seller.identifier)
                                 .order_by(Invoice.issue_date.desc())).first()
    request_cancellation(client, seller, invoice)
    table = trainer_client.get(f"/egitim/sinif/{training_class.id}/ilerleme", headers={"HX-Request": "true"})
    html = table.get_data(as_text=True)
    assert table.status_code == 200 and 'hx-trigger="every 5s"' in html and "<html" not in html
    first = html.split('id="kursiyer-1"')[1].split("</tr>")[0]
    second = html.split('id="kursiyer-2"')[1].split("</tr>")[0]
    assert 'data-egzersiz="giris">✓ Yaptı' in first and 'data-egzersiz="talep">✓ Yaptı' in first
    assert 'data-egzersiz="onay">—' in first
    assert "✓ Yaptı" not in second and "2/7" in first


def sign_as_trainee(trainee, document) -> bytes:
    from app.signing import sign_enveloped

    with signing_act(SOFTHSM_MODULE, trainee.token_label, trainee.card_pin) as act:
        return sign_enveloped(document, act)
