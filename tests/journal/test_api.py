"""/api/v1 on both databases: keys (none, revoked, expired, another taxpayer's, a cookie), bodies (malformed, one bad
line: nothing stored), idempotent retries, reading back, deleting, the period's state."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.formatting import local_today
from app.journal.api_keys import revoke_key
from app.models import ApiKey, JournalEntry, JournalLine, JournalPeriod, JournalPeriodState
from tests.journal.conftest import PERIOD, bearer, entries_url, line, sale


def _count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_batch_is_taken_and_read_back(client, company, make_key, db_session):
    token = make_key(company)
    answer = client.post(entries_url(company.identifier), json={"maddeler": [sale("1"), sale("2", "2026-11-04")]},
                         headers=bearer(token))
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["madde_sayisi"] == 2 and answer.get_json()["satir_sayisi"] == 6

    listed = client.get(entries_url(company.identifier), headers=bearer(token)).get_json()
    assert [e["madde_no"] for e in listed["maddeler"]] == ["1", "2"]
    first = listed["maddeler"][0]
    assert first["borc_toplami"] == first["alacak_toplami"] == "1180.00"
    assert first["satirlar"][1]["belge_turu"] == "invoice" and first["satirlar"][1]["alacak"] == "1000.00"
    one = client.get(f"{entries_url(company.identifier)}/{first['id']}", headers=bearer(token)).get_json()
    assert one["satirlar"][2]["alt_hesap_kodu"] == "391.01"

    state = client.get(f"/api/v1/mukellefler/{company.identifier}/donemler/{PERIOD}", headers=bearer(token)).get_json()
    assert state == {"donem": PERIOD, "durum": "acik", "durum_adi": "Kayıt Alınıyor", "madde_sayisi": 2,
                     "satir_sayisi": 6, "gonderimler": []}


def test_one_bad_line_refuses_the_whole_batch(client, company, make_key, db_session):
    token = make_key(company)
    bad = sale("2")
    bad["satirlar"][0]["borc"] = "1180.005"
    unbalanced = sale("3")
    unbalanced["satirlar"][2]["alacak"] = "1.00"
    answer = client.post(entries_url(company.identifier), json={"maddeler": [sale("1"), bad, unbalanced]},
                         headers=bearer(token))
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert "hiçbir kayıt alınmadı" in body["detail"]
    pointers = {problem["pointer"]: problem["detail"] for problem in body["hatalar"]}
    assert "iki ondalık" in pointers["/maddeler/1/satirlar/0/borc"]
    assert "borç toplamı" in pointers["/maddeler/2"]
    assert _count(db_session, JournalEntry) == 0 and _count(db_session, JournalLine) == 0
    # The month the refused batch would have opened is not left behind, empty, on the lists.
    assert _count(db_session, JournalPeriod) == 0


def test_a_refusal_keeps_a_month_that_has_entries(client, company, make_key, db_session):
    token = make_key(company)
    assert client.post(entries_url(company.identifier), json={"maddeler": [sale("1")]},
                       headers=bearer(token)).status_code == 201
    bad = sale("2")
    bad["satirlar"][0]["borc"] = "x"
    assert client.post(entries_url(company.identifier), json={"maddeler": [bad]},
                       headers=bearer(token)).status_code == 422
    assert _count(db_session, JournalPeriod) == 1 and _count(db_session, JournalEntry) == 1


def test_each_rule_is_named(client, company, make_key):
    token = make_key(company)
    entries = [
        {"madde_no": "1", "tarih": "2026-11-03", "satirlar": [line("100", "KASA", debit="5")]},
        {"madde_no": "2", "tarih": "2026-12-01", "satirlar": [line("100", "KASA", debit="5"),
                                                              line("600", "SATIŞ", credit="5")]},
        {"madde_no": "3", "tarih": "2026-11-03", "satirlar": [line("100", "KASA", debit="0"),
                                                              line("600", "SATIŞ", credit="-5")]},
        {"madde_no": "4", "tarih": "2026-11-03", "satirlar": [
            line("100", "KASA", debit="5", belge_turu="makbuzz"),
            line("600", "SATIŞ", credit="5", belge_turu="fatura")]},
        {"madde_no": "5", "tarih": "2026-11-03", "satirlar": [
            line("10", "KASA", debit="5"), line("600", "SATIŞ", credit="5", alt_hesap_kodu="601.01",
                                                  alt_hesap_adi="X")]},
    ]
    answer = client.post(entries_url(company.identifier), json={"maddeler": entries}, headers=bearer(token))
    assert answer.status_code == 422
    found = {p["pointer"]: p["detail"] for p in answer.get_json()["hatalar"]}
    assert "en az iki satır" in found["/maddeler/0"]
    assert "dönemin dışında" in found["/maddeler/1/tarih"]
    assert "sıfırdan büyük" in found["/maddeler/2/satirlar/0/borc"]
    assert "sıfırdan küçük" in found["/maddeler/2/satirlar/1/alacak"]
    assert "GİB'in listesinde yok" in found["/maddeler/3/satirlar/0/belge_turu"]
    assert "belge no zorunludur" in found["/maddeler/3/satirlar/1/belge_no"]
    assert "belge tarihi zorunludur" in found["/maddeler/3/satirlar/1/belge_tarihi"]
    assert "3 ya da 4 karakter" in found["/maddeler/4/satirlar/0/hesap_kodu"]
    assert "ana hesap koduyla başlamalıdır" in found["/maddeler/4/satirlar/1/alt_hesap_kodu"]


def test_malformed_bodies_are_problems_not_errors(client, company, make_key):
    token = make_key(company)
    url = entries_url(company.identifier)
    for body, status in ((b"{not json", 400), (b"[]", 422), (b'{"maddeler": "x"}', 422),
                         (b'{"maddeler": [{"madde_no": 1, "tarih": "2026-11-03", "satirlar": [1, 2]}]}', 422),
                         (b'{"maddeler": [], "fazla": 1}', 422), ("\u00ff".encode("latin-1"), 400)):
        answer = client.post(url, data=body, headers={**bearer(token), "Content-Type": "application/json"})
        assert answer.status_code == status, (body, answer.get_data())
        assert answer.mimetype == "application/problem+json" and answer.get_json()["detail"]


def test_keys_that_do_not_open_the_api(app, client, company, taxpayer_factory, make_key, db_session, login_as):
    url = entries_url(company.identifier)
    assert client.get(url).status_code == 401
    assert "Bearer" in client.get(url).get_json()["detail"]
    assert client.get(url, headers={"Authorization": "Bearer ebp_yok_yok"}).status_code == 401

    other = taxpayer_factory(unvan="BAŞKA A.Ş.")
    other_token = make_key(other)
    assert client.get(url, headers=bearer(other_token)).status_code == 404  # another taxpayer's: not found

    expired = make_key(company, expires_on=local_today())
    db_session.execute(ApiKey.__table__.update().values(expires_on=local_today() - timedelta(days=1))
                       .where(ApiKey.taxpayer_id == company.id))
    db_session.commit()
    refused = client.get(url, headers=bearer(expired))
    assert refused.status_code == 401 and "süresi" in refused.get_json()["detail"]

    token = make_key(company, name="İptal edilecek")
    assert client.get(url, headers=bearer(token)).status_code == 200
    key = db_session.scalars(select(ApiKey).where(ApiKey.name == "İptal edilecek")).one()
    with app.test_request_context():
        revoke_key(company, key.id)
    refused = client.get(url, headers=bearer(token))
    assert refused.status_code == 401 and "iptal" in refused.get_json()["detail"]

    reader = make_key(company, scope="okuma", name="Okuyucu")
    assert client.post(url, json={"maddeler": [sale("1")]}, headers=bearer(reader)).status_code == 403

    login_as(company)  # a logged-in browser's cookie is not a key
    assert client.get(url).status_code == 401
    assert client.post(url, json={"maddeler": [sale("1")]}).status_code == 401


def test_an_idempotent_retry_is_answered_not_stored_twice(client, company, make_key, db_session):
    token = make_key(company)
    headers = {**bearer(token), "Idempotency-Key": "fis-2026-11-1"}
    body = {"maddeler": [sale("1")]}
    first = client.post(entries_url(company.identifier), json=body, headers=headers)
    again = client.post(entries_url(company.identifier), json=body, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["gonderim_id"] == first.get_json()["gonderim_id"]
    assert _count(db_session, JournalEntry) == 1
    other = client.post(entries_url(company.identifier), json={"maddeler": [sale("2")]}, headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.get_json()["detail"]
    # The same madde sent again without a key is a double submit: refused by its number.
    double = client.post(entries_url(company.identifier), json=body, headers=bearer(token))
    assert double.status_code == 422 and "zaten kayıtlı" in double.get_json()["hatalar"][0]["detail"]


def test_delete_and_a_created_period_refuses_changes(client, company, make_key, db_session):
    token = make_key(company)
    url = entries_url(company.identifier)
    client.post(url, json={"maddeler": [sale("1"), sale("2")]}, headers=bearer(token))
    deleted = client.delete(url, headers=bearer(token))
    assert deleted.get_json() == {"silinen_madde": 2, "silinen_satir": 6}
    assert _count(db_session, JournalLine) == 0
    client.post(url, json={"maddeler": [sale("1")]}, headers=bearer(token))
    period = db_session.scalars(select(JournalPeriod)).one()
    assert (period.entry_count, period.line_count) == (1, 3)
    period.state = JournalPeriodState.CREATED
    db_session.commit()
    refused = client.post(url, json={"maddeler": [sale("2")]}, headers=bearer(token))
    assert refused.status_code == 409 and "oluşturulmuş" in refused.get_json()["detail"]
    assert client.delete(url, headers=bearer(token)).status_code == 409
    assert _count(db_session, JournalEntry) == 1


def test_a_period_being_created_takes_no_entries(client, company, make_key, db_session):
    from app.models import CreationState, DefterCreation

    token = make_key(company)
    url = entries_url(company.identifier)
    client.post(url, json={"maddeler": [sale("1")]}, headers=bearer(token))
    period = db_session.scalars(select(JournalPeriod)).one()
    creation = DefterCreation(taxpayer_id=company.id, period_id=period.id, max_part_bytes=1024,
                              state=CreationState.PREPARING)
    db_session.add(creation)
    db_session.commit()
    refused = client.post(url, json={"maddeler": [sale("2")]}, headers=bearer(token))
    assert refused.status_code == 409 and "şu anda oluşturuluyor" in refused.get_json()["detail"]
    assert client.delete(url, headers=bearer(token)).status_code == 409
    creation.state = CreationState.FAILED  # the creation failed: the entries can be corrected again
    db_session.commit()
    assert client.post(url, json={"maddeler": [sale("2")]}, headers=bearer(token)).status_code == 201
    assert _count(db_session, JournalEntry) == 2


def test_rate_limit_per_key(app, client, company, make_key):
    app.config["API_RATE_LIMIT_PER_MINUTE"] = 3
    token, other = make_key(company), make_key(company, name="İkinci")
    url = entries_url(company.identifier)
    assert [client.get(url, headers=bearer(token)).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get(url, headers=bearer(token))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert client.get(url, headers=bearer(other)).status_code == 200


def test_send_needs_a_period_and_the_description_is_served(client, company, make_key):
    token = make_key(company)
    answer = client.post(f"/api/v1/mukellefler/{company.identifier}/donemler/{PERIOD}/gonder", headers=bearer(token))
    assert answer.status_code == 404 and "yevmiye kaydı yok" in answer.get_json()["detail"]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert "/mukellefler/{vkn}/donemler/{donem}/maddeler" in spec["paths"]
    page = client.get("/api/v1/")
    assert page.status_code == 200 and "Maddeleri gönder" in page.get_data(as_text=True)


def test_the_api_and_a_csv_of_the_same_month_give_the_same_journal(client, company, taxpayer_factory, make_key,
                                                                   login_as):
    """Done when: an accounting program posts the month, an office uploads it as CSV: the same entries."""
    import io

    body = sale("1")
    body["aciklama"] = "Satış"
    for api_line in body["satirlar"]:
        api_line["aciklama"] = "Satış"
    token = make_key(company)
    assert client.post(entries_url(company.identifier), json={"maddeler": [body]}, headers=bearer(token)).status_code == 201

    office = taxpayer_factory(unvan="OFİS A.Ş.")
    office_token = make_key(office, name="Okuma")
    csv = ("madde_no;tarih;hesap_kodu;hesap_adi;alt_hesap_kodu;alt_hesap_adi;borc;alacak;belge_turu;belge_no;"
           "belge_tarihi;odeme_sekli;aciklama\n"
           "1;03.11.2026;100;KASA;;;1.180,00;;;;;NAKİT;Satış\n"
           "1;03.11.2026;600;YURT İÇİ SATIŞLAR;;;;1000.00;fatura;ANA2026000000001;2026-11-03;;Satış\n"
           "1;03.11.2026;391;HESAPLANAN KDV;391.01;KDV %18;;180;;;;;Satış\n")
    login_as(office)
    uploaded = client.post("/edefter/yevmiye-kayitlari/yukle", data={
        "donem": PERIOD, "dosya": (io.BytesIO(csv.encode()), "kasim.csv")}, content_type="multipart/form-data")
    assert uploaded.status_code == 303

    def journal(vkn: str, key: str) -> list[dict]:
        entries = client.get(entries_url(vkn), headers=bearer(key)).get_json()["maddeler"]
        return [{k: v for k, v in e.items() if k not in ("id", "gonderim_id", "giren")} for e in entries]

    assert journal(company.identifier, token) == journal(office.identifier, office_token)
    assert journal(office.identifier, office_token)[0]["satirlar"][1]["belge_turu"] == "invoice"
