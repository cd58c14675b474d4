"""Tenant isolation: a taxpayer reaches none of another's settings, contracts, branches or verifications by id."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import AccountingContract, EdefterBranch, EdefterSettings, YevmiyeVerification
from tests.edefter.conftest import (
    SMMM_CONTRACT,
    settings_form,
    signed_yevmiye_bytes,
    text_of,
    verification_count,
    yevmiye_bytes,
)


@pytest.fixture
def a_and_b(client, login_as, party, db_session, upload):
    """Anadolu with settings, a contract, a branch and a verification; then Ege logged in."""
    anadolu, ege = party("anadolu"), party("ege")
    login_as(anadolu.taxpayer)
    client.post("/edefter/firma-ayarlari", data=settings_form(telefon="0232 555 55 55"))
    client.post("/edefter/sozlesmeler", data=SMMM_CONTRACT)
    client.post("/edefter/subeler", data={"sube_kodu": "0001", "sube_adi": "İzmir"})
    assert upload(signed_yevmiye_bytes(anadolu.taxpayer.identifier, count=2)).status_code == 303
    db_session.expire_all()
    ids = {
        "contract": db_session.scalar(select(AccountingContract.id)),
        "branch": db_session.scalar(select(EdefterBranch.id)),
        "verification": db_session.scalar(select(YevmiyeVerification.id)),
    }
    with client.session_transaction() as session:
        session.clear()  # as a logout does: A's unread messages leave with A's session
    login_as(ege.taxpayer)
    return anadolu, ege, ids


def test_b_sees_none_of_as_records(client, a_and_b):
    _, _, ids = a_and_b
    pages = " ".join(text_of(client.get(url)) for url in (
        "/edefter/", "/edefter/firma-ayarlari", "/edefter/sozlesmeler", "/edefter/subeler", "/edefter/yevmiye-dogrulama"))
    for secret in ("0232 555 55 55", "Mehmet Demir", "0001 İzmir", "YEV202403000001"):
        assert secret not in pages
    assert "Yevmiye numaralandırması 1'den başlayacak." in pages
    assert client.get(f"/edefter/sozlesmeler/{ids['contract']}").status_code == 404
    assert client.get(f"/edefter/yevmiye-dogrulama/{ids['verification']}").status_code == 404


def test_b_cannot_change_or_delete_as_records(client, a_and_b, db_session):
    _, _, ids = a_and_b
    assert client.post(f"/edefter/sozlesmeler/{ids['contract']}", data={**SMMM_CONTRACT, "adi_soyadi": "Kötü Niyet"}).status_code == 404
    assert client.post(f"/edefter/sozlesmeler/{ids['contract']}/sil").status_code == 404
    assert client.post(f"/edefter/subeler/{ids['branch']}/sil").status_code == 404
    db_session.expire_all()
    assert db_session.get(AccountingContract, ids["contract"]).person_name == "Mehmet Demir"
    assert db_session.get(EdefterBranch, ids["branch"]) is not None


def test_b_saving_settings_leaves_as_settings_alone(client, a_and_b, db_session):
    anadolu, ege, _ = a_and_b
    response = client.post("/edefter/firma-ayarlari", data=settings_form(unvan="Ege Gıda Dağıtım Limited Şirketi"))
    assert response.status_code == 303
    db_session.expire_all()
    by_owner = {s.taxpayer_id: s for s in db_session.scalars(select(EdefterSettings))}
    assert by_owner[anadolu.taxpayer.id].phone == "0232 555 55 55"
    assert by_owner[ege.taxpayer.id].name == "Ege Gıda Dağıtım Limited Şirketi"


def test_b_cannot_upload_into_as_branch(client, a_and_b, upload, db_session):
    _, ege, ids = a_and_b
    client.post("/edefter/firma-ayarlari", data=settings_form(unvan="Ege Gıda"))
    before = verification_count(db_session)
    response = upload(yevmiye_bytes(ege.taxpayer.identifier, count=2), branch_id=ids["branch"])
    assert response.status_code == 422
    assert "Seçilen şube bulunamadı" in text_of(response) and "İzmir" not in text_of(response)
    assert verification_count(db_session) == before
