"""Eğitim Saati (issue 18): one offset for the portal (8-day window, today, the clock check) and the GİB simulator
(its time, future-dated activations), moved on the trainer's page; the banner on every page while it is moved."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.db import utcnow
from app.formatting import local_today
from app.gib_access import check_clock, gib_client
from app.models import CancellationRequest, CancellationStatus, Invoice
from tests.fixtures.gib import new_key, sign_as
from tests.gib.documents import PK, application, label_request
from tests.iptal.conftest import draft_from
from tests.training.helpers import prepare, trainees


def move(client, action: str, **extra: str):
    response = client.post("/egitim/saat", data={"islem": action, **extra})
    assert response.status_code == 303
    return response


def test_moving_the_clock_moves_the_portal_and_gib_together(app, trainer_client, training_simulator):
    with app.app_context():
        real_today = local_today()
    move(trainer_client, "+8")
    with app.app_context():
        assert local_today() == real_today + timedelta(days=8)
        assert abs(utcnow() - datetime.now(UTC) - timedelta(days=8)) < timedelta(seconds=5)
        gib_now = training_simulator.client.time().now
        assert abs(gib_now - datetime.now(UTC) - timedelta(days=8)) < timedelta(seconds=5)
        client = gib_client()
        try:
            assert check_clock(client).ok  # the portal's clock check: both moved, no skew
        finally:
            client.close()
    page = trainer_client.get("/egitim/").get_data(as_text=True)
    assert "EĞİTİM SAATİ" in page and "8 gün ileri" in page

    move(trainer_client, "-1")
    with app.app_context():
        assert local_today() == real_today + timedelta(days=7)
    target = real_today + timedelta(days=30)
    move(trainer_client, "tarih", tarih=target.strftime("%d.%m.%Y"))
    with app.app_context():
        assert local_today() == target
        assert abs(training_simulator.client.time().now - datetime.now(UTC) - timedelta(days=30)) < timedelta(minutes=1)

    move(trainer_client, "gercek")
    with app.app_context():
        assert local_today() == real_today and clock.offset() == timedelta(0)
    assert abs(training_simulator.client.time().now - datetime.now(UTC)) < timedelta(seconds=5)
    assert "EĞİTİM SAATİ" not in trainer_client.get("/egitim/").get_data(as_text=True)


def test_a_bad_date_is_refused_and_moves_nothing(app, trainer_client):
    for bad in ("", "32.13.2026", "yarın", "1e9", "2026-02-30"):
        response = trainer_client.post("/egitim/saat", data={"islem": "tarih", "tarih": bad}, follow_redirects=True)
        assert "GG.AA.YYYY" in response.get_data(as_text=True)
    response = trainer_client.post("/egitim/saat", data={"islem": "tarih", "tarih": "01.01.2099"}, follow_redirects=True)
    assert "en fazla bir yıl" in response.get_data(as_text=True)
    with app.app_context():
        assert clock.offset() == timedelta(0)


def test_after_eight_days_the_partner_can_no_longer_approve(app, trainer_client, client, db_session):
    """The portal's rule follows the clock: the same request is approvable at real time and not 8 days later."""
    training_class = prepare(trainer_client, db_session, 2)
    seller, buyer = trainees(db_session, training_class)
    with app.app_context():
        three_days_ago = local_today() - timedelta(days=3)
    invoice = db_session.scalars(select(Invoice).where(Invoice.sender_identifier == seller.identifier,
                                                       Invoice.delivered_on == three_days_ago)).one()
    log_in(client, seller)
    confirm = client.post("/FaturaIptal/talep", data={"surucu": "SoftHSM", "kart": seller.token_label,
                                                      "fatura_no": invoice.number, "tutar": f"{invoice.payable_amount:.2f}",
                                                      "islem_sahibi": "SATICI"})
    assert confirm.status_code == 200, confirm.get_data(as_text=True)[:1500]
    done = client.post("/FaturaIptal/talep/onayla", data={"taslak": draft_from(confirm.get_data(as_text=True)),
                                                           "sifre": seller.card_pin})
    assert done.status_code == 303
    request = db_session.scalars(select(CancellationRequest).where(CancellationRequest.invoice_id == invoice.id)).one()

    move(trainer_client, "+8")
    log_in(client, buyer)
    refused = approve(client, buyer, request.id)
    assert "8 gün geçtiği için iptal onayı yapılamaz" in refused
    db_session.expire_all()
    assert db_session.get(CancellationRequest, request.id).status is CancellationStatus.PENDING

    move(trainer_client, "gercek")
    log_in(client, buyer)
    assert "1 talep iptal edildi" in approve(client, buyer, request.id)
    db_session.expire_all()
    assert db_session.get(CancellationRequest, request.id).status is CancellationStatus.APPROVED


