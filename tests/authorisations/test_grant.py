"""Yetkilendirme: the taxpayer, logged in with its own card, authorises a person with a signed document; the
person sees it and accepts it; the taxpayer revokes it from the same page (SPEC E8)."""

from __future__ import annotations

import subprocess
from datetime import timedelta

from sqlalchemy import select

from app.formatting import local_today
from app.models import AuditEvent, Authorisation, AuthorisationRole
from tests.authorisations.conftest import acting_url, draft_from, text


def grant_form(person_tckn: str, name: str, party, **extra: str) -> dict[str, str]:
    return party.card(tckn=person_tckn, adi_soyadi=name, rol="mali_musavir", **extra)


def test_company_authorises_its_accountant_who_accepts(client, other_client, login_as, party, accountant, db_session,
                                                       demo_pki, tmp_path):
    anadolu = party("anadolu")
    ayse, ayse_person = accountant
    login_as(anadolu.taxpayer)
    page = text(client.get("/yetkilendirme/"))
    assert "Henüz kimseye yetki vermediniz." in page and "Mali Müşavir" in page and "Muhasebe Personeli" in page

    until = (local_today() + timedelta(days=365)).isoformat()
    confirm = client.post("/yetkilendirme/", data=grant_form(ayse_person.identifier, "Ayşe  Yılmaz", anadolu, bitis=until))
    body = text(confirm)
    assert confirm.status_code == 200
    assert "İmzalanacak Yetkilendirme Belgesi" in body and "İmza için kullanacağınız sertifika" in body
    assert "Sayısal İmza" in body and anadolu.token.owner_id in body
    final = client.post("/yetkilendirme/onayla", data={"taslak": draft_from(confirm), "sifre": anadolu.token.pin})
    assert final.status_code == 303
    listed = text(client.get(final.headers["Location"]))
    assert "Ayşe Yılmaz (34721590854) Mali Müşavir olarak yetkilendirildi." in listed
    assert "Kabul Bekliyor" in listed

    authorisation = db_session.scalars(select(Authorisation)).one()
    assert authorisation.role is AuthorisationRole.MALI_MUSAVIR and authorisation.accepted_at is None
    entry = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "yetki_verildi")).one()
    assert entry.taxpayer_id == anadolu.taxpayer.id and entry.certificate_serial == authorisation.certificate_serial
    assert entry.actor.startswith(anadolu.token.owner_id)

    # The signed document: downloadable and verifiable by xmlsec1 against the demo CA.
    download = client.get(f"/yetkilendirme/{authorisation.id}/belge.xml")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    for needle in (b"YetkilendirmeBelgesi", b"34721590854", b"mali_musavir", until.encode(), b"4821307561"):
        assert needle in download.data
    signed = tmp_path / "yetki.xml"
    signed.write_bytes(download.data)
    result = subprocess.run(
        ["xmlsec1", "--verify", "--enabled-key-data", "x509", "--trusted-pem", str(demo_pki.ca_cert_path),
         "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
         "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:KeyInfo", str(signed)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr

    # Ayşe logs in (another browser): the authorisation is there to accept; until then she cannot act.
    login_as_person(other_client, client.application, ayse_person)
    assert other_client.get(acting_url(anadolu.taxpayer.id, "/FaturaIptal/talepler")).status_code == 404
    home = text(other_client.get("/"))
    assert "Kabulünüzü bekleyen yetkiler" in home and "Anadolu Tekstil" in home
    own = text(other_client.get(f"/yetkilerim/{authorisation.id}/belge.xml"))
    assert "34721590854" in own
    accepted = other_client.post(f"/yetkilerim/{authorisation.id}/kabul")
    assert accepted.status_code == 303
    assert "Mali Müşavir yetkisini kabul ettiniz" in text(other_client.get(accepted.headers["Location"]))
    lists = other_client.get(acting_url(anadolu.taxpayer.id, "/FaturaIptal/talepler"))
    assert lists.status_code == 200 and "Anadolu Tekstil" in text(lists)
    db_session.expire_all()
    assert db_session.get(Authorisation, authorisation.id).accepted_at is not None
    accept_entry = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "yetki_kabul_edildi")).one()
    assert accept_entry.taxpayer_id == anadolu.taxpayer.id and accept_entry.actor.startswith("34721590854")

    # Anadolu sees it in force and revokes it at once.
    assert "Geçerli" in text(client.get("/yetkilendirme/"))
    revoked = client.post(f"/yetkilendirme/{authorisation.id}/iptal")
    assert revoked.status_code == 303
    assert "Ayşe Yılmaz için verilen Mali Müşavir yetkisi iptal edildi." in text(client.get(revoked.headers["Location"]))
    assert other_client.get(acting_url(anadolu.taxpayer.id, "/FaturaIptal/talepler")).status_code == 404
    assert "İptal Edildi" in text(other_client.get("/yetkilerim"))


