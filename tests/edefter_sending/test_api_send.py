"""/api/v1 ``gonder``: an accounting program sends its signed month to GİB (scope defter, Idempotency-Key) and
reads each file's answer from the period."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Job
from tests.journal.conftest import bearer, make_key  # noqa: F401


def test_the_api_sends_a_signed_month_once_per_key_and_shows_gibs_answers(
        client, company, gib, signed_month, make_key, db_session):  # type: ignore[no-untyped-def]
    period = signed_month(2024, 1, 6)
    vkn = company.taxpayer.identifier
    base = f"/api/v1/mukellefler/{vkn}/donemler/2024-01"
    writer, ledger = make_key(company.taxpayer, scope="yazma"), make_key(company.taxpayer, name="Defter")
    assert client.post(f"{base}/gonder", headers=bearer(writer)).status_code == 403

    headers = bearer(ledger) | {"Idempotency-Key": "mikro-2024-01-gonder"}
    sent = client.post(f"{base}/gonder", headers=headers)
    assert sent.status_code == 202, sent.get_json()
    body = sent.get_json()
    assert body["donem"]["durum"] == "onaylandi" and body["donem"]["durum_adi"] == "GİB Onaylandı"
    files = body["donem"]["gonderimler"]
    assert [f["tur"] for f in files][-1] == "DR" and all(f["durum"] == "onaylandi" for f in files)
    assert files[0]["dosya"] == f"{vkn}-202401-YB-000001.xml"
    assert files[0]["onayli_berat"] == f"GIB-{vkn}-202401-YB-000001.xml" and files[0]["onay_no"]

    again = client.post(f"{base}/gonder", headers=headers)
    assert again.status_code == 202 and again.get_json()["is_id"] == body["is_id"]
    db_session.expire_all()
    assert len(db_session.scalars(select(Job).where(Job.kind == "edefter_gonderim")).all()) == 1

    refused = client.post(f"{base}/gonder", headers=bearer(ledger))
    assert refused.status_code == 409 and "GİB onaylı dönem" in refused.get_json()["detail"]
    state = client.get(base, headers=bearer(ledger)).get_json()
    assert state["durum"] == "onaylandi" and len(state["gonderimler"]) == len(files)
    with client.get(f"{base}/paket", headers=bearer(ledger)) as package:
        assert package.status_code == 200 and f"GIB-{vkn}-202401-KB-000001.xml".encode() in package.get_data()


def test_two_long_keys_alike_at_the_start_are_two_requests(
        app, client, company, gib, signed_month, make_key, db_session):  # type: ignore[no-untyped-def]
    period = signed_month(2024, 1, 6)
    base = f"/api/v1/mukellefler/{company.taxpayer.identifier}/donemler/2024-01"
    ledger = make_key(company.taxpayer, name="Defter")
    app.config["GIB_URL"] = "http://127.0.0.1:9"  # GİB away: the files wait, the period can be sent again
    prefix = "muhasebe-programi-gonderim-" + "x" * 140
    first = client.post(f"{base}/gonder", headers=bearer(ledger) | {"Idempotency-Key": prefix + "-1"})
    second = client.post(f"{base}/gonder", headers=bearer(ledger) | {"Idempotency-Key": prefix + "-2"})
    assert first.status_code == second.status_code == 202
    assert first.get_json()["is_id"] != second.get_json()["is_id"]
    replay = client.post(f"{base}/gonder", headers=bearer(ledger) | {"Idempotency-Key": prefix + "-2"})
    assert replay.get_json()["is_id"] == second.get_json()["is_id"]
    db_session.expire_all()
    assert len(db_session.scalars(select(Job).where(Job.kind == "edefter_gonderim")).all()) == 2
