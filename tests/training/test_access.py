"""Who reaches the trainer's room: production mode refuses every trainer route (404) — even for a trainer's card —
and hides the link; elsewhere only a trainer's card gets in (403 for a trainee, the login page for nobody)."""

from __future__ import annotations

import pytest

from app.config import ConfigError
from app.models import Person
from tests.conftest import make_test_app
from tests.fixtures.persons import log_client_in

TRAINER_ROUTES = [
    ("GET", "/egitim/"),
    ("POST", "/egitim/sinif"),
    ("GET", "/egitim/sinif/1"),
    ("GET", "/egitim/sinif/1/ilerleme"),
    ("GET", "/egitim/sinif/1/hazirlik/1"),
    ("GET", "/egitim/sinif/1/el-notlari"),
    ("GET", "/egitim/sinif/1/el-notlari.pdf"),
    ("POST", "/egitim/sinif/1/sifirla"),
    ("POST", "/egitim/saat"),
]


def every_trainer_route(app) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("egitim.")}


def test_the_list_covers_every_trainer_route(app):
    listed = {path.replace("/1", "/<int:class_id>", 1).replace("hazirlik/1", "hazirlik/<int:job_id>")
              for _method, path in TRAINER_ROUTES}
    assert every_trainer_route(app) == listed


@pytest.fixture
def production_app(database_url, tmp_path, demo_pki):
    app = make_test_app(database_url, tmp_path / "instance", demo_pki, MODE="production", SECRET_KEY="p" * 48)
    yield app
    app.extensions["ebelge.db"].engine.dispose()


def test_production_refuses_every_trainer_route(production_app, tmp_path):
    with production_app.app_context():
        from app.db import get_session

        session = get_session()
        trainer = session.query(Person).filter_by(identifier="34721590854").one_or_none()
        if trainer is None:
            trainer = Person(identifier="34721590854", name="Ayşe Yılmaz")
            session.add(trainer)
            session.commit()
        trainer_id = trainer.id
    client = production_app.test_client()
    with production_app.app_context():
        from app.db import get_session

        log_client_in(production_app, client, get_session().get(Person, trainer_id))
    for method, path in TRAINER_ROUTES:
        response = client.open(path, method=method, data={"islem": "+8", "onay": "evet", "kisi": "3"})
        assert response.status_code == 404, (method, path, response.status_code)
    home = client.get("/").get_data(as_text=True)
    assert "/egitim/" not in home
    assert not (tmp_path / "instance" / "training-clock.json").exists()
    with production_app.app_context():
        from app.db import get_session

        session = get_session()
        session.delete(session.get(Person, trainer_id))
        session.commit()


def test_a_trainee_is_forbidden_and_nobody_is_sent_to_log_in(app, client, db_session, login_as, taxpayer_factory):
    anonymous = client.get("/egitim/")
    assert anonymous.status_code in (302, 303) and "/giris/" in anonymous.headers["Location"]
    login_as(taxpayer_factory())
    for method, path in TRAINER_ROUTES:
        response = client.open(path, method=method, data={"islem": "+8", "onay": "evet", "kisi": "3"})
        assert response.status_code == 403, (method, path)


def test_the_trainer_sees_the_link_and_a_configured_trainer_replaces_the_default(app, trainer_client, db_session,
                                                                                 database_url, tmp_path, demo_pki):
    assert 'href="/egitim/"' in trainer_client.get("/ofis/yetkilerim").get_data(as_text=True)
    other = make_test_app(database_url, tmp_path / "other", demo_pki, TRAINERS="10000000146")
    try:
        with other.app_context():
            from app.training.access import is_trainer

            assert is_trainer("10000000146") and not is_trainer("34721590854")
    finally:
        other.extensions["ebelge.db"].engine.dispose()


def test_training_is_a_mode_of_its_own(tmp_path):
    from app.config import finish, load_settings

    settings = finish(load_settings({}, {"MODE": "training"}), tmp_path)
    assert settings["SECRET_KEY"] and settings["SOFTHSM2_CONF"].endswith("demo-pki/softhsm2.conf")
    with pytest.raises(ConfigError, match="production, demo, training veya test"):
        finish(load_settings({}, {"MODE": "egitim"}), tmp_path)


def test_a_class_that_does_not_exist_is_a_404(app, trainer_client):
    for path in ("/egitim/sinif/999", "/egitim/sinif/99999999999", "/egitim/sinif/999/el-notlari.pdf",
                 "/egitim/sinif/999/ilerleme", "/egitim/sinif/999/hazirlik/1"):
        assert trainer_client.get(path).status_code == 404, path
    assert trainer_client.post("/egitim/sinif/999/sifirla", data={"onay": "evet"}).status_code == 404


def test_hostile_clock_input_moves_nothing_unexpected(app, trainer_client):
    from datetime import timedelta

    from app import clock

    for shown in ("1e9", "٣", "-", "9" * 40, "<script>"):
        trainer_client.post("/egitim/saat", data={"islem": "+1", "gosterilen": shown})
    with app.app_context():
        assert clock.offset() == timedelta(days=5)  # each one was taken as "one day from now"
    response = trainer_client.post("/egitim/saat", data={"islem": "yarın"}, follow_redirects=True)
    assert "Bilinmeyen saat işlemi." in response.get_data(as_text=True)
