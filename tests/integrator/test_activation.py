"""Aç (C3–C6): application in the same sitting, signed activation to the simulator on a real socket, approval by
a job that asks GİB, future dates, GİB's refusals, GİB away and "Tekrar Gönder", one request for a double "Tamam",
and every product of seed 002 taken to "Hizmet Aktifleştirilmiştir". Both databases, real cards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree
from sqlalchemy import select

from app.formatting import local_today
from app.gib.client import SeedAlias
from app.gib.simulator.models import Alias, EFaturaApplication, LabelRequest
from app.integrator import operations
from app.integrator.catalogue import EFATURA
from app.integrator.rules import ServiceRefused
from app.models.service import LabelStatus, RequestStatus, ServiceLabel
from tests.integrator.conftest import xmlsec1_verifies
from tests.yonetim.test_gib_status import free_port


def simulator_rows(simulator, model):
    session = simulator.app.extensions["gib_simulator"].sessions()
    try:
        return list(session.scalars(select(model)))
    finally:
        session.close()


def test_first_efatura_activation_signs_the_application_in_the_same_sitting(desk, gib, demo_pki, tmp_path):
    anadolu = desk("anadolu")
    anadolu.add("efatura")
    gb, pk = anadolu.label("efatura_gb"), anadolu.label("efatura_pk")
    screen = anadolu.screen(gb, pk)
    assert screen.needs_application and screen.asks_origin  # GİB has no application; first activation

    request = anadolu.open(gb, pk, screen=screen)
    assert request.status is RequestStatus.TAMAMLANDI  # delay 0: the first check (a job) found it approved
    assert {label.status for label in anadolu.labels("efatura") if label.kind != "efatura_saklama"} == {LabelStatus.AKTIF}
    assert anadolu.label("efatura_gb").activated_at is not None

    [application] = simulator_rows(gib, EFaturaApplication)
    assert application.method == "Özel Entegrasyon" and application.tax_office == "Bornova"
    [label_request] = simulator_rows(gib, LabelRequest)
    assert label_request.signed_document == request.document
    registered = gib.client.registered_user(anadolu.taxpayer.identifier)
    assert {(a.role, a.alias, a.account_type) for a in registered.active_aliases()} == {
        ("GB", "urn:mail:defaultgb@anadolutekstil.com.tr", "OZELENTEGRASYON"),
        ("PK", "urn:mail:defaultpk@anadolutekstil.com.tr", "OZELENTEGRASYON"),
    }
    actions = anadolu.audit_actions()
    expected = ["efatura_basvurusu_imzalandi", "hizmet_aktivasyon_talebi_imzalandi", "efatura_basvurusu_gonderildi",
                "hizmet_aktivasyon_talebi_gonderildi", "hizmet_aktiflestirildi"]
    assert [action for action in actions if action in expected] == expected

    # both signed documents verify independently with xmlsec1 against the demo CA
    stored_application = anadolu.run(lambda: operations.request_of(anadolu.taxpayer.id, request.id).application.document)
    for document in (request.document, stored_application):
        result = xmlsec1_verifies(document, demo_pki, tmp_path)
        assert result.returncode == 0, result.stderr
    root = etree.fromstring(request.document)
    assert root.tag == "{http://www.hr-xml.org/3}ProcessUserAccount"


def test_the_application_is_not_asked_again(desk, gib):
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    anadolu.add("efatura", "merkez")
    second_pk = anadolu.label("efatura_pk", "merkez")
    screen = anadolu.screen(second_pk)
    assert not screen.needs_application and not screen.asks_origin  # the origin was told at the first activation
    request = anadolu.open(second_pk, screen=screen, origin=None)
    assert request.status is RequestStatus.TAMAMLANDI and request.application_id is None
    assert len(simulator_rows(gib, EFaturaApplication)) == 1


def test_saklama_opened_separately_after_gb_pk(desk, gib):
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    request = anadolu.open(anadolu.label("efatura_saklama"), origin=None)
    assert request.status is RequestStatus.TAMAMLANDI
    assert anadolu.label("efatura_saklama").status is LabelStatus.AKTIF
    root = etree.fromstring(request.document)
    ns = {"hr": "http://www.hr-xml.org/3"}
    assert root.findtext(".//hr:UserOptionCode", namespaces=ns) == "12"  # Fatura saklama, ÖZEL (GIB-FORMATS §6)
    assert root.find(".//hr:UserRole", namespaces=ns) is None  # no role, no alias for a service code


def test_approval_waits_for_gib_and_a_job_asks_again_when_due(desk, start_gib, app):
    gib = start_gib(approval_delay_seconds=2.5)
    anadolu = desk("anadolu")
    request = anadolu.activate("efatura", "efatura_gb", "efatura_pk")
    assert request.status is RequestStatus.ONAY_BEKLIYOR
    assert anadolu.label("efatura_pk").status is LabelStatus.ONAY_BEKLIYOR
    waiting = anadolu.request(request.id)
    assert waiting.checked_at is not None and waiting.next_check_at > waiting.checked_at  # GİB asked once already

    assert anadolu.check() == 1  # not due yet: nothing asked
    assert anadolu.request(request.id).checked_at == waiting.checked_at
    deadline = datetime.now(UTC) + timedelta(seconds=15)
    while anadolu.request(request.id).status is RequestStatus.ONAY_BEKLIYOR and datetime.now(UTC) < deadline:
        import time

        time.sleep(0.5)
        anadolu.check()  # what the polling label table does
    assert anadolu.request(request.id).status is RequestStatus.TAMAMLANDI
    assert anadolu.label("efatura_pk").status is LabelStatus.AKTIF
    assert gib.client.label_request(waiting.gib_request_id).is_active


def test_a_future_date_activates_on_that_date(desk, start_gib, tmp_path):
    data = tmp_path / "gib-data"
    gib = start_gib(data=data)
    anadolu = desk("anadolu")
    tomorrow = local_today() + timedelta(days=1)
    request = anadolu.activate("efatura", "efatura_gb", "efatura_pk", when=tomorrow)
    assert request.status is RequestStatus.ONAY_BEKLIYOR and request.activation_date == tomorrow
    assert anadolu.label("efatura_gb").activation_date == tomorrow
    assert anadolu.run(lambda: operations.request_of(anadolu.taxpayer.id, request.id).next_check_at) is not None
    root = etree.fromstring(request.document)
    assert {account.get("validFrom") for account in root.iter("{http://www.hr-xml.org/3}UserAccount")} == {
        tomorrow.isoformat()}

    # A day later by GİB's clock (the same GİB, restarted with its clock a day ahead)
    port = gib.port
    gib.stop()
    start_gib(data=data, port=port, clock_offset_seconds=24 * 3600 + 60)
    anadolu.run(_make_due, anadolu.taxpayer.id, request.id)
    anadolu.check()
    assert anadolu.request(request.id).status is RequestStatus.TAMAMLANDI
    assert anadolu.label("efatura_gb").status is LabelStatus.AKTIF


def _make_due(taxpayer_id: int, request_id: int) -> None:
    from app.unit_of_work import unit_of_work

    with unit_of_work():
        operations.request_of(taxpayer_id, request_id, lock=True).next_check_at = datetime.now(UTC)


def test_gib_refuses_an_alias_another_integrator_holds_and_the_label_can_be_retried(desk, gib):
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb")  # the application exists at GİB from here on
    gib.client.register_taxpayer(anadolu.taxpayer.identifier, anadolu.taxpayer.unvan, aliases=[
        SeedAlias("Invoice", "PK", "urn:mail:defaultpk@anadolutekstil.com.tr", "OZELENTEGRASYON", "Başka Entegratör")
    ], idempotency_key="baska-entegrator")
    request = anadolu.open(anadolu.label("efatura_pk"), origin=None)
    assert request.status is RequestStatus.REDDEDILDI
    assert "hata kodu 2101" in request.gib_message and "zaten kayıtlı" in request.gib_message
    label = anadolu.label("efatura_pk")
    assert label.status is LabelStatus.KAPALI and label.last_error == request.gib_message
    assert "hizmet_aktivasyon_talebi_gonderildi" in anadolu.audit_actions()

    # a refused request is settled: the label may be opened again (GİB refuses again while the alias is taken)
    again = anadolu.open(anadolu.label("efatura_pk"), origin=None)
    assert again.status is RequestStatus.REDDEDILDI and again.id != request.id


def test_gib_refuses_a_reserved_alias_it_gets(desk, gib, app, db_session):
    anadolu = desk("anadolu")
    anadolu.activate("efatura", "efatura_gb")
    reserved = ServiceLabel(taxpayer_id=anadolu.taxpayer.id, product="efatura", kind="efatura_pk",
                            alias="urn:mail:usergb@anadolutekstil.com.tr")  # a label from before the rule
    db_session.add(reserved)
    db_session.commit()
    request = anadolu.open(anadolu.label("efatura_pk", "usergb"), origin=None)
    assert request.status is RequestStatus.REDDEDILDI and "hata kodu 2102" in request.gib_message
    assert "ayrılmıştır" in anadolu.label("efatura_pk", "usergb").last_error


def test_gib_refuses_saklama_without_an_application(desk, gib):
    anadolu = desk("anadolu")
    anadolu.add("efatura")
    request = anadolu.open(anadolu.label("efatura_saklama"))
    assert request.status is RequestStatus.REDDEDILDI and "hata kodu 2106" in request.gib_message
    assert anadolu.label("efatura_saklama").status is LabelStatus.KAPALI
    anadolu.open(anadolu.label("efatura_gb"), anadolu.label("efatura_pk"))  # the application goes with it
    assert anadolu.open(anadolu.label("efatura_saklama"), origin=None).status is RequestStatus.TAMAMLANDI


def test_gib_away_keeps_the_signed_request_and_tekrar_gonder_sends_it_once(desk, app, start_gib):
    port = free_port()
    app.config["GIB_URL"] = f"http://127.0.0.1:{port}"  # nothing listens there yet
    anadolu = desk("anadolu")
    anadolu.add("efatura")
    gb, pk = anadolu.label("efatura_gb"), anadolu.label("efatura_pk")
    # GİB cannot be asked whether an application exists either; the form is filled as if it had none
    application_screen = operations.OpeningScreen(EFATURA, [gb, pk], asks_origin=True, needs_application=True)
    request = anadolu.open(gb, pk, screen=application_screen)
    assert request.status is RequestStatus.GONDERILEMEDI and "GİB servisine ulaşılamıyor" in request.gib_message
    assert anadolu.label("efatura_gb").status is LabelStatus.KAPALI
    assert "GİB servisine ulaşılamıyor" in anadolu.label("efatura_gb").last_error
    with pytest.raises(ServiceRefused, match="GİB'e iletilemeyen imzalı bir talep var"):
        anadolu.screen(anadolu.label("efatura_gb"))

    gib = start_gib(port=port)
    sent = anadolu.run(operations.resend, anadolu.taxpayer, request.id)
    assert sent.status is RequestStatus.TAMAMLANDI
    assert anadolu.label("efatura_gb").status is LabelStatus.AKTIF and anadolu.label("efatura_gb").last_error is None
    again = anadolu.run(operations.send, anadolu.taxpayer.id, request.id)  # a second click changes nothing
    assert again.status is RequestStatus.TAMAMLANDI
    assert len(simulator_rows(gib, LabelRequest)) == 1 and len(simulator_rows(gib, EFaturaApplication)) == 1
    with pytest.raises(ServiceRefused, match="tekrar gönderilecek bir şey yok"):
        anadolu.run(operations.resend, anadolu.taxpayer, request.id)


def test_a_twice_clicked_tamam_sends_one_request(desk, gib):
    anadolu = desk("anadolu")
    anadolu.add("efatura")
    plan = anadolu.plan(anadolu.label("efatura_gb"))  # what "Evet" put in the confirmation form
    tamam = (operations.open_labels, anadolu.taxpayer, plan, "ayni-onay-formu-1", anadolu.card, anadolu.party.token.pin)
    first, second = anadolu.run(*tamam), anadolu.run(*tamam)
    assert first.id == second.id and second.status is RequestStatus.TAMAMLANDI
    assert len(simulator_rows(gib, LabelRequest)) == 1


def test_local_and_gib_portal_labels_are_closed_on_approval_and_listed(desk, gib):
    anadolu = desk("anadolu")
    gib.client.register_taxpayer(anadolu.taxpayer.identifier, anadolu.taxpayer.unvan, aliases=[
        SeedAlias("Invoice", "PK", "urn:mail:defaultpk@gibportal.gov.tr", "GIBPORTAL"),
        SeedAlias("Invoice", "GB", "urn:mail:defaultgb@gibportal.gov.tr", "GIBPORTAL"),
        SeedAlias("Invoice", "PK", "urn:mail:pk@baskaentegrator.com.tr", "OZELENTEGRASYON", "Başka Entegratör"),
    ], idempotency_key="gib-portal-etiketleri")
    request = anadolu.activate("efatura", "efatura_gb", "efatura_pk", origin="gib_portal")
    assert request.origin == "gib_portal" and request.status is RequestStatus.TAMAMLANDI
    closed = {entry["alias"] for entry in request.closed_elsewhere}
    assert closed == {"urn:mail:defaultpk@gibportal.gov.tr", "urn:mail:defaultgb@gibportal.gov.tr"}
    registered = gib.client.registered_user(anadolu.taxpayer.identifier)
    assert {a.alias for a in registered.active_aliases("PK")} == {
        "urn:mail:defaultpk@anadolutekstil.com.tr", "urn:mail:pk@baskaentegrator.com.tr"}  # the other integrator's stays


def test_an_unknown_origin_is_refused_before_the_first_activation(desk, gib):
    anadolu = desk("anadolu")
    anadolu.add("efatura")
    with pytest.raises(ServiceRefused, match="ilk kez açmadan önce nereden geçtiğinizi seçiniz"):
        anadolu.plan(anadolu.label("efatura_gb"), origin=None)


def test_a_wrong_pin_signs_nothing_and_keeps_nothing(desk, gib):
    from app.signing.errors import WrongPinError

    anadolu = desk("anadolu")
    anadolu.add("efatura")
    with pytest.raises(WrongPinError):
        anadolu.open(anadolu.label("efatura_gb"), pin="000000")
    assert anadolu.label("efatura_gb").opening_request_id is None
    assert simulator_rows(gib, LabelRequest) == []


def test_another_taxpayers_card_is_refused(desk, gib, party):
    from dataclasses import replace

    from app.signing.errors import CertificateOwnerMismatchError

    anadolu = desk("anadolu")
    anadolu.add("efatura")
    ege = party("ege")
    with pytest.raises(CertificateOwnerMismatchError):
        replace(anadolu, party=replace(anadolu.party, token=ege.token)).open(anadolu.label("efatura_gb"))


def test_each_product_of_the_seed_goes_from_no_labels_to_active(desk, gib):
    anadolu = desk("anadolu")
    steps = [
        ("efatura", ("efatura_gb", "efatura_pk")), ("efatura", ("efatura_saklama",)),
        ("earsiv", ("earsiv",)), ("earsiv", ("earsiv_saklama",)),
        ("eirsaliye", ("eirsaliye_gb", "eirsaliye_pk")), ("eirsaliye", ("eirsaliye_saklama",)),
        ("esmm", ("esmm",)), ("esmm", ("esmm_saklama",)),
        ("emm", ("emm",)), ("emm", ("emm_saklama",)),
        ("eadisyon", ("eadisyon",)), ("edefter", ("edefter",)),
    ]
    for product, kinds in steps:
        first = not anadolu.labels(product)
        request = anadolu.activate(product, *kinds, origin="yeni" if first else None)
        assert request.status is RequestStatus.TAMAMLANDI, (product, request.gib_message)
    assert {label.status for label in anadolu.labels()} == {LabelStatus.AKTIF}
    edefter = anadolu.label("edefter")
    assert not anadolu.request(edefter.opening_request_id).sent_to_gib  # e-Defter: kept here, no GİB code
    registered = gib.client.registered_user(anadolu.taxpayer.identifier)
    assert {(a.document_type, a.role) for a in registered.active_aliases(document_type="DespatchAdvice")} == {
        ("DespatchAdvice", "GB"), ("DespatchAdvice", "PK")}
    simulator_services = {alias.document_type for alias in simulator_rows(gib, Alias)}
    assert simulator_services == {"Invoice", "archive", "earchive", "archive_earchive", "DespatchAdvice",
                                  "archive_edespatch", "esevoucher", "esevoucher_archive", "epreceipt",
                                  "epreceipt_archive", "echeck"}


def test_esmm_needs_no_efatura_application(desk, gib):
    ayse = desk("ayse")
    request = ayse.activate("esmm", "esmm")
    assert request.status is RequestStatus.TAMAMLANDI
    assert gib.client.efatura_application(ayse.taxpayer.identifier) is None


def test_the_workers_periodic_check_activates_labels_nobody_is_watching(desk, start_gib, app):
    from app.integrator.approvals import start_all_due_checks

    start_gib(approval_delay_seconds=1.5)
    anadolu, ege = desk("anadolu"), desk("ege")
    requests = [anadolu.activate("efatura", "efatura_gb", "efatura_pk"), ege.activate("efatura", "efatura_gb", "efatura_pk")]
    assert all(request.status is RequestStatus.ONAY_BEKLIYOR for request in requests)
    deadline = datetime.now(UTC) + timedelta(seconds=15)
    while datetime.now(UTC) < deadline and (anadolu.request(requests[0].id).status is RequestStatus.ONAY_BEKLIYOR
                                            or ege.request(requests[1].id).status is RequestStatus.ONAY_BEKLIYOR):
        import time

        time.sleep(0.5)
        with app.app_context():
            start_all_due_checks()  # what the worker's "bekleyen_gib_onaylari" task runs every five minutes
    assert anadolu.label("efatura_pk").status is LabelStatus.AKTIF
    assert ege.label("efatura_pk").status is LabelStatus.AKTIF
