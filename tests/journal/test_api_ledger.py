"""/api/v1's e-Defter endpoints on both databases: wired to issue 13's creation operations (start, sign, package),
the PIN only over TLS or loopback, and sending refused until the period is signed."""

from __future__ import annotations

from tests.journal.conftest import PERIOD, bearer, entries_url, sale


def _url(vkn: str, what: str) -> str:
    return f"/api/v1/mukellefler/{vkn}/donemler/{PERIOD}/{what}"


def test_creation_needs_the_ledger_scope_and_its_prerequisites(client, company, make_key):
    writer, ledger = make_key(company, scope="yazma"), make_key(company, scope="defter", name="Defter")
    assert client.post(_url(company.identifier, "olustur"), headers=bearer(ledger)).status_code == 404  # no entries
    client.post(entries_url(company.identifier), json={"maddeler": [sale("1")]}, headers=bearer(writer))
    assert client.post(_url(company.identifier, "olustur"), headers=bearer(writer)).status_code == 403
    refused = client.post(_url(company.identifier, "olustur"), headers=bearer(ledger))
    assert refused.status_code == 409, refused.get_json()
    assert refused.mimetype == "application/problem+json" and refused.get_json()["detail"]


def test_signing_takes_the_pin_only_over_tls_or_loopback(client, company, make_key):
    token = make_key(company)
    client.post(entries_url(company.identifier), json={"maddeler": [sale("1")]}, headers=bearer(token))
    body = {"kart": "MM-4821307561", "pin": "111111"}
    remote = client.post(_url(company.identifier, "imzala"), json=body, headers=bearer(token),
                         environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert remote.status_code == 403 and "TLS" in remote.get_json()["detail"]
    assert "111111" not in remote.get_data(as_text=True)
    malformed = client.post(_url(company.identifier, "imzala"), json={"kart": "x"}, headers=bearer(token))
    assert malformed.status_code == 422
    not_created = client.post(_url(company.identifier, "imzala"), json=body, headers=bearer(token))
    assert not_created.status_code == 409 and "oluşturulmadı" in not_created.get_json()["detail"]
    over_tls = client.post(_url(company.identifier, "imzala"), json=body, headers=bearer(token),
                           base_url="https://localhost", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert over_tls.status_code == 409


def test_package_before_creation_and_send(client, company, make_key):
    token = make_key(company)
    client.post(entries_url(company.identifier), json={"maddeler": [sale("1")]}, headers=bearer(token))
    early = client.get(_url(company.identifier, "paket"), headers=bearer(token))
    assert early.status_code == 409 and early.mimetype == "application/problem+json"
    sent = client.post(_url(company.identifier, "gonder"), headers=bearer(token))
    assert sent.status_code == 409 and "henüz imzalanmadı" in sent.get_json()["detail"]


def test_an_accounting_program_creates_signs_and_downloads_its_month(app, client, party, login_as, make_key,
                                                                      gib_simulator):
    """The whole month over the API: entries, creation (issue 13's job), signing with the card's PIN, the zip."""
    import io
    import zipfile

    from tests.edefter.conftest import SMMM_CONTRACT, settings_form

    app.config["GIB_URL"] = gib_simulator.base_url
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    settings = settings_form(donem_baslangic="2026-01-01", donem_bitis="2026-12-31", ilk_gecis_tarihi="2026-01-01")
    assert client.post("/edefter/firma-ayarlari", data=settings).status_code == 303
    assert client.post("/edefter/sozlesmeler", data=SMMM_CONTRACT).status_code == 303
    token = make_key(anadolu.taxpayer)
    vkn, base = anadolu.taxpayer.identifier, f"/api/v1/mukellefler/{anadolu.taxpayer.identifier}/donemler/2026-01"
    posted = client.post(f"{base}/maddeler", json={"maddeler": [sale("1", "2026-01-05"), sale("2", "2026-01-06")]},
                         headers=bearer(token))
    assert posted.status_code == 201, posted.get_json()

    started = client.post(f"{base}/olustur", headers=bearer(token))
    assert started.status_code == 202, started.get_json()
    state = client.get(base, headers=bearer(token)).get_json()
    assert state["durum"] == "olusturuldu", state

    signed = client.post(f"{base}/imzala", json={"kart": anadolu.token.label, "pin": anadolu.token.pin},
                         headers=bearer(token))
    assert signed.status_code == 200, signed.get_json()
    assert signed.get_json()["durum"] == "imzalandi"
    assert client.post(f"{base}/maddeler", json={"maddeler": [sale("3", "2026-01-07")]},
                       headers=bearer(token)).status_code == 409

    package = client.get(f"{base}/paket", headers=bearer(token))
    assert package.status_code == 200 and package.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    package.close()
    assert any(name.startswith(f"{vkn}-202601-Y-") for name in names), names
