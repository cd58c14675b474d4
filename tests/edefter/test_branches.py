"""Şube Ayarları (SPEC D3): four-digit codes, the Şube Listesi, and branches with ledgers stay."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.formats.xbrl.model import Branch
from app.models import EdefterBranch
from tests.edefter.conftest import signed_yevmiye_bytes, text_of


def branches(db_session) -> list[EdefterBranch]:
    db_session.expire_all()
    return list(db_session.scalars(select(EdefterBranch).order_by(EdefterBranch.code)))


def add(client, code: str, name: str):  # type: ignore[no-untyped-def]
    return client.post("/edefter/subeler", data={"sube_kodu": code, "sube_adi": name})


def test_branches_are_added_and_listed_by_code(client, anadolu, db_session):
    assert add(client, "0002", "Manisa").status_code == 303
    response = add(client, "0001", "İzmir")
    page = text_of(client.get(response.headers["Location"]))
    assert "0001 İzmir şubesi eklendi." in page
    listing = page[page.index("Şube Listesi"):]
    assert "Şube Listesi (2 şube)" in listing and listing.index("0001 İzmir") < listing.index("0002 Manisa")
    assert [(b.code, b.name) for b in branches(db_session)] == [("0001", "İzmir"), ("0002", "Manisa")]


@pytest.mark.parametrize(("code", "name", "message"), [
    ("", "İzmir", "Şube kodu boş olamaz."),
    ("001", "İzmir", "Şube kodu 4 haneli bir sayı olmalıdır (örnek: 0001)."),
    ("00012", "İzmir", "Şube kodu 4 haneli bir sayı olmalıdır"),
    ("00a1", "İzmir", "Şube kodu 4 haneli bir sayı olmalıdır"),
    ("٠٠٠١", "İzmir", "Şube kodu 4 haneli bir sayı olmalıdır"),  # Arabic-Indic digits are digits to Python, not to GİB
    ("0001", "", "Şube adı boş olamaz."),
    ("0001", "İ", "Şube adı en az 2 karakter olmalıdır."),
])
def test_code_and_name_are_checked(client, anadolu, db_session, code, name, message):
    response = add(client, code, name)
    assert response.status_code == 422 and message in text_of(response)
    assert branches(db_session) == []


def test_a_code_is_used_once(client, anadolu, db_session):
    add(client, "0001", "İzmir")
    response = add(client, "0001", "Bornova")
    assert response.status_code == 422 and "0001 kodlu şube zaten tanımlı." in text_of(response)
    assert len(branches(db_session)) == 1


def test_a_branch_without_ledgers_is_deleted(client, anadolu, db_session):
    add(client, "0001", "İzmir")
    [izmir] = branches(db_session)
    response = client.post(f"/edefter/subeler/{izmir.id}/sil")
    assert response.status_code == 303
    assert "0001 İzmir şubesi silindi." in text_of(client.get(response.headers["Location"]))
    assert branches(db_session) == []


def _verify_branch(upload, owner: str, branch: EdefterBranch, month: int = 3):  # type: ignore[no-untyped-def]
    data = signed_yevmiye_bytes(owner, count=2, month=month, branch=Branch(branch.code, branch.name))
    response = upload(data, branch_id=branch.id)
    assert response.status_code == 303, text_of(response)


def test_a_branch_with_ledgers_cannot_be_deleted(client, anadolu, upload, db_session):
    add(client, "0001", "İzmir")
    add(client, "0002", "Manisa")
    izmir, manisa = branches(db_session)
    _verify_branch(upload, anadolu.taxpayer.identifier, izmir)
    response = client.post(f"/edefter/subeler/{izmir.id}/sil")
    assert response.status_code == 422
    assert "0001 İzmir şubesine ait defter (yevmiye kaydı) bulunduğu için şube silinemez." in text_of(response)
    assert client.post(f"/edefter/subeler/{manisa.id}/sil").status_code == 303
    assert [b.code for b in branches(db_session)] == ["0001"]


def test_no_switch_from_branched_to_unbranched_within_the_fiscal_period(client, anadolu, upload, db_session):
    add(client, "0001", "İzmir")
    [izmir] = branches(db_session)
    _verify_branch(upload, anadolu.taxpayer.identifier, izmir, month=5)
    response = client.post(f"/edefter/subeler/{izmir.id}/sil", headers={"HX-Request": "true"})
    assert response.status_code == 422
    page = text_of(response)
    assert ("Hesap dönemi (01.01.2024 – 31.12.2024) içinde şubeli yapıdan şubesiz yapıya geçiş yapılamaz: bu dönemde "
            "05/2024 ayına ait şube defteri var. Son şube (0001 İzmir) silinemez.") in page
    assert response.get_data(as_text=True).lstrip().startswith('<div id="subeler">')
    assert len(branches(db_session)) == 1


def test_the_database_also_keeps_a_branch_with_ledgers(client, anadolu, upload, db_session):
    add(client, "0001", "İzmir")
    [izmir] = branches(db_session)
    _verify_branch(upload, anadolu.taxpayer.identifier, izmir)
    db_session.delete(izmir)
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()
