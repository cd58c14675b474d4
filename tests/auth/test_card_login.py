"""Smart-card login (SPEC A1, A3): the certificate names the taxpayer; refusals are explained."""

from __future__ import annotations

from sqlalchemy import select

from app.models import AuditEvent, Taxpayer


def token(demo_pki, key):
    return next(t for t in demo_pki.tokens if t.key == key)


def login(client, tok, pin=None, **extra):
    client.get("/giris/")  # issues the one-time challenge
    return client.post("/giris/", data={"surucu": "SoftHSM", "kart": tok.label, "sifre": pin or tok.pin, **extra})


def test_login_creates_the_taxpayer_named_in_the_certificate(client, demo_pki, db_session):
    tok = token(demo_pki, "anadolu")
    response = login(client, tok, next="/hesabim")
    assert response.status_code == 303 and response.headers["Location"] == "/hesabim"
    page = client.get("/hesabim").get_data(as_text=True)
    assert tok.owner_id in page and "Anadolu Tekstil" in page
    taxpayer = db_session.scalars(select(Taxpayer).where(Taxpayer.identifier == tok.owner_id)).one()
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "giris")).one()
    assert event.taxpayer_id == taxpayer.id and event.certificate_serial


def test_e_imza_holder_logs_in_with_tckn(client, demo_pki, db_session):
    tok = token(demo_pki, "ayse")
    assert login(client, tok).status_code == 303
    taxpayer = db_session.scalars(select(Taxpayer).where(Taxpayer.identifier == tok.owner_id)).one()
    assert taxpayer.identifier_label == "TCKN"


def test_wrong_pin_is_refused_and_never_echoed(client, demo_pki):
    response = login(client, token(demo_pki, "anadolu"), pin="975319")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Girdiğiniz şifre (PIN) hatalı." in page and "975319" not in page
    assert client.get("/hesabim").status_code == 302


def test_expired_certificate_is_refused(client, demo_pki):
    response = login(client, token(demo_pki, "karadeniz"))
    assert response.status_code == 422
    assert "geçerlilik süresi" in response.get_data(as_text=True)


def test_missing_card_and_unknown_driver_are_explained(client, demo_pki):
    client.get("/giris/")
    response = client.post("/giris/", data={"surucu": "SoftHSM", "kart": "YOK-0000", "sifre": "1"})
    assert response.status_code == 422 and "Akıllı kart bulunamadı" in response.get_data(as_text=True)
    response = client.post("/giris/", data={"surucu": "Bilinmeyen", "kart": "x", "sifre": "1"})
    assert response.status_code == 422 and "kart sürücüsü tanımlı değil" in response.get_data(as_text=True)


def test_a_challenge_is_used_once(client, demo_pki):
    tok = token(demo_pki, "anadolu")
    client.get("/giris/")
    form = {"surucu": "SoftHSM", "kart": tok.label, "sifre": tok.pin}
    assert client.post("/giris/", data=form).status_code == 303
    client.post("/giris/cikis")
    # a replayed POST without loading the page again has no challenge
    response = client.post("/giris/", data=form)
    assert response.status_code == 422 and "süresi doldu" in response.get_data(as_text=True)


def test_login_page_lists_the_cards_without_a_pin(client, demo_pki):
    page = client.get("/giris/").get_data(as_text=True)
    for key in ("anadolu", "ege", "ayse"):
        assert token(demo_pki, key).owner_id in page
    assert 'name="sifre"' in page and 'value=""' in page


def test_external_next_url_is_ignored(client, demo_pki):
    response = login(client, token(demo_pki, "ege"), next="https://example.org/")
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(client, demo_pki):
    login(client, token(demo_pki, "ege"))
    assert client.post("/giris/cikis").status_code == 303
    assert client.get("/hesabim").status_code == 302


def test_an_idle_session_expires_and_htmx_is_sent_to_login(app, client, demo_pki):
    import time
    from datetime import timedelta

    login(client, token(demo_pki, "ege"))
    assert client.get("/hesabim").status_code == 200
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    time.sleep(2.2)  # itsdangerous counts whole seconds
    response = client.get("/FaturaIptal/talepler", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/giris/")


def test_a_certificate_from_an_untrusted_ca_is_refused(app, client, demo_pki, tmp_path, db_session):
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    # The office trusts only some other CA: the demo cards' certificates do not chain to it.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Başka Bir Sertifika Hizmet Sağlayıcısı")])
    now = datetime.now(timezone.utc)
    other_ca = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    anchor = tmp_path / "other-ca.pem"
    anchor.write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))
    app.config["TRUST_ANCHORS"] = str(anchor)
    app.extensions.pop("ebelge.trust_anchors", None)

    response = login(client, token(demo_pki, "anadolu"))
    assert response.status_code == 422
    assert "güvenilen bir sertifika hizmet sağlayıcısı" in response.get_data(as_text=True)
    assert client.get("/hesabim").status_code == 302
