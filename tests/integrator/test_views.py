"""The Hizmet Aktivasyonu and Kayıtlı Kullanıcı Listesi screens over HTTP (test client), both databases,
the simulator on a real socket and real cards."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from app.gib.client import SeedAlias
from app.models import Job
from app.models.service import LabelStatus, RequestStatus, ServiceLabel, ServiceRequest
from tests.integrator.conftest import xmlsec1_verifies
from tests.iptal.conftest import draft_from

BASE = "/yonetim/hizmet-aktivasyonu"
FIELDS = {"unvan": "Anadolu Tekstil Sanayi ve Ticaret A.Ş.", "vergi_dairesi": "Bornova",
          "adres": "Sanayi Cad. No: 1 Bornova / İzmir", "eposta": "muhasebe@anadolutekstil.com.tr",
          "telefon": "0232 000 00 00"}


def labels_of(db_session, taxpayer) -> dict[str, ServiceLabel]:
    db_session.expire_all()
    rows = db_session.scalars(select(ServiceLabel).where(ServiceLabel.taxpayer_id == taxpayer.id)).all()
    return {f"{label.kind}:{label.alias.split(':')[-1].split('@')[0]}": label for label in rows}


def add_efatura(client, prefix: str = "default") -> str:
    page = client.post(f"{BASE}/etiket-ekle", data={"urun": "efatura", "onek": prefix, "alan": "anadolutekstil.com.tr"})
    assert page.status_code == 200, page.get_data(as_text=True)
    return page.get_data(as_text=True)


def open_through_the_screens(client, party, ids, *, origin="yeni", fields=None, when=None, pin=None):
    """Aç → the form → Devam → Evet → Tamam; returns every page on the way."""
    form = client.post(f"{BASE}/ac", data={"secim": [str(i) for i in ids]})
    assert form.status_code == 200, form.get_data(as_text=True)
    data = {"taslak": draft_from(form.get_data(as_text=True)), **party.card(), **(fields or {})}
    data.update({"aktivasyon": "tarih", "tarih": when.isoformat()} if when else {"aktivasyon": "hemen"})
    if origin:
        data["gelinen"] = origin
    confirm = client.post(f"{BASE}/ac/devam", data=data)
    if confirm.status_code != 200:
        return form, confirm, None, None
    certificate = client.post(f"{BASE}/ac/evet", data={"taslak": draft_from(confirm.get_data(as_text=True))})
    signed = client.post(f"{BASE}/ac/onayla", data={"taslak": draft_from(certificate.get_data(as_text=True)),
                                                    "sifre": pin or party.token.pin})
    return form, confirm, certificate, signed


def test_the_page_shows_every_product_with_etiket_ekle(client, login_as, party):
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    for name in ("e-Fatura", "e-Arşiv", "e-İrsaliye", "e-Serbest Meslek Makbuzu", "e-Müstahsil Makbuzu", "e-Adisyon",
                 "e-Defter"):
        assert f">{name}</h2>" in page
    assert page.count(">Etiket Ekle</a>") == 7
    assert "e-Fatura (GB / PK) ve Saklama etiketleri birlikte açılamamaktadır." in page
    assert "Kayıtlı Kullanıcı Listesi" in page and "GİB Bağlantısı" in page
    assert "Hizmet Aktivasyonu" in client.get("/yonetim/").get_data(as_text=True)  # linked from Yönetim
    # The pages sit under Yönetim > Genel: the main menu lights Yönetim.
    assert re.search(r'<a href="[^"]*/yonetim/" aria-current="page">Yönetim</a>', page)


def test_etiket_ekle_ekle_tamam_and_its_refusals(client, login_as, party):
    login_as(party("anadolu").taxpayer)
    form = client.get(f"{BASE}/etiket-ekle?urun=efatura").get_data(as_text=True)
    assert "Etiket Ön Eki" in form and "Şirket Alan Adı" in form and ">Ekle</button>" in form
    done = add_efatura(client)
    assert "e-Fatura etiketleriniz eklendi." in done and "urn:mail:defaultpk@anadolutekstil.com.tr" in done
    assert ">Tamam</a>" in done
    refused = client.post(f"{BASE}/etiket-ekle", data={"urun": "efatura", "onek": "user", "alan": "firma.com.tr"})
    assert refused.status_code == 422 and "&#39;usergb&#39; GİB tarafından ayrılmış bir addır" in refused.get_data(as_text=True)
    assert client.get(f"{BASE}/etiket-ekle?urun=yok").status_code == 404


def test_seed_efatura_activation_through_the_screens(client, login_as, party, db_session, start_gib, demo_pki, tmp_path):
    start_gib(approval_delay_seconds=1.5)
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    add_efatura(client)
    labels = labels_of(db_session, anadolu.taxpayer)
    ids = [labels["efatura_gb:defaultgb"].id, labels["efatura_pk:defaultpk"].id]

    form, confirm, certificate, signed = open_through_the_screens(client, anadolu, ids, origin="gib_portal",
                                                                  fields=FIELDS)
    form_text = form.get_data(as_text=True)
    assert "GİB e-Fatura Başvuru Bilgileri" in form_text and "Özel Entegrasyon" in form_text
    assert "Hemen Aktive Edilsin" in form_text and "Seçtiğim Tarihte Aktive Edilsin" in form_text
    assert "GİB Portal&#39;dan geçiyorum" in form_text
    confirm_text = confirm.get_data(as_text=True)
    assert "GİB Portal etiketleriniz otomatik olarak kapatılacaktır" in confirm_text
    assert "gelen, giden e-Fatura dosyalarınızın, tarafınızca indirilip" in confirm_text
    assert ">Evet</button>" in confirm_text
    certificate_text = certificate.get_data(as_text=True)
    assert "İmza için kullanacağınız sertifika" in certificate_text and "Sayısal İmza" in certificate_text
    assert signed.status_code == 303
    result = client.get(signed.headers["Location"]).get_data(as_text=True)
    assert "İŞLEMİNİZ TAMAMLANMIŞTIR." in result and "Onay Bekliyor" in result
    waiting_row = re.search(r'<tr id="etiket-(\d+)"[^>]*hx-get="([^"]+)" hx-trigger="every 2s"', result)
    assert waiting_row, result

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        row = client.get(waiting_row.group(2), headers={"HX-Request": "true"}).get_data(as_text=True)
        if "Hizmet Aktifleştirilmiştir" in row:
            break
        time.sleep(0.5)
    assert "Hizmet Aktifleştirilmiştir" in row and "hx-trigger" not in row  # approved: the row stops asking
    assert 'name="secim"' not in row  # the request's page has no selection column

    request = db_session.scalars(select(ServiceRequest)).one()
    for which in ("talep", "basvuru"):
        download = client.get(f"{BASE}/talep/{request.id}/{which}.xml")
        assert download.status_code == 200 and download.mimetype == "application/xml"
        verified = xmlsec1_verifies(download.data, demo_pki, tmp_path)
        assert verified.returncode == 0, verified.stderr


def test_date_origin_and_application_mistakes_come_back_with_422(client, login_as, party, db_session, gib):
    from datetime import timedelta

    from app.formatting import local_today

    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    add_efatura(client)
    ids = [labels_of(db_session, anadolu.taxpayer)["efatura_gb:defaultgb"].id]
    _form, confirm, _c, _s = open_through_the_screens(client, anadolu, ids, fields=FIELDS,
                                                      when=local_today() - timedelta(days=1))
    assert confirm.status_code == 422 and "Aktivasyon tarihi geçmiş bir gün olamaz" in confirm.get_data(as_text=True)
    _form, confirm, _c, _s = open_through_the_screens(client, anadolu, ids, origin=None, fields=FIELDS)
    assert confirm.status_code == 422 and "nereden geçtiğinizi seçiniz" in confirm.get_data(as_text=True)
    _form, confirm, _c, _s = open_through_the_screens(client, anadolu, ids, fields={**FIELDS, "vergi_dairesi": ""})
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 422 and "işaretli alanlar zorunludur (Vergi Dairesi)" in text
    assert 'value="muhasebe@anadolutekstil.com.tr"' in text  # what was typed comes back


def test_together_rule_sends_back_to_the_list_with_the_message(client, login_as, party, db_session):
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    add_efatura(client)
    labels = labels_of(db_session, anadolu.taxpayer)
    answer = client.post(f"{BASE}/ac", data={"secim": [str(labels["efatura_gb:defaultgb"].id),
                                                        str(labels["efatura_saklama:defaultsaklama"].id)]})
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "e-Fatura (GB / PK) ve Saklama etiketleri birlikte açılamamaktadır." in page


def test_wrong_pin_twice_clicked_evet_and_tamam(client, login_as, party, db_session, gib):
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    add_efatura(client)
    ids = [labels_of(db_session, anadolu.taxpayer)["efatura_gb:defaultgb"].id]
    _form, confirm, _certificate, wrong = open_through_the_screens(client, anadolu, ids, fields=FIELDS, pin="000000")
    assert wrong.status_code == 422 and "şifre" in wrong.get_data(as_text=True).lower()
    assert db_session.scalars(select(ServiceRequest)).first() is None
    evet = {"taslak": draft_from(confirm.get_data(as_text=True))}
    twice = [client.post(f"{BASE}/ac/evet", data=evet) for _ in range(2)]
    drafts = [draft_from(page.get_data(as_text=True)) for page in twice]
    answers = [client.post(f"{BASE}/ac/onayla", data={"taslak": d, "sifre": anadolu.token.pin}) for d in drafts]
    assert [a.status_code for a in answers] == [303, 303] and answers[0].headers["Location"] == answers[1].headers["Location"]
    assert len(db_session.scalars(select(ServiceRequest)).all()) == 1


def test_closing_the_last_pk_asks_for_the_warning(client, login_as, party, db_session, gib):
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    add_efatura(client)
    labels = labels_of(db_session, anadolu.taxpayer)
    open_through_the_screens(client, anadolu, [labels["efatura_gb:defaultgb"].id, labels["efatura_pk:defaultpk"].id],
                             fields=FIELDS)
    pk = labels["efatura_pk:defaultpk"]
    form = client.post(f"{BASE}/kapat", data={"secim": [str(pk.id)]})
    text = form.get_data(as_text=True)
    assert form.status_code == 200 and "hiç kimse size e-Fatura gönderemez" in text and "Uyarıyı okudum" in text
    unconfirmed = client.post(f"{BASE}/kapat/evet", data={"taslak": draft_from(text), **anadolu.card()})
    assert unconfirmed.status_code == 422 and "uyarıyı okuduğunuzu işaretleyiniz" in unconfirmed.get_data(as_text=True)
    certificate = client.post(f"{BASE}/kapat/evet", data={"taslak": draft_from(text), "uyari_okundu": "evet",
                                                         **anadolu.card()})
    assert "İmza için kullanacağınız sertifika" in certificate.get_data(as_text=True)
    signed = client.post(f"{BASE}/kapat/onayla", data={"taslak": draft_from(certificate.get_data(as_text=True)),
                                                      "sifre": anadolu.token.pin})
    result = client.get(signed.headers["Location"]).get_data(as_text=True)
    assert "İŞLEMİNİZ TAMAMLANMIŞTIR." in result and "Kapatıldı" in result
    assert labels_of(db_session, anadolu.taxpayer)["efatura_pk:defaultpk"].status is LabelStatus.KAPATILDI


def test_gib_away_then_tekrar_gonder(client, login_as, party, db_session, app, start_gib):

    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    gib = start_gib()
    add_efatura(client)
    ids = [labels_of(db_session, anadolu.taxpayer)["efatura_gb:defaultgb"].id]
    form = client.post(f"{BASE}/ac", data={"secim": [str(i) for i in ids]})  # GİB says: no application
    port = gib.port
    gib.stop()
    data = {"taslak": draft_from(form.get_data(as_text=True)), **anadolu.card(), **FIELDS, "aktivasyon": "hemen",
            "gelinen": "yeni"}
    confirm = client.post(f"{BASE}/ac/devam", data=data)
    certificate = client.post(f"{BASE}/ac/evet", data={"taslak": draft_from(confirm.get_data(as_text=True))})
    signed = client.post(f"{BASE}/ac/onayla", data={"taslak": draft_from(certificate.get_data(as_text=True)),
                                                    "sifre": anadolu.token.pin})
    page = client.get(signed.headers["Location"]).get_data(as_text=True)
    assert "İmzalı talebiniz GİB'e iletilemedi" in page and "GİB servisine ulaşılamıyor" in page
    assert ">Tekrar Gönder</button>" in page
    start_gib(port=port, data=gib.data)
    request = db_session.scalars(select(ServiceRequest)).one()
    again = client.post(f"{BASE}/talep/{request.id}/tekrar-gonder")
    assert "İŞLEMİNİZ TAMAMLANMIŞTIR." in client.get(again.headers["Location"]).get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(ServiceRequest, request.id).status is RequestStatus.TAMAMLANDI


def test_another_taxpayers_request_and_documents_are_not_found(client, login_as, party, db_session, gib):
    anadolu, ege = party("anadolu"), party("ege")
    login_as(anadolu.taxpayer)
    add_efatura(client)
    ids = [labels_of(db_session, anadolu.taxpayer)["efatura_gb:defaultgb"].id]
    open_through_the_screens(client, anadolu, ids, fields=FIELDS)
    request = db_session.scalars(select(ServiceRequest)).one()
    login_as(ege.taxpayer)
    assert client.get(f"{BASE}/talep/{request.id}").status_code == 404
    assert client.get(f"{BASE}/talep/{request.id}/talep.xml").status_code == 404
    assert client.get(f"{BASE}/etiket/{ids[0]}/durum").status_code == 404
    refused = client.post(f"{BASE}/ac", data={"secim": [str(ids[0])]})
    assert refused.status_code == 303  # "Seçilen etiketlerden biri bulunamadı"


def test_kayitli_kullanici_listesi_page(client, login_as, party, db_session, start_gib):
    gib = start_gib()
    anadolu = party("anadolu")
    gib.client.register_taxpayer("6132704183", "Ege Gıda Dağıtım Limited Şirketi", aliases=[
        SeedAlias("Invoice", "PK", "urn:mail:defaultpk@egegida.com.tr", "GIBPORTAL")], idempotency_key="ege-gida")
    login_as(anadolu.taxpayer)
    page = client.get("/yonetim/kayitli-kullanicilar").get_data(as_text=True)
    assert "Liste henüz indirilmedi." in page and 'hx-trigger="load"' in page
    widget = client.post("/yonetim/kayitli-kullanicilar/guncelle", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Kayıtlı Kullanıcı Listesi İndirme" in widget and "Tamamlandı" in widget
    again = client.post("/yonetim/kayitli-kullanicilar/guncelle", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "saatte en fazla bir kez" in again
    page = client.get("/yonetim/kayitli-kullanicilar?ara=ege gıda").get_data(as_text=True)
    assert "6132704183" in page and "urn:mail:defaultpk@egegida.com.tr" in page and "Posta Kutusu" in page
    assert 'hx-trigger="load"' not in page and "Son indirme:" in page
    assert "bulunamadı" in client.get("/yonetim/kayitli-kullanicilar?ara=4821307561").get_data(as_text=True)
    assert db_session.scalars(select(Job).where(Job.kind == "kullanici_listesi_indirme")).one().taxpayer_id == anadolu.taxpayer.id


def test_the_page_tells_which_pk_to_use_and_lists_the_labels_gib_closed(client, login_as, party, db_session, desk,
                                                                        gib):
    anadolu = party("anadolu")
    gib.client.register_taxpayer(anadolu.taxpayer.identifier, anadolu.taxpayer.unvan, aliases=[
        SeedAlias("Invoice", "PK", "urn:mail:defaultpk@gibportal.gov.tr", "GIBPORTAL")], idempotency_key="gib-portal")
    working = desk("anadolu")
    working.activate("efatura", "efatura_gb", "efatura_pk", origin="gib_portal")
    login_as(anadolu.taxpayer)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Geçiş: GİB Portal&#39;dan geçiyorum." in page
    assert "GİB&#39;de kapatılan eski etiketleriniz" in page or "GİB'de kapatılan eski etiketleriniz" in page
    assert "urn:mail:defaultpk@gibportal.gov.tr</code> (PK, GİB Portal)" in page
    assert "hangi PK etiketinizi kullanmaları" not in page  # one PK so far
    working.add("efatura", "merkez")
    working.open(working.label("efatura_pk", "merkez"), origin=None)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Birden çok posta kutusu etiketiniz var." in page and "hangi PK etiketinizi kullanmaları" in page


def test_tekrar_gonder_for_another_taxpayers_request_is_not_found(client, login_as, party, db_session, desk, gib):
    request = desk("anadolu").activate("efatura", "efatura_gb")
    login_as(party("ege").taxpayer)
    assert client.post(f"{BASE}/talep/{request.id}/tekrar-gonder").status_code == 404
