"""The portal talks to GİB (the simulator on a real socket): clock check, registration, GİB away."""

from __future__ import annotations

import socket

from app.gib.client import SeedAlias


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_registered_taxpayer_sees_its_labels_and_a_good_clock(app, client, login_as, taxpayer_factory, gib_simulator):
    app.config["GIB_URL"] = gib_simulator.base_url
    taxpayer = taxpayer_factory(unvan="SAAT KONTROL A.Ş.")
    gib_simulator.client.register_taxpayer(
        taxpayer.identifier, taxpayer.unvan,
        aliases=[SeedAlias("Invoice", "PK", "urn:mail:defaultpk@saat.com.tr")],
    )
    login_as(taxpayer)
    page = client.get("/yonetim/").get_data(as_text=True)
    assert "Bilgisayarınızın saati GİB saati ile uyumlu." in page
    assert "urn:mail:defaultpk@saat.com.tr" in page and "SAAT KONTROL A.Ş." in page


def test_clock_difference_is_named(app, client, login_as, taxpayer_factory, gib_simulator_factory):
    simulator = gib_simulator_factory(clock_offset_seconds=-(3 * 60 + 12))  # GİB 3 min 12 s behind us
    app.config["GIB_URL"] = simulator.base_url
    login_as(taxpayer_factory())
    page = client.get("/yonetim/").get_data(as_text=True)
    assert "saati GİB saatinden 3 dakika 1" in page and "ileride" in page
    assert "beyan amaçlı e-Defter oluşturulamaz" in page


def test_unknown_taxpayer_is_told_so(app, client, login_as, taxpayer_factory, gib_simulator):
    app.config["GIB_URL"] = gib_simulator.base_url
    taxpayer = taxpayer_factory()
    login_as(taxpayer)
    assert f"{taxpayer.identifier} numaralı mükellef GİB kayıtlarında bulunamadı." in client.get("/yonetim/").get_data(as_text=True)


def test_gib_away_gets_a_plain_message(app, client, login_as, taxpayer_factory):
    app.config["GIB_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    login_as(taxpayer_factory())
    response = client.get("/yonetim/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "GİB servisine ulaşılamıyor" in response.get_data(as_text=True)