def test_a_dated_activation_happens_when_the_clock_reaches_its_day(app, trainer_client, training_simulator, demo_pki):
    """GİB follows the same clock: an activation dated in three days is pending until the trainer moves there."""
    gib = training_simulator.client
    gib.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())
    with app.app_context():
        day = local_today() + timedelta(days=3)
    opened = gib.open_labels(sign_as(demo_pki, "anadolu", label_request(PK, activation_date=day)),
                             idempotency_key=new_key())
    assert opened.is_pending
    move(trainer_client, "+1")
    assert gib.label_request(opened.request_id).is_pending
    move(trainer_client, "tarih", tarih=day.strftime("%d.%m.%Y"))
    polled = gib.label_request(opened.request_id)
    assert polled.is_active and polled.status == "Hizmet Aktifleştirilmiştir"
    move(trainer_client, "gercek")
    assert gib.label_request(opened.request_id).is_pending


def test_the_offset_is_shared_through_the_instance_folder(app):
    """Another process (a gunicorn worker, the job worker) reads the same file: a change shows at its next read."""
    path = clock.offset_path(app.instance_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"offset_seconds": 3 * 86400}), encoding="utf-8")
    with app.app_context():
        assert clock.offset() == timedelta(days=3)
        path.write_text(json.dumps({"offset_seconds": 86400}), encoding="utf-8")
        assert clock.offset() == timedelta(days=1)
        path.write_text("{yarım", encoding="utf-8")
        assert clock.offset() == timedelta(0)  # a half-written file never moves the clock
        path.unlink()
        assert clock.offset() == timedelta(0)


def test_production_ignores_any_offset(tmp_path, database_url, demo_pki):
    from tests.conftest import make_test_app

    app = make_test_app(database_url, tmp_path / "instance", demo_pki, MODE="production", SECRET_KEY="x" * 40)
    path = clock.offset_path(app.instance_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"offset_seconds": 8 * 86400}), encoding="utf-8")
    try:
        with app.app_context():
            assert clock.offset() == timedelta(0)
            assert abs(utcnow() - datetime.now(UTC)) < timedelta(seconds=5)
    finally:
        app.extensions["ebelge.db"].engine.dispose()


def approve(client, buyer, request_id: int) -> str:
    """Fatura İptal Et on the incoming request with the buyer's card: the result page's text."""
    confirm = client.post("/FaturaIptal/gelen/karar", data={"surucu": "SoftHSM", "kart": buyer.token_label,
                                                            "karar": "onay", "secim": [str(request_id)]})
    assert confirm.status_code == 200, confirm.get_data(as_text=True)[:1500]
    signed = client.post("/FaturaIptal/gelen/karar/onayla", data={"taslak": draft_from(confirm.get_data(as_text=True)),
                                                                   "sifre": buyer.card_pin}, follow_redirects=True)
    return signed.get_data(as_text=True)


def log_in(client, trainee) -> None:
    client.post("/giris/cikis")
    client.get("/giris/")
    response = client.post("/giris/", data={"surucu": "SoftHSM", "kart": trainee.token_label, "sifre": trainee.card_pin})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:1500]


def test_a_simulator_not_started_for_training_has_no_clock_to_move(gib_simulator, app, trainer_client):
    """Without --training the endpoint does not exist; the portal's clock still moves and the page says GİB did not."""
    from app.gib.client import GibRejected

    with pytest.raises(GibRejected):
        gib_simulator.client.move_training_clock(86400, idempotency_key=new_key())
    assert abs(gib_simulator.client.time().now - datetime.now(UTC)) < timedelta(seconds=5)
    app.config["GIB_URL"] = gib_simulator.base_url
    page = trainer_client.post("/egitim/saat", data={"islem": "+1"}, follow_redirects=True).get_data(as_text=True)
    assert "GİB simülatörünün saati değiştirilemedi" in page
    with app.app_context():
        assert clock.offset() == timedelta(days=1)


def test_a_double_click_moves_the_clock_once(app, trainer_client):
    page = trainer_client.get("/egitim/").get_data(as_text=True)
    assert 'name="gosterilen" value="0"' in page
    for _ in range(2):  # the same form, sent twice
        trainer_client.post("/egitim/saat", data={"islem": "+8", "gosterilen": "0"})
    with app.app_context():
        assert clock.offset() == timedelta(days=8)
    assert 'name="gosterilen" value="691200"' in trainer_client.get("/egitim/").get_data(as_text=True)
    trainer_client.post("/egitim/saat", data={"islem": "+1", "gosterilen": "691200"})
    with app.app_context():
        assert clock.offset() == timedelta(days=9)


def test_a_restarted_training_simulator_keeps_the_class_day(gib_simulator_factory, tmp_path):
    data = tmp_path / "gib-kalici"
    first = gib_simulator_factory(data=data, training=True)
    first.client.move_training_clock(8 * 86400, idempotency_key=new_key())
    port = first.port
    first.stop()
    again = gib_simulator_factory(data=data, port=port, training=True)
    assert abs(again.client.time().now - datetime.now(UTC) - timedelta(days=8)) < timedelta(seconds=5)
    plain = gib_simulator_factory(data=tmp_path / "gib-duz")  # not a training simulator: never moved
    assert abs(plain.client.time().now - datetime.now(UTC)) < timedelta(seconds=5)
