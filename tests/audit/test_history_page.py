"""İşlem Geçmişi: the taxpayer's own entries (who, what, when, certificate, result), filtered, and the chain check."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from app.audit import append
from app.models import AuditEvent


def add(db_session, taxpayer, action, *, days_ago=0, **fields):
    event = append(db_session, action, taxpayer_id=taxpayer.id, actor=f"{taxpayer.identifier} {taxpayer.unvan}",
                   at=datetime.now(timezone.utc) - timedelta(days=days_ago), **fields)
    db_session.commit()
    return event


def test_the_page_lists_who_did_what_with_which_certificate(client, taxpayer_factory, login_as, db_session):
    taxpayer = taxpayer_factory(unvan="GEÇMİŞ TİCARET A.Ş.")
    add(db_session, taxpayer, "iptal_talebi_olusturuldu", certificate_serial="7F3A", object_type="iptal_talebi",
        object_id=12)
    login_as(taxpayer)
    page = client.get("/hesabim/islem-gecmisi").get_data(as_text=True)
    assert "İşlem Geçmişi" in page and "İptal talebi oluşturuldu" in page
    assert "7F3A" in page and "GEÇMİŞ TİCARET A.Ş." in page and "Başarılı" in page
    assert "İptal talebi 12" in page


def test_another_taxpayers_entries_are_never_shown(client, taxpayer_factory, login_as, db_session):
    mine, other = taxpayer_factory(), taxpayer_factory()
    add(db_session, other, "giris", certificate_serial="GIZLI99")
    login_as(mine)
    assert "GIZLI99" not in client.get("/hesabim/islem-gecmisi").get_data(as_text=True)
    assert "GIZLI99" not in client.get("/hesabim/islem-gecmisi?islem=giris").get_data(as_text=True)


def test_filter_by_kind_and_date(client, taxpayer_factory, login_as, db_session):
    taxpayer = taxpayer_factory()
    add(db_session, taxpayer, "giris", certificate_serial="AAA111")
    add(db_session, taxpayer, "edefter_sube_eklendi", certificate_serial="BBB222", days_ago=40)
    login_as(taxpayer)
    by_kind = client.get("/hesabim/islem-gecmisi?islem=giris").get_data(as_text=True)
    assert "AAA111" in by_kind and "BBB222" not in by_kind
    start = (datetime.now(timezone.utc) - timedelta(days=45)).date().isoformat()
    end = (datetime.now(timezone.utc) - timedelta(days=35)).date().isoformat()
    by_date = client.get(f"/hesabim/islem-gecmisi?baslangic={start}&bitis={end}").get_data(as_text=True)
    assert "BBB222" in by_date and "AAA111" not in by_date
    wrong = client.get(f"/hesabim/islem-gecmisi?baslangic={end}&bitis={start}").get_data(as_text=True)
    assert "Başlangıç tarihi bitiş tarihinden sonra olamaz." in wrong


def test_htmx_filter_gets_only_the_list(client, taxpayer_factory, login_as, db_session):
    taxpayer = taxpayer_factory()
    add(db_session, taxpayer, "giris")
    login_as(taxpayer)
    response = client.get("/hesabim/islem-gecmisi?islem=giris", headers={"HX-Request": "true"})
    assert b"<html" not in response.data and b'id="islem-gecmisi"' in response.data


def test_chain_check_on_the_page_passes_then_reports_tampering(client, taxpayer_factory, login_as, db_session):
    taxpayer = taxpayer_factory()
    first = add(db_session, taxpayer, "giris")
    add(db_session, taxpayer, "edefter_sube_eklendi")
    login_as(taxpayer)
    ok = client.post("/hesabim/islem-gecmisi/dogrula", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Kayıt zinciri doğrulandı" in ok
    db_session.execute(update(AuditEvent).where(AuditEvent.id == first.id).values(certificate_serial="SAHTE"))
    db_session.commit()
    broken = client.post("/hesabim/islem-gecmisi/dogrula").get_data(as_text=True)
    assert "Kayıt zinciri bozuk" in broken and "1. kaydı" in broken and "<html" in broken
