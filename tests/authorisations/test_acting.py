"""The acting taxpayer travels with each request: revocation and expiry stop at the next request, two tabs never
mix, Firma Seç lists the last chosen first and records each switch, a bare address asks which taxpayer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.formatting import local_today
from app.models import AuditEvent, Authorisation, EdefterBranch
from tests.authorisations.conftest import acting_url, text


def test_revocation_stops_the_very_next_request(client, other_client, login_as, party, accountant, grant):
    anadolu = party("anadolu")
    _, ayse_person = accountant
    authorisation = grant(anadolu, ayse_person)
    login_as(ayse_person)
    url = acting_url(anadolu.taxpayer.id, "/FaturaIptal/talepler")
    assert client.get(url).status_code == 200
    assert "Anadolu Tekstil" in text(client.get("/firma-sec"))

    from tests.fixtures.persons import log_client_in, person_of

    log_client_in(client.application, other_client, person_of(client.application.extensions["ebelge.db"].sessions(),
                                                                anadolu.taxpayer))
    assert other_client.post(f"/yetkilendirme/{authorisation}/iptal").status_code == 303

    # Same session, no new login: the next page and the next POST are refused, the company is gone from her list.
    assert client.get(url).status_code == 404
    assert client.post(acting_url(anadolu.taxpayer.id, "/edefter/subeler"),
                       data={"sube_kodu": "0001", "sube_adi": "İzmir"}).status_code == 404
    assert "Anadolu Tekstil" not in text(client.get("/firma-sec"))


def test_an_expired_authorisation_stops_working(client, login_as, party, accountant, grant, db_session):
    anadolu, ege = party("anadolu"), party("ege")
    _, ayse_person = accountant
    today = local_today()
    ends_today = grant(anadolu, ayse_person, valid_until=today)
    ended = grant(ege, ayse_person, valid_until=today)
    db_session.execute(update(Authorisation).where(Authorisation.id == ended).values(valid_until=today - timedelta(days=1)))
    db_session.commit()
    login_as(ayse_person)
    page = client.get(acting_url(anadolu.taxpayer.id, "/hesabim"))
    assert page.status_code == 200
    assert f"{today:%d.%m.%Y} tarihine kadar" in text(page)  # the last day still counts
    assert client.get(acting_url(ege.taxpayer.id, "/hesabim")).status_code == 404
    assert "Süresi Doldu" in text(client.get("/yetkilerim"))
    # An authorisation not yet accepted does not work either.
    marmara = party("marmara")
    grant(marmara, ayse_person, accepted=False)
    assert client.get(acting_url(marmara.taxpayer.id, "/hesabim")).status_code == 404


def test_two_tabs_acting_for_two_taxpayers_never_mix(client, login_as, party, accountant, grant, db_session):
    anadolu, ege = party("anadolu"), party("ege")
    _, ayse_person = accountant
    grant(anadolu, ayse_person)
    grant(ege, ayse_person)
    login_as(ayse_person)
    tab_a = acting_url(anadolu.taxpayer.id, "")
    tab_b = acting_url(ege.taxpayer.id, "")

    # Tab A opens the branch form; meanwhile tab B switches to Ege (same browser, same session cookie).
    form_page = client.get(tab_a + "/edefter/subeler").get_data(as_text=True)
    assert f'action="{tab_a}/edefter/subeler"' in form_page and "Anadolu Tekstil" in text(client.get(tab_a + "/hesabim"))
    switched = client.post("/firma-sec", data={"mukellef": ege.taxpayer.id, "sonraki": "/edefter/subeler"})
    assert switched.status_code == 303 and switched.headers["Location"] == tab_b + "/edefter/subeler"
    assert "Ege Gıda" in text(client.get(switched.headers["Location"]))

    # Tab A's form still posts for Anadolu, and lands on Anadolu's page.
    saved = client.post(tab_a + "/edefter/subeler", data={"sube_kodu": "0001", "sube_adi": "İzmir"})
    assert saved.status_code == 303 and saved.headers["Location"] == tab_a + "/edefter/subeler"
    assert db_session.scalars(select(EdefterBranch)).one().taxpayer_id == anadolu.taxpayer.id
    page_a, page_b = text(client.get(tab_a + "/edefter/subeler")), text(client.get(tab_b + "/edefter/subeler"))
    assert "0001 İzmir şubesi eklendi." in page_a and "Anadolu Tekstil" in page_a and "İzmir" in page_a
    assert "Ege Gıda" in page_b and "Tanımlı şube yok" in page_b

    # htmx requests of each tab carry their own taxpayer too.
    fragment = client.get(tab_b + "/edefter/subeler", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'hx-post="{tab_b}/edefter/subeler"' in fragment


def test_firma_sec_lists_the_last_chosen_first_and_records_each_switch(client, login_as, party, accountant, grant,
                                                                      db_session):
    anadolu, ege, marmara = party("anadolu"), party("ege"), party("marmara")
    _, ayse_person = accountant
    for company in (anadolu, ege, marmara):
        grant(company, ayse_person, "goruntuleme" if company is marmara else "mali_musavir")
    login_as(ayse_person)

    def order() -> list[str]:
        page = text(client.get("/firma-sec", headers={"HX-Request": "true"}))  # the list alone
        names = ["Anadolu Tekstil", "Ege Gıda", "Marmara Bilişim", "Ayşe Yılmaz"]
        return sorted(names, key=page.index)

    assert order() == ["Anadolu Tekstil", "Ayşe Yılmaz", "Ege Gıda", "Marmara Bilişim"]  # never chosen: by name
    for company in (marmara, anadolu):
        response = client.post("/firma-sec", data={"mukellef": company.taxpayer.id})
        assert response.headers["Location"] == acting_url(company.taxpayer.id, "/hesabim")
    assert order()[:2] == ["Anadolu Tekstil", "Marmara Bilişim"]

    entries = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "firma_secildi").order_by(AuditEvent.id)).all()
    assert [(e.taxpayer_id, e.actor, e.details["rol"]) for e in entries] == [
        (marmara.taxpayer.id, "34721590854 Ayşe Yılmaz", "Görüntüleme"),
        (anadolu.taxpayer.id, "34721590854 Ayşe Yılmaz", "Mali Müşavir"),
    ]
    # Searching (Turkish letters folded the Turkish way) narrows the list; htmx gets the list alone.
    found = client.get("/firma-sec?ara=BİLİŞİM", headers={"HX-Request": "true"})
    body = text(found)
    assert "Marmara Bilişim" in body and "Anadolu" not in body and "<html" not in found.get_data(as_text=True)
    assert "Ege Gıda" in text(client.get("/firma-sec?ara=6132"))
    assert "Aradığınız mükellef bulunamadı." in text(client.get("/firma-sec?ara=zzz"))


def test_the_header_names_the_acting_taxpayer_and_the_person(client, login_as, party, accountant, grant):
    anadolu = party("anadolu")
    _, ayse_person = accountant
    grant(anadolu, ayse_person, "muhasebe_personeli")
    login_as(ayse_person)
    page = client.get(acting_url(anadolu.taxpayer.id, "/FaturaIptal/talepler")).get_data(as_text=True)
    header = text_of_header(page)
    assert "Mükellef: Anadolu Tekstil Sanayi ve Ticaret A.Ş. VKN: 4821307561" in header
    assert "Giriş yapan: Ayşe Yılmaz (TCKN 34721590854) · Yetki: Muhasebe Personeli" in header
    assert "Firma Seç" in header
    home = text_of_header(client.get("/").get_data(as_text=True))
    assert "Ayşe Yılmaz" in home and "Mükellef seçilmedi" in home


def text_of_header(page: str) -> str:
    import html
    import re

    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    header = re.sub(r'<details class="firma-sec">.*?</details>', " Firma Seç ", header, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", header)).split())


def test_a_bare_address_asks_a_person_with_several_taxpayers_which_one(client, login_as, party, accountant, grant):
    anadolu = party("anadolu")
    _, ayse_person = accountant
    grant(anadolu, ayse_person)
    login_as(ayse_person)
    response = client.get("/FaturaIptal/talepler?baslangic=2026-01-01")
    assert response.status_code == 302
    assert response.headers["Location"] == "/firma-sec?sonraki=/FaturaIptal/talepler?baslangic%3D2026-01-01"
    assert client.get("/FaturaIptal/talepler", headers={"HX-Request": "true"}).headers["HX-Redirect"].startswith("/firma-sec")
    chooser = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="sonraki" value="/FaturaIptal/talepler?baslangic=2026-01-01"' in chooser
    chosen = client.post("/firma-sec", data={"mukellef": anadolu.taxpayer.id,
                                             "sonraki": "/FaturaIptal/talepler?baslangic=2026-01-01"})
    assert chosen.headers["Location"] == acting_url(anadolu.taxpayer.id, "/FaturaIptal/talepler?baslangic=2026-01-01")
    refused = client.post("/edefter/subeler", data={"sube_kodu": "0001", "sube_adi": "İzmir"})
    assert refused.status_code == 400 and "Hangi mükellef adına işlem yaptığınız belli değil" in text(refused)
    # Somewhere else than this site is never a destination.
    elsewhere = client.post("/firma-sec", data={"mukellef": anadolu.taxpayer.id, "sonraki": "//example.org/x"})
    assert elsewhere.headers["Location"] == acting_url(anadolu.taxpayer.id, "/hesabim")


def test_a_session_from_before_persons_is_logged_out(app, client, party):
    anadolu = party("anadolu")
    with client.session_transaction() as session:
        session.update({"_user_id": str(anadolu.taxpayer.id), "_fresh": True})
    assert client.get("/hesabim").status_code == 302
