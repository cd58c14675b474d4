"""GİB Bağlantı Kontrolü on the Yönetim page (the simulator on a real socket; jobs in immediate mode here,
through a real worker in tests/jobs/test_worker.py): the GET never calls GİB, "Şimdi Kontrol Et" starts a
check whose widget shows the answer, and the page then shows the last answer with its time."""

from __future__ import annotations

import socket
import threading

from app.gib.client import SeedAlias


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_now(client) -> str:
    """Press "Şimdi Kontrol Et" as htmx does; the status widget comes back (the check already ran: immediate)."""
    response = client.post("/yonetim/kontrol", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


class CountingGib:
    """WSGI middleware counting the requests that reach the simulator."""

    def __init__(self) -> None:
        self.app, self.count, self.lock = None, 0, threading.Lock()

    def wrap(self, app):
        self.app = app
        return self

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        return self.app(environ, start_response)


def test_registered_taxpayer_sees_its_labels_and_a_good_clock(app, client, login_as, taxpayer_factory, gib_simulator):
    app.config["GIB_URL"] = gib_simulator.base_url
    taxpayer = taxpayer_factory(unvan="SAAT KONTROL A.Ş.")
    gib_simulator.client.register_taxpayer(
        taxpayer.identifier, taxpayer.unvan,
        aliases=[SeedAlias("Invoice", "PK", "urn:mail:defaultpk@saat.com.tr")], idempotency_key=f"kayit-{taxpayer.identifier}",
    )
    login_as(taxpayer)
    widget = check_now(client)
    assert "GİB Bağlantı Kontrolü" in widget and "Tamamlandı" in widget and "%100" in widget
    assert "every 1s" not in widget  # done: the widget stops polling
    assert "Bilgisayarınızın saati GİB saati ile uyumlu." in widget
    assert "urn:mail:defaultpk@saat.com.tr" in widget and "SAAT KONTROL A.Ş." in widget

    page = client.get("/yonetim/").get_data(as_text=True)  # the last answer, with its time
    assert "Son kontrol:" in page and "Bilgisayarınızın saati GİB saati ile uyumlu." in page
    assert "urn:mail:defaultpk@saat.com.tr" in page and 'hx-trigger="load"' not in page


def test_clock_difference_is_named(app, client, login_as, taxpayer_factory, gib_simulator_factory):
    simulator = gib_simulator_factory(clock_offset_seconds=-(3 * 60 + 12))  # GİB 3 min 12 s behind us
    app.config["GIB_URL"] = simulator.base_url
    login_as(taxpayer_factory())
    check_now(client)
    page = client.get("/yonetim/").get_data(as_text=True)
    assert "saati GİB saatinden 3 dakika 1" in page and "ileride" in page
    assert "beyan amaçlı e-Defter oluşturulamaz" in page


def test_unknown_taxpayer_is_told_so(app, client, login_as, taxpayer_factory, gib_simulator):
    app.config["GIB_URL"] = gib_simulator.base_url
    taxpayer = taxpayer_factory()
    login_as(taxpayer)
    assert f"{taxpayer.identifier} numaralı mükellef GİB kayıtlarında bulunamadı." in check_now(client)


def test_gib_away_gets_a_plain_message(app, client, login_as, taxpayer_factory):
    app.config["GIB_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    login_as(taxpayer_factory())
    widget = check_now(client)
    assert "GİB servisine ulaşılamıyor" in widget and "every 1s" not in widget
    page = client.get("/yonetim/").get_data(as_text=True)
    assert "Son kontrol:" in page and "GİB servisine ulaşılamıyor" in page


def test_the_page_never_calls_gib_and_starts_the_first_check_with_an_htmx_post(
    app, client, login_as, taxpayer_factory, gib_simulator_factory
):
    gib = CountingGib()
    simulator = gib_simulator_factory(middleware=gib.wrap)
    app.config["GIB_URL"] = simulator.base_url
    login_as(taxpayer_factory())
    page = client.get("/yonetim/").get_data(as_text=True)
    assert gib.count == 0
    assert 'hx-post="/yonetim/kontrol" hx-trigger="load"' in page  # never checked: the page asks for a check
    assert "Şimdi Kontrol Et" in page
    client.get("/yonetim/")
    assert gib.count == 0

    check_now(client)
    assert gib.count == 3  # clock, registry, labels: in the job, not in a GET
    client.get("/yonetim/")
    assert gib.count == 3


def test_a_check_under_way_is_shown_and_not_started_twice(app, client, db_session, login_as, taxpayer_factory):
    from app.connection.operations import TITLE
    from app.connection.queries import GIB_CHECK_KIND
    from app.models import Job, JobStatus

    taxpayer = taxpayer_factory()
    login_as(taxpayer)
    running = Job(taxpayer_id=taxpayer.id, kind=GIB_CHECK_KIND, title=TITLE, params={}, status=JobStatus.CALISIYOR,
                  progress=35, phrase="Mükellefin GİB kaydı aranıyor…")
    db_session.add(running)
    db_session.commit()
    page = client.get("/yonetim/").get_data(as_text=True)
    assert f'hx-get="/islemler/{running.id}/durum" hx-trigger="every 1s"' in page
    assert "Mükellefin GİB kaydı aranıyor…" in page and "%35" in page
    widget = check_now(client)  # a double click answers with the same check
    assert f'id="is-{running.id}-durum"' in widget
    assert db_session.query(Job).filter_by(taxpayer_id=taxpayer.id).count() == 1


def test_without_htmx_the_button_posts_and_redirects(app, client, login_as, taxpayer_factory):
    login_as(taxpayer_factory())
    response = client.post("/yonetim/kontrol")
    assert response.status_code == 303 and response.headers["Location"].endswith("/yonetim/")
    assert "GİB servisine ulaşılamıyor" in client.get("/yonetim/").get_data(as_text=True)
