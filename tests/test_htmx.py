"""Full page for a normal request, the fragment for an HTMX swap, HX-Redirect when logged out."""

from app.audit import append

HTMX = {"HX-Request": "true"}


def test_normal_request_gets_the_full_page(client, taxpayer_factory, login_as):
    login_as(taxpayer_factory())
    response = client.get("/hesabim")
    assert response.status_code == 200
    assert b"<html" in response.data and b"Ana men" in response.data
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_request_gets_only_the_fragment(client, taxpayer_factory, login_as, db_session):
    taxpayer = taxpayer_factory()
    append(db_session, "giris", taxpayer_id=taxpayer.id, certificate_serial="0A1B")
    db_session.commit()
    login_as(taxpayer)
    response = client.get("/hesabim", headers=HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.data
    assert b"<table" in response.data and b"0A1B" in response.data
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_and_history_restore_requests_get_the_full_page(client, taxpayer_factory, login_as):
    login_as(taxpayer_factory())
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        response = client.get("/hesabim", headers={**HTMX, **extra})
        assert b"<html" in response.data


def test_history_shows_only_the_taxpayers_own_events(client, taxpayer_factory, login_as, db_session):
    mine, other = taxpayer_factory(), taxpayer_factory()
    append(db_session, "iptal_talebi", taxpayer_id=other.id, object_id="GIZLI-42")
    db_session.commit()
    login_as(mine)
    assert b"GIZLI-42" not in client.get("/hesabim").data


def test_logged_out_htmx_request_is_sent_to_the_login_page(client):
    response = client.get("/hesabim", headers=HTMX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/giris/")


def test_logged_out_normal_request_is_redirected_to_login(client):
    response = client.get("/hesabim")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/giris/")
