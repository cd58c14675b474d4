"""Sözleşme Ayarları (SPEC D2): SM/SMMM/YMM contracts, the in-house "-", list, add, edit, delete."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import AccountingContract, AuditEvent, ContractKind
from tests.edefter.conftest import SMMM_CONTRACT, count_rows, html_of, text_of

YMM_CONTRACT = {
    "musavir_turu": "YMM", "unvan": "YMM", "adi_soyadi": "Zeynep Kaya", "aciklama": "Tam tasdik",
    "cesit": "Tam Tasdik Sözleşmesi", "sozlesme_tarihi": "2024-01-05", "sozlesme_no": "YMM-2024-7",
}
IN_HOUSE = {"musavir_turu": "BUNYE", "unvan": "Muhasebe Müdürü", "adi_soyadi": "Ali Veli", "aciklama": "-",
            "cesit": "-", "sozlesme_tarihi": "", "sozlesme_no": "-"}


def contracts(db_session) -> list[AccountingContract]:
    db_session.expire_all()
    return list(db_session.scalars(select(AccountingContract).order_by(AccountingContract.id)))


@pytest.fixture
def anadolu(login_as, party):
    taxpayer = party("anadolu").taxpayer
    login_as(taxpayer)
    return taxpayer


def test_smmm_and_ymm_full_certification_stand_side_by_side(client, anadolu, db_session):
    assert client.post("/edefter/sozlesmeler", data=SMMM_CONTRACT).status_code == 303
    response = client.post("/edefter/sozlesmeler", data=YMM_CONTRACT)
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    assert "Sözleşme bilgisi eklendi." in page and "Sözleşme Listesi (2 kayıt)" in page
    assert "Mehmet Demir" in page and "Tam Tasdik Sözleşmesi" in page and "15.12.2023" in page
    assert [c.kind for c in contracts(db_session)] == [ContractKind.SMMM, ContractKind.YMM]
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "edefter_sozlesme_eklendi"))


def test_in_house_books_store_a_dash_and_the_officers_title(client, anadolu, db_session):
    response = client.post("/edefter/sozlesmeler", data={**IN_HOUSE, "aciklama": "", "cesit": ""})
    assert response.status_code == 303
    stored = contracts(db_session)[0]
    assert (stored.kind, stored.title, stored.person_name) == (ContractKind.BUNYE, "Muhasebe Müdürü", "Ali Veli")
    assert (stored.description, stored.contract_type, stored.contract_number, stored.contract_date) == ("-", "-", "-", None)


def test_in_house_with_contract_details_is_refused(client, anadolu, db_session):
    response = client.post("/edefter/sozlesmeler", data={**IN_HOUSE, "sozlesme_no": "12", "sozlesme_tarihi": "2024-01-01"})
    assert response.status_code == 422
    page = text_of(response)
    assert "Defterler işletme bünyesinde tutuluyorsa sözleşme numarası alanına tire (-) yazılır." in page
    assert "Defterler işletme bünyesinde tutuluyorsa sözleşme tarihi yazılmaz." in page
    assert contracts(db_session) == []


def test_a_dash_in_an_smmm_contract_is_refused(client, anadolu, db_session):
    response = client.post("/edefter/sozlesmeler", data={**SMMM_CONTRACT, "cesit": "-"})
    assert response.status_code == 422
    assert "Sözleşme çeşidi alanına tire (-) yalnızca defterler işletme bünyesinde tutuluyorsa yazılır." in text_of(response)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("musavir_turu", "", "Müşavir türünü seçiniz."),
    ("musavir_turu", "AVUKAT", "Müşavir türünü seçiniz."),
    ("unvan", "", "Unvan boş olamaz."),
    ("adi_soyadi", "", "Adı Soyadı boş olamaz."),
    ("adi_soyadi", "Mehmet", "Adı ve soyadını birlikte yazınız."),
    ("aciklama", "", "Sözleşme açıklaması boş olamaz."),
    ("cesit", "", "Sözleşme çeşidi boş olamaz."),
    ("sozlesme_tarihi", "", "Sözleşme tarihi boş olamaz."),
    ("sozlesme_tarihi", "2999-01-01", "Sözleşme tarihi bugünden sonra olamaz."),
    ("sozlesme_no", "", "Sözleşme numarası boş olamaz."),
])
def test_each_contract_field_is_checked(client, anadolu, db_session, field, value, message):
    response = client.post("/edefter/sozlesmeler", data={**SMMM_CONTRACT, field: value})
    assert response.status_code == 422
    page = text_of(response)
    assert message in page
    assert 'value="2023/118"' in html_of(response) or field == "sozlesme_no"
    assert contracts(db_session) == []


@pytest.mark.parametrize(("first", "second", "message"), [
    (SMMM_CONTRACT, IN_HOUSE, "Defterler işletme bünyesinde tutuluyorsa SM/SMMM sözleşmesi girilmez"),
    (IN_HOUSE, {**SMMM_CONTRACT, "musavir_turu": "SM"}, "Defterler işletme bünyesinde tutuluyorsa SM/SMMM sözleşmesi girilmez"),
    (YMM_CONTRACT, YMM_CONTRACT, "YMM tam tasdik sözleşmesi yalnızca bir kez girilir"),
    (IN_HOUSE, IN_HOUSE, "İşletme bünyesindeki muhasebe bölüm yetkilisi yalnızca bir kez girilir."),
])
def test_contracts_that_cannot_stand_together(client, anadolu, db_session, first, second, message):
    assert client.post("/edefter/sozlesmeler", data=first).status_code == 303
    response = client.post("/edefter/sozlesmeler", data=second)
    assert response.status_code == 422 and message in text_of(response)
    assert len(contracts(db_session)) == 1


def test_a_contract_is_edited_and_deleted(client, anadolu, db_session):
    client.post("/edefter/sozlesmeler", data=SMMM_CONTRACT)
    contract_id = contracts(db_session)[0].id
    form = html_of(client.get(f"/edefter/sozlesmeler/{contract_id}"))
    assert 'value="Mehmet Demir"' in form and 'value="2023-12-15"' in form
    response = client.post(f"/edefter/sozlesmeler/{contract_id}", data={**SMMM_CONTRACT, "sozlesme_no": "2024/1"})
    assert response.status_code == 303
    assert contracts(db_session)[0].contract_number == "2024/1"

    bad = client.post(f"/edefter/sozlesmeler/{contract_id}", data={**SMMM_CONTRACT, "adi_soyadi": ""})
    assert bad.status_code == 422 and "Adı Soyadı boş olamaz." in text_of(bad)
    assert contracts(db_session)[0].person_name == "Mehmet Demir"

    deleted = client.post(f"/edefter/sozlesmeler/{contract_id}/sil")
    assert deleted.status_code == 303
    assert "Mehmet Demir (SMMM) sözleşme bilgisi silindi." in text_of(client.get(deleted.headers["Location"]))
    assert contracts(db_session) == []
    assert count_rows(db_session, AuditEvent) == 3


def test_editing_a_ymm_into_a_second_bookkeeper_conflict_is_refused(client, anadolu, db_session):
    client.post("/edefter/sozlesmeler", data=IN_HOUSE)
    client.post("/edefter/sozlesmeler", data=YMM_CONTRACT)
    ymm_id = contracts(db_session)[1].id
    response = client.post(f"/edefter/sozlesmeler/{ymm_id}", data={**YMM_CONTRACT, "musavir_turu": "SMMM"})
    assert response.status_code == 422 and "SM/SMMM sözleşmesi girilmez" in text_of(response)
    assert contracts(db_session)[1].kind is ContractKind.YMM


def test_the_page_warns_while_nobody_keeps_the_books(client, anadolu):
    assert "Defteri tutan SM/SMMM ya da işletme bünyesindeki muhasebe yetkilisi henüz tanımlı değil" in text_of(
        client.get("/edefter/sozlesmeler"))
    client.post("/edefter/sozlesmeler", data=YMM_CONTRACT)
    assert "henüz tanımlı değil" in text_of(client.get("/edefter/sozlesmeler"))
    client.post("/edefter/sozlesmeler", data=SMMM_CONTRACT)
    assert "henüz tanımlı değil" not in text_of(client.get("/edefter/sozlesmeler"))


def test_unknown_contract_ids_are_404(client, anadolu):
    assert client.get("/edefter/sozlesmeler/999999").status_code == 404
    assert client.post("/edefter/sozlesmeler/999999", data=SMMM_CONTRACT).status_code == 404
    assert client.post("/edefter/sozlesmeler/999999/sil").status_code == 404
