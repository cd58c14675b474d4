"""Closing a label (C8) and the Kayıtlı Kullanıcı Listesi read from the simulator's download at most hourly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lxml import etree
from sqlalchemy import select, update

from app.integrator import userlist
from app.integrator.rules import LastPostBoxWarning, ServiceRefused
from app.models import Job
from app.models.service import LabelStatus, RequestStatus, UserListDownload
from tests.integrator.conftest import xmlsec1_verifies
from tests.yonetim.test_gib_status import CountingGib


def test_closing_a_label_is_signed_and_sent_and_the_list_shows_its_deletion(desk, gib, demo_pki, tmp_path):
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    anadolu.add("efatura", "merkez")
    anadolu.open(anadolu.label("efatura_pk", "merkez"), origin=None)

    request = anadolu.close(anadolu.label("efatura_pk", "default"))  # another PK stays: no warning
    assert request.status is RequestStatus.TAMAMLANDI
    closed = anadolu.label("efatura_pk", "default")
    assert closed.status is LabelStatus.KAPATILDI and closed.closed_at is not None
    assert etree.fromstring(request.document).tag == "{http://www.hr-xml.org/3}CancelUserAccount"
    result = xmlsec1_verifies(request.document, demo_pki, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "hizmet_kapatma_talebi_imzalandi" in anadolu.audit_actions()
    assert "hizmet_etiketi_kapatildi" in anadolu.audit_actions()

    registered = gib.client.registered_user(anadolu.taxpayer.identifier)
    default_pk = next(a for a in registered.aliases if a.alias == "urn:mail:defaultpk@anadolutekstil.com.tr")
    assert not default_pk.active and default_pk.deleted_at is not None  # listed with its DeletionTime
    with pytest.raises(ServiceRefused, match="kapatılmış; kapatılan etiket yeniden açılamaz"):
        anadolu.screen(anadolu.label("efatura_pk", "default"))


def test_the_last_pk_needs_the_warning_confirmed(desk, gib):
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    with pytest.raises(LastPostBoxWarning, match="hiç kimse size e-Fatura gönderemez"):
        anadolu.close(anadolu.label("efatura_pk"))
    assert anadolu.label("efatura_pk").status is LabelStatus.AKTIF
    screen = anadolu.run(__import__("app.integrator.operations", fromlist=["x"]).prepare_closing, anadolu.taxpayer,
                         [anadolu.label("efatura_pk").id])
    assert screen.warning and "son e-Fatura posta kutusu (PK) etiketiniz" in screen.warning
    assert anadolu.close(anadolu.label("efatura_pk"), confirmed=True).status is RequestStatus.TAMAMLANDI
    assert anadolu.label("efatura_pk").status is LabelStatus.KAPATILDI


def test_despatch_labels_are_closed_before_the_last_invoice_label(desk, gib):
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    anadolu.activate("eirsaliye", "eirsaliye_gb", "eirsaliye_pk", origin="yeni")
    invoice_labels = (anadolu.label("efatura_gb"), anadolu.label("efatura_pk"))
    with pytest.raises(ServiceRefused, match="e-İrsaliye etiketleri e-Fatura etiketlerinden önce kapatılmalıdır"):
        anadolu.close(*invoice_labels, confirmed=True)
    anadolu.close(anadolu.label("eirsaliye_gb"), anadolu.label("eirsaliye_pk"))
    assert anadolu.close(*(anadolu.label("efatura_gb"), anadolu.label("efatura_pk")),
                         confirmed=True).status is RequestStatus.TAMAMLANDI


def test_a_pending_label_cannot_be_closed(desk, start_gib):
    start_gib(approval_delay_seconds=60)
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    with pytest.raises(ServiceRefused, match="onay bekliyor; yalnızca aktif etiketler kapatılabilir"):
        anadolu.close(anadolu.label("efatura_pk"), confirmed=True)


def test_edefter_is_closed_at_the_integrator(desk, gib):
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    anadolu.activate("edefter", origin=None)
    request = anadolu.close(anadolu.label("edefter"))
    assert request.status is RequestStatus.TAMAMLANDI and not request.sent_to_gib
    assert b"HizmetTalebi" in request.document and b"KAPATMA" in request.document


# --- Kayıtlı Kullanıcı Listesi ------------------------------------------------------------------------


def refresh(desk_):
    return desk_.run(userlist.start_refresh, desk_.taxpayer.id)


def search(desk_, text):
    return desk_.run(userlist.search, text)


def age_the_copy(app, db_session, hours: float = 1.01) -> None:
    """An hour passes for the copy of the list (the portal's clock is not moved in tests)."""
    latest = db_session.scalars(select(UserListDownload).order_by(UserListDownload.id.desc())).first()
    db_session.execute(update(UserListDownload).where(UserListDownload.id == latest.id)
                       .values(downloaded_at=latest.downloaded_at - timedelta(hours=hours)))
    db_session.commit()


def test_user_list_is_downloaded_at_most_hourly_and_searched(desk, app, db_session, start_gib):
    counting = CountingGib()
    start_gib(middleware=counting.wrap, approval_delay_seconds=0)
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    asked_before = counting.count

    job = refresh(anadolu)
    assert job is not None and db_session.get(Job, job.id).result["kullanici"] == 1
    assert counting.count == asked_before + 2  # the PK and GB zips
    assert refresh(anadolu) is None  # within the hour: no second download
    assert counting.count == asked_before + 2

    [user], more = search(anadolu, anadolu.taxpayer.identifier)
    assert not more and user.title == anadolu.taxpayer.unvan
    assert [(a.role, a.alias) for a in user.aliases] == [
        ("GB", "urn:mail:defaultgb@anadolutekstil.com.tr"), ("PK", "urn:mail:defaultpk@anadolutekstil.com.tr")]
    assert all(a.creation_time is not None and a.deletion_time is None for a in user.aliases)
    assert [u.identifier for u in search(anadolu, "anadolu tekstİl")[0]] == [anadolu.taxpayer.identifier]
    assert search(anadolu, "ANADOLU")[0] and not search(anadolu, "Ege Gıda")[0]
    download = db_session.scalars(select(UserListDownload)).one()
    with anadolu.app.app_context():
        from app.storage import file_store

        assert file_store().verify(download.pk_sha256).size == download.pk_size  # kept in the file store
    assert "kullanici_listesi_indirildi" in [e.action for e in db_session.scalars(
        select(__import__("app.models", fromlist=["AuditEvent"]).AuditEvent))]

    # the new PK label appears after approval, and its deletion time after closing (once the hour has passed)
    anadolu.add("efatura", "merkez")
    anadolu.open(anadolu.label("efatura_pk", "merkez"), origin=None)
    anadolu.close(anadolu.label("efatura_pk", "default"))
    assert len(search(anadolu, anadolu.taxpayer.identifier)[0][0].of_role("PK")) == 1  # still the old copy
    age_the_copy(app, db_session)
    assert refresh(anadolu) is not None
    [user], _ = search(anadolu, anadolu.taxpayer.identifier)
    pk = {a.alias: a for a in user.of_role("PK")}
    assert set(pk) == {"urn:mail:defaultpk@anadolutekstil.com.tr", "urn:mail:merkezpk@anadolutekstil.com.tr"}
    assert pk["urn:mail:defaultpk@anadolutekstil.com.tr"].deletion_time is not None
    assert pk["urn:mail:merkezpk@anadolutekstil.com.tr"].deletion_time is None


def test_a_pending_label_is_not_in_the_list(desk, start_gib):
    start_gib(approval_delay_seconds=60)
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    refresh(anadolu)
    assert search(anadolu, anadolu.taxpayer.identifier) == ([], False)


def test_gib_away_fails_the_download_with_its_message_and_it_is_tried_again(desk, app, db_session, start_gib):
    from tests.yonetim.test_gib_status import free_port

    port = free_port()
    app.config["GIB_URL"] = f"http://127.0.0.1:{port}"
    anadolu = desk("anadolu")
    job = refresh(anadolu)
    assert "GİB servisine ulaşılamıyor" in db_session.get(Job, job.id).error
    assert db_session.scalars(select(UserListDownload)).first() is None
    start_gib(port=port)
    again = refresh(anadolu)
    assert again.id != job.id and db_session.scalars(select(UserListDownload)).one().user_count == 0