def login_as_person(client, app, person) -> None:
    from tests.fixtures.persons import log_client_in

    log_client_in(app, client, person)


def test_form_mistakes_are_explained_and_nothing_is_signed(client, login_as, party, db_session):
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    response = client.post("/yetkilendirme/", data=anadolu.card(tckn="34721590855", adi_soyadi="", rol="patron",
                                                                  bitis=yesterday))
    page = text(response)
    assert response.status_code == 422
    assert "geçerli bir T.C. kimlik numarası değil" in page
    assert "Yetkilendirilecek kişinin adını ve soyadını giriniz." in page
    assert "Yetki türünü seçiniz." in page and "Bitiş tarihi bugünden önce olamaz." in page
    response = client.post("/yetkilendirme/", data=anadolu.card(tckn="4821307561", adi_soyadi="Kendisi", rol="goruntuleme"))
    assert response.status_code == 422 and "11 haneli T.C. kimlik numarası" in text(response)
    assert db_session.scalars(select(Authorisation)).first() is None


def test_another_taxpayers_card_is_refused_before_the_pin(client, login_as, party, accountant):
    anadolu, ege = party("anadolu"), party("ege")
    _, ayse_person = accountant
    login_as(anadolu.taxpayer)
    response = client.post("/yetkilendirme/", data=grant_form(ayse_person.identifier, "Ayşe Yılmaz", ege))
    assert response.status_code == 422
    assert "Karttaki sertifika 6132704183 vergi / TC kimlik numaralı mükellefe aittir" in text(response)


def test_a_new_authorisation_replaces_the_open_one(client, login_as, party, accountant, grant, db_session):
    anadolu = party("anadolu")
    _, ayse_person = accountant
    first = grant(anadolu, ayse_person, "mali_musavir")
    second = grant(anadolu, ayse_person, "goruntuleme")
    db_session.expire_all()
    assert db_session.get(Authorisation, first).revoked_at is not None
    assert db_session.get(Authorisation, second).revoked_at is None
    login_as(ayse_person)
    page = text(client.get(acting_url(anadolu.taxpayer.id, "/hesabim")))
    assert "Görüntüleme" in page
    reasons = db_session.scalars(select(AuditEvent.details).where(AuditEvent.action == "yetki_iptal_edildi")).all()
    assert reasons == [{"kisi": "34721590854", "rol": "Mali Müşavir", "neden": "Yerine yeni yetki verildi"}]


def test_only_the_taxpayers_own_card_manages_its_authorisations(client, login_as, party, accountant, grant):
    anadolu = party("anadolu")
    _, ayse_person = accountant
    authorisation = grant(anadolu, ayse_person, "mali_musavir")
    login_as(ayse_person)
    for method, path in [("get", "/yetkilendirme/"), ("post", "/yetkilendirme/"),
                         ("post", f"/yetkilendirme/{authorisation}/iptal"),
                         ("get", f"/yetkilendirme/{authorisation}/belge.xml")]:
        response = getattr(client, method)(acting_url(anadolu.taxpayer.id, path))
        assert response.status_code == 403, path
        assert "yalnızca mükellef kendi mali mührü veya e-imzasıyla" in text(response)


def test_a_company_seal_has_no_authorisations_to_accept(client, login_as, party):
    login_as(party("ege").taxpayer)
    page = text(client.get("/yetkilerim"))
    assert "Mali mühür ile giriş yaptınız" in page
