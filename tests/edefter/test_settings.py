"""Firma Ayarları (SPEC D1): every field checked, all mistakes named at once, the reminder after saving."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.edefter.company.company_info import company_info
from app.edefter.company.places import PROVINCES
from app.formats.xbrl.samples import sample_document, sample_entries, write_yevmiye_file
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary
from app.models import AuditEvent, EdefterSettings
from tests.edefter.conftest import SMMM_CONTRACT, html_of, settings_form, text_of


def stored_settings(db_session) -> EdefterSettings | None:
    db_session.expire_all()
    return db_session.scalar(select(EdefterSettings))


def test_the_page_needs_a_login(client):
    response = client.get("/edefter/firma-ayarlari")
    assert response.status_code == 302 and "/giris/" in response.headers["Location"]


def test_first_visit_offers_the_taxpayers_name_and_the_calendar_year(client, login_as, party):
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    page = html_of(client.get("/edefter/firma-ayarlari"))
    assert 'value="Anadolu Tekstil Sanayi ve Ticaret A.Ş."' in page
    assert "Unvan" in page and "NACE Kodu" in page and "Kaydet" in page


def test_a_person_is_named_by_adi_soyadi(client, login_as, party):
    login_as(party("ayse").taxpayer)
    page = client.get("/edefter/firma-ayarlari").get_data(as_text=True)
    assert '<label for="unvan">Adı Soyadı</label>' in page
    response = client.post("/edefter/firma-ayarlari", data=settings_form(unvan="Ayşe", posta_kodu="35210"))
    assert response.status_code == 422
    assert "Adı Soyadı alanına adınızı ve soyadınızı birlikte yazınız." in text_of(response)


def test_saving_stores_every_field_and_reminds_about_uyumlu_yazilim(client, login_as, party, db_session):
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    response = client.post("/edefter/firma-ayarlari", data=settings_form(il="izmir", ulke="turkiye", nace_kodu="131001"))
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    assert "Firma ayarları kaydedildi." in page
    assert "Uyumlu Yazılım" in page and "https://uyg.edefter.gov.tr/edefter/" in page
    settings = stored_settings(db_session)
    assert settings.taxpayer_id == anadolu.taxpayer.id
    assert (settings.city, settings.country, settings.nace_code) == ("İzmir", "Türkiye", "13.10.01")
    assert settings.fiscal_year_end.isoformat() == "2024-12-31" and settings.gib_application_done
    assert not settings.compatible_software_set
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "edefter_firma_ayarlari_kaydedildi"))


def test_firma_islemleri_shows_what_is_done_and_what_is_missing(client, login_as, party, save_settings):
    login_as(party("anadolu").taxpayer)
    before = text_of(client.get("/edefter/"))
    assert "Firma Ayarları Henüz kaydedilmedi" in before and "defteri tutan tanımlı değil" in before
    assert "Şubesiz defter: sonraki madde no 1" in before
    save_settings()
    client.post("/edefter/sozlesmeler", data=SMMM_CONTRACT)
    after = text_of(client.get("/edefter/"))
    assert "Firma Ayarları Kaydedildi" in after and "1 sözleşme" in after and "tanımlı değil" not in after


def test_no_reminder_once_uyumlu_yazilim_is_set(client, login_as, party, db_session):
    login_as(party("anadolu").taxpayer)
    response = client.post("/edefter/firma-ayarlari", data=settings_form(uyumlu_yazilim="1"))
    page = text_of(client.get(response.headers["Location"]))
    assert "Firma ayarları kaydedildi." in page and "Bilgi Güncelle ekranındaki" not in page
    assert stored_settings(db_session).compatible_software_set


def test_saving_again_replaces_the_one_row(client, login_as, party, db_session, save_settings):
    login_as(party("anadolu").taxpayer)
    save_settings()
    save_settings(telefon="+90 232 999 88 77")
    db_session.expire_all()
    rows = db_session.scalars(select(EdefterSettings)).all()
    assert len(rows) == 1 and rows[0].phone == "+90 232 999 88 77"


REQUIRED_FIELDS = {
    "donem_turu": "Hesap dönemi türünü seçiniz.",
    "donem_baslangic": "Hesap dönemi başlangıcı boş olamaz.",
    "donem_bitis": "Hesap dönemi bitişi boş olamaz.",
    "ilk_gecis_tarihi": "e-Defter uygulamasına ilk geçiş tarihi boş olamaz.",
    "kurulus_tarihi": "Firma kuruluş tarihi boş olamaz.",
    "berat_donemi": "Berat gönderim dönemini seçiniz.",
    "bolme_boyutu": "Defter bölme boyutu (MB) 10 ile 200 arasında bir tam sayı olmalıdır.",
    "gib_basvuru": "önce GİB e-Defter Uygulaması'na başvurmuş olmanız gerekir",
    "unvan": "Unvan boş olamaz.",
    "bina_no": "Bina numarası boş olamaz.",
    "cadde_sokak": "Cadde / sokak boş olamaz.",
    "il": "İl boş olamaz.",
    "posta_kodu": "Posta kodu boş olamaz.",
    "ulke": "Ülke boş olamaz.",
    "telefon": "Telefon boş olamaz.",
    "eposta": "E-posta boş olamaz.",
    "web_sitesi": "Web sitesi boş olamaz.",
    "nace_kodu": "İşletme faaliyet konusu (NACE kodu) boş olamaz.",
    "nace_aciklama": "Faaliyet konusu açıklaması boş olamaz.",
}


@pytest.mark.parametrize("field", sorted(REQUIRED_FIELDS))
def test_a_missing_field_is_named_and_the_rest_is_kept(client, login_as, party, db_session, field):
    login_as(party("anadolu").taxpayer)
    response = client.post("/edefter/firma-ayarlari", data=settings_form(**{field: None}))
    assert response.status_code == 422
    page = text_of(response)
    assert REQUIRED_FIELDS[field] in page
    assert "formda 1 eksik ya da hatalı alan var" in page
    markup = html_of(response)
    assert f'id="{field}-hata"' in markup or field in ("donem_turu", "berat_donemi", "gib_basvuru")
    assert 'value="muhasebe@anadolutekstil.com.tr"' in markup or field == "eposta"
    assert stored_settings(db_session) is None


def test_an_empty_form_names_every_missing_field_at_once(client, login_as, party):
    login_as(party("anadolu").taxpayer)
    response = client.post("/edefter/firma-ayarlari", data={})
    page = text_of(response)
    assert response.status_code == 422
    assert f"formda {len(REQUIRED_FIELDS)} eksik ya da hatalı alan var" in page
    assert all(message in page for message in REQUIRED_FIELDS.values())


BAD_VALUES = [
    ({"nace_kodu": "62.1"}, "'62.1' geçerli bir NACE kodu değil; NACE Rev.2 kodu: 62.01 ya da 47.11.01 biçiminde"),
    ({"nace_kodu": "J62.01"}, "geçerli bir NACE kodu değil"),
    ({"nace_kodu": "62.01.1"}, "geçerli bir NACE kodu değil"),
    ({"nace_kodu": "04.11"}, "NACE Rev.2'de 04 numaralı bir bölüm (division) yok."),
    ({"nace_kodu": "00.10"}, "NACE Rev.2'de 00 numaralı bir bölüm (division) yok."),
    ({"posta_kodu": "3521"}, "Posta kodu 5 haneli bir sayı olmalıdır"),
    ({"posta_kodu": "06100"}, "İzmir için 35 ile başlayan bir posta kodu yazınız."),
    ({"il": "Gotham"}, "'Gotham' Türkiye'nin 81 ilinden biri değil"),
    ({"bina_no": "A blok"}, "Bina numarası en az bir rakam içermelidir"),
    ({"telefon": "12345"}, "Telefon numarası alan koduyla birlikte 10–15 rakam olmalıdır"),
    ({"telefon": "0232 123 45 67 dahili"}, "Telefon numarası alan koduyla birlikte 10–15 rakam olmalıdır"),
    ({"eposta": "muhasebe@ornek"}, "E-posta adresi geçerli değil"),
    ({"web_sitesi": "ornek"}, "Web sitesi adresi geçerli değil"),
    ({"web_sitesi": "ftp://ornek.com.tr"}, "Web sitesi adresi geçerli değil"),
    ({"bolme_boyutu": "300"}, "Defter bölme boyutu (MB) 10 ile 200 arasında bir tam sayı olmalıdır."),
    ({"donem_bitis": "2024-06-30"}, "Takvim yılı hesap dönemi 31.12.2024 tarihinde biter."),
    ({"donem_baslangic": "2024-03-01"}, "Takvim yılı hesap dönemi 1 Ocak'ta başlar"),
    ({"donem_bitis": "2023-12-31"}, "Hesap döneminin bitişi başlangıcından sonra olmalıdır."),
    ({"donem_turu": "ozel"}, "31 Aralık'ta biten dönem takvim yılıdır"),
    ({"donem_turu": "ozel", "donem_baslangic": "2024-07-01", "donem_bitis": "2025-07-31"},
     "Hesap dönemi on iki aydan uzun olamaz."),
    ({"donem_turu": "ozel", "donem_baslangic": "2024-07-01", "donem_bitis": "2025-06-15"},
     "Özel hesap dönemi bir ayın son günü biter."),
    ({"kurulus_tarihi": "2024-03-01"}, "Hesap dönemi firma kuruluş tarihinden önce başlayamaz."),
    ({"kurulus_tarihi": "2999-01-01"}, "Firma kuruluş tarihi bugünden sonra olamaz."),
    ({"ilk_gecis_tarihi": "2024-04-15"}, "e-Defter uygulamasına geçiş bir ayın ilk günü olur"),
    ({"ilk_gecis_tarihi": "2009-04-01"}, "e-Defter uygulamasına ilk geçiş firma kuruluşundan önce olamaz."),
    ({"ilk_gecis_tarihi": "2025-02-01"}, "İlk geçiş tarihi hesap döneminin bitişinden sonra olamaz."),
    ({"ilk_gecis_tarihi": "31.02.2024"}, "e-Defter uygulamasına ilk geçiş tarihi geçerli bir tarih değil"),
    ({"unvan": "A"}, "Unvan en az 2 karakter olmalıdır."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_VALUES, ids=[str(c) for c, _ in BAD_VALUES])
def test_a_wrong_value_is_refused_with_its_reason(client, login_as, party, db_session, changes, message):
    login_as(party("anadolu").taxpayer)
    response = client.post("/edefter/firma-ayarlari", data=settings_form(**changes))
    assert response.status_code == 422
    page = text_of(response)
    assert message in page
    assert all(f'value="{value}"' in html_of(response) for name, value in changes.items() if name not in ("donem_turu",))
    assert stored_settings(db_session) is None


GOOD_VARIANTS = [
    {"nace_kodu": "47.11.01"},
    {"nace_kodu": "62.01"},
    {"donem_turu": "ozel", "donem_baslangic": "2024-07-01", "donem_bitis": "2025-06-30", "ilk_gecis_tarihi": "2024-07-01"},
    {"kurulus_tarihi": "2024-03-18", "donem_baslangic": "2024-03-18", "ilk_gecis_tarihi": "2024-03-01"},
    {"ulke": "Almanya", "il": "Berlin", "posta_kodu": "10115", "telefon": "+49 30 1234 5678"},
    {"web_sitesi": "https://www.anadolutekstil.com.tr/", "ilk_gecis_tarihi": "01.04.2024", "berat_donemi": "uc_aylik"},
]


@pytest.mark.parametrize("changes", GOOD_VARIANTS, ids=[str(c) for c in GOOD_VARIANTS])
def test_valid_variants_are_saved(client, login_as, party, db_session, changes):
    login_as(party("anadolu").taxpayer)
    response = client.post("/edefter/firma-ayarlari", data=settings_form(**changes))
    assert response.status_code == 303, text_of(response)
    assert stored_settings(db_session) is not None


def test_htmx_gets_the_form_fragment_with_422(client, login_as, party):
    login_as(party("anadolu").taxpayer)
    response = client.post("/edefter/firma-ayarlari", data=settings_form(nace_kodu="x"), headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.lstrip().startswith("<form") and "<html" not in body
    ok = client.post("/edefter/firma-ayarlari", data=settings_form(), headers={"HX-Request": "true"})
    assert ok.status_code == 204 and ok.headers["HX-Redirect"].endswith("/edefter/firma-ayarlari")


def test_the_81_provinces_are_in_plate_order():
    assert len(PROVINCES) == 81
    assert (PROVINCES[5], PROVINCES[33], PROVINCES[34], PROVINCES[80]) == ("Ankara", "İstanbul", "İzmir", "Düzce")


def test_saved_settings_and_contracts_feed_the_defter_entity_information(app, client, login_as, party,
                                                                        save_settings, tmp_path):
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    save_settings()
    assert client.post("/edefter/sozlesmeler", data=SMMM_CONTRACT).status_code == 303
    with app.test_request_context():
        company = company_info(anadolu.taxpayer)
    document = sample_document(2024, 4)
    target = io.BytesIO()
    write_yevmiye_file(target, company, document, sample_entries(document, 3, first_counter=100),
                       first_entry_counter=100)
    xml = target.getvalue().decode()
    for fact in ("Anadolu Tekstil Sanayi ve Ticaret A.Ş.", "Kurum Unvanı", "Atatürk Caddesi", "35210", "13.20",
                 "muhasebe@anadolutekstil.com.tr", "SMMM Mehmet Demir",
                 "Muhasebe hizmetleri, Muhasebe Hizmet Sözleşmesi, 15.12.2023, No: 2023/118"):
        assert fact in xml
    summary = read_yevmiye_summary(io.BytesIO(target.getvalue()), expected_owner_id=anadolu.taxpayer.identifier)
    assert (summary.first_entry_counter, summary.last_entry_counter) == (100, 102)
