"""Yevmiye Kayıtları and API Anahtarları pages on both databases: upload a CSV and see it, a refused file lists its
rows and stores nothing, another taxpayer's period is invisible, a key is shown once and revoked."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from app.models import ApiKey, JournalEntry
from tests.journal.conftest import bearer, entries_url

HEADER = ("madde_no;tarih;hesap_kodu;hesap_adi;alt_hesap_kodu;alt_hesap_adi;borc;alacak;belge_turu;belge_no;"
          "belge_tarihi;odeme_sekli;aciklama\n")
GOOD = HEADER + (
    "7;03.11.2026;100;KASA;;;1.180,00;;;;;NAKİT;Peşin satış\n"
    "7;03.11.2026;600;YURT İÇİ SATIŞLAR;600.01;Tekstil;;1.000,00;fatura;ANA2026000000001;03.11.2026;;Peşin satış\n"
    "7;03.11.2026;391;HESAPLANAN KDV;;;;180,00;;;;;=HYPERLINK(\"http://x\")\n"
)


def _upload(client, text: str, name: str = "kasim.csv", period: str = "2026-11"):
    return client.post("/edefter/yevmiye-kayitlari/yukle", data={"donem": period,
                       "dosya": (io.BytesIO(text.encode("utf-8")), name)}, content_type="multipart/form-data")


def test_an_uploaded_csv_is_on_the_journal_screen(client, company, login_as):
    login_as(company)
    answer = _upload(client, GOOD)
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "1 madde (3 satır) 2026-11 dönemine alındı." in page
    assert "YURT İÇİ SATIŞLAR" in page and "1.180,00" in page and "ANA2026000000001" in page
    assert "=HYPERLINK(&#34;http://x&#34;)" in page  # a formula is text, shown escaped
    assert "Dosya yükleme" in page and "kasim.csv" in page  # who sent what
    journal = answer.headers["Location"]
    searched = client.get(journal + "?ara=600.01").get_data(as_text=True)
    assert "YURT İÇİ SATIŞLAR" in searched
    assert "Aramaya uyan madde yok" in client.get(journal + "?ara=999").get_data(as_text=True)


def test_a_refused_file_names_its_rows_and_keeps_nothing(client, company, login_as, db_session):
    login_as(company)
    bad = GOOD + "8;03.12.2026;100;KASA;;;5;;;;;;\n8;03.12.2026;60;SATIŞ;;;;5;;;;;\n"
    answer = _upload(client, bad)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "hiçbir kayıt alınmadı" in page
    assert "5. satır, tarih sütunu (madde no 8): Madde tarihi 03.12.2026 dönemin dışında" in page
    assert "6. satır, hesap_kodu sütunu (madde no 8): Hesap kodu 3 ya da 4 karakter" in page
    assert db_session.scalar(select(func.count()).select_from(JournalEntry)) == 0


def test_another_taxpayers_period_is_not_shown(client, company, taxpayer_factory, login_as):
    login_as(company)
    journal = _upload(client, GOOD).headers["Location"]  # /edefter/yevmiye-kayitlari/<period id>
    other = taxpayer_factory(unvan="BAŞKA A.Ş.")
    login_as(other)
    page = client.get("/edefter/yevmiye-kayitlari/donem?donem=2026-11").get_data(as_text=True)
    assert "henüz yevmiye kaydı gelmedi" in page and "YURT İÇİ SATIŞLAR" not in page
    assert client.get(journal).status_code == 404  # the other taxpayer's period, by its id
    assert client.post(journal + "/sil").status_code == 404
    assert client.get(f"/mukellef/{company.id}/edefter/yevmiye-kayitlari/").status_code == 404
    assert client.get("/edefter/yevmiye-kayitlari/donem?donem=2026-13").status_code == 404


def test_samples_download_and_import(client, company, login_as):
    login_as(company)
    sample = client.get("/edefter/yevmiye-kayitlari/ornek.csv")
    assert sample.status_code == 200 and sample.data.startswith("\ufeffmadde_no;".encode())
    assert client.get("/edefter/yevmiye-kayitlari/sablon.xlsx").data[:2] == b"PK"
    from app.formatting import local_today
    today = local_today()
    answer = client.post("/edefter/yevmiye-kayitlari/yukle", data={
        "donem": f"{today.year}-{today.month:02d}", "dosya": (io.BytesIO(sample.data), "ornek.csv")},
        content_type="multipart/form-data")
    assert answer.status_code == 303
    xlsx = client.get("/edefter/yevmiye-kayitlari/ornek.xlsx")
    client.post(answer.headers["Location"] + "/sil")
    answer = client.post("/edefter/yevmiye-kayitlari/yukle", data={
        "donem": f"{today.year}-{today.month:02d}", "dosya": (io.BytesIO(xlsx.data), "ornek.xlsx")},
        content_type="multipart/form-data")
    assert answer.status_code == 303, answer.get_data(as_text=True)[-2000:]


def test_a_key_is_shown_once_used_and_revoked(client, company, login_as, db_session):
    login_as(company)
    page = client.post("/edefter/api-anahtarlari", data={"ad": "Mikro", "kapsam": "yazma", "bitis": ""})
    token = re.search(r"(ebp_[a-z0-9]{10}_[A-Za-z0-9_-]+)", page.get_data(as_text=True))[1]
    assert token not in client.get("/edefter/api-anahtarlari").get_data(as_text=True)
    key = db_session.scalars(select(ApiKey)).one()
    assert key.secret_hash != token and token not in key.secret_hash
    assert client.get(entries_url(company.identifier), headers=bearer(token)).status_code == 200
    assert "Hiç kullanılmadı" not in client.get("/edefter/api-anahtarlari").get_data(as_text=True)
    client.post(f"/edefter/api-anahtarlari/{key.id}/iptal")
    assert "İptal edildi" in client.get("/edefter/api-anahtarlari").get_data(as_text=True)
    assert client.get(entries_url(company.identifier), headers=bearer(token)).status_code == 401
    refused = client.post("/edefter/api-anahtarlari", data={"ad": "", "kapsam": "yazma"})
    assert refused.status_code == 422 and "Anahtar adı zorunludur" in refused.get_data(as_text=True)


def test_a_large_upload_runs_as_a_job(app, client, company, login_as, db_session):
    app.config["JOURNAL_INLINE_UPLOAD_KB"] = 0  # every file is "large": the job runs (immediately, in tests)
    login_as(company)
    answer = _upload(client, GOOD)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 202
    assert "arka planda işleniyor" in page and "1 madde (3 satır) 2026-11 dönemine alındı." in page
    assert db_session.scalar(select(func.count()).select_from(JournalEntry)) == 1
    refused = _upload(client, GOOD.replace("1.180,00", "1.180,01"), name="hatali.csv").get_data(as_text=True)
    assert "Maddenin borç toplamı (1.180,01) alacak toplamına (1.180,00) eşit değil." in refused
    assert db_session.scalar(select(func.count()).select_from(JournalEntry)) == 1
