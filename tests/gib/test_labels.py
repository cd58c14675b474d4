"""Opening and closing labels (SPEC C3, C6–C8; GIB-FORMATS §3) against the simulator on a real socket."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.formats.gib.user_account import LabelSpec
from app.gib.client import GibClient, GibRejected, SeedAlias
from app.signing.demo_pki import DemoPKI
from tests.fixtures.gib import RunningSimulator, gib_seal_settings, new_key, sign_as
from tests.gib.documents import ANADOLU_TITLE, ANADOLU_VKN, GB, IRSALIYE_PK, PK, application, label_request

ISTANBUL = ZoneInfo("Europe/Istanbul")


def start(factory, pki: DemoPKI, **options) -> RunningSimulator:
    return factory(trust_anchors=pki.trust_anchors(), seal=gib_seal_settings(pki), **options)


def applied(client: GibClient, pki: DemoPKI) -> GibClient:
    client.submit_efatura_application(sign_as(pki, "anadolu", application()), idempotency_key=new_key())
    return client


def open_signed(client: GibClient, pki: DemoPKI, *labels: LabelSpec, **options):
    return client.open_labels(sign_as(pki, "anadolu", label_request(*labels, **options)), idempotency_key=new_key())


def today_in_istanbul() -> date:
    return datetime.now(ISTANBUL).date()


def test_immediate_activation_is_approved_and_listed(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)

    opened = open_signed(client, demo_pki, GB, PK)

    assert opened.is_active and opened.status == "Hizmet Aktifleştirilmiştir"
    assert {(label.role, label.alias) for label in opened.labels} == {("GB", GB.alias), ("PK", PK.alias)}
    user = client.registered_user(ANADOLU_VKN)
    assert user is not None
    assert user.account_type == "OZELENTEGRASYON"
    assert [label.alias for label in user.active_aliases("PK")] == [PK.alias]


def test_activation_waits_for_the_approval_delay(gib_simulator_factory, demo_pki: DemoPKI) -> None:
    client = applied(start(gib_simulator_factory, demo_pki, approval_delay_seconds=0.6).client, demo_pki)

    opened = open_signed(client, demo_pki, PK)

    assert opened.is_pending and opened.status == "Onay Bekliyor"
    assert client.registered_user(ANADOLU_VKN) is None
    time.sleep(0.7)
    polled = client.label_request(opened.request_id)
    assert polled.status == "Hizmet Aktifleştirilmiştir"
    assert polled.labels[0].active
    assert client.registered_user(ANADOLU_VKN) is not None


def test_activation_on_a_chosen_date_waits_for_that_day(gib_simulator_factory, demo_pki: DemoPKI, tmp_path) -> None:
    simulator = start(gib_simulator_factory, demo_pki, data=tmp_path / "gib")
    client = applied(simulator.client, demo_pki)
    tomorrow = today_in_istanbul() + timedelta(days=1)

    opened = open_signed(client, demo_pki, PK, activation_date=tomorrow)

    assert opened.is_pending and opened.activation_date == tomorrow
    assert opened.effective_at == datetime.combine(tomorrow, datetime.min.time(), tzinfo=ISTANBUL)
    simulator.stop()
    two_days_later = start(gib_simulator_factory, demo_pki, data=tmp_path / "gib", clock_offset_seconds=2 * 86400)
    assert two_days_later.client.label_request(opened.request_id).is_active


def test_activation_date_in_the_past_is_refused(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)

    with pytest.raises(GibRejected) as refused:
        open_signed(client, demo_pki, PK, activation_date=today_in_istanbul() - timedelta(days=1))

    assert refused.value.code == "2105"


def test_labels_need_an_efatura_application(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    with pytest.raises(GibRejected) as refused:
        open_signed(gib_simulator_pki.client, demo_pki, PK)

    assert refused.value.code == "2106"
    assert "GİB e-Fatura Başvuru Bilgileri" in refused.value.text


def test_same_vkn_and_alias_cannot_be_registered_twice(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)
    open_signed(client, demo_pki, PK)

    with pytest.raises(GibRejected) as again:
        open_signed(client, demo_pki, PK)
    with pytest.raises(GibRejected) as as_other_role:
        open_signed(client, demo_pki, LabelSpec("Invoice", "GB", PK.alias))

    assert again.value.code == as_other_role.value.code == "2101"
    assert PK.alias in again.value.text
    user = client.registered_user(ANADOLU_VKN)
    assert user is not None and len(user.aliases) == 1


def test_an_invoice_alias_may_also_serve_despatch_advices(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI
) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)
    open_signed(client, demo_pki, PK)

    opened = open_signed(client, demo_pki, LabelSpec("DespatchAdvice", "PK", PK.alias))

    assert opened.is_active


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("urn:mail:usergb@anadolutekstil.com.tr", "2102"),
        ("urn:mail:GIB", "2102"),
        ("urn:mail:EARCHIVE@anadolutekstil.com.tr", "2102"),
        ("defaultpk@anadolutekstil.com.tr", "2103"),
        ("urn:mail:default pk@anadolutekstil.com.tr", "2103"),
    ],
)
def test_reserved_and_malformed_aliases_are_refused(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI, alias: str, code: str
) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)

    with pytest.raises(GibRejected) as refused:
        open_signed(client, demo_pki, LabelSpec("Invoice", "PK", alias))

    assert refused.value.code == code


def test_activation_signed_by_another_taxpayer_is_refused(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI
) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)

    with pytest.raises(GibRejected) as refused:
        client.open_labels(sign_as(demo_pki, "ege", label_request(PK)), idempotency_key=new_key())

    assert refused.value.code == "1176"


def test_closing_document_sent_to_the_opening_address_is_refused(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI
) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)

    with pytest.raises(GibRejected) as refused:
        client.open_labels(sign_as(demo_pki, "anadolu", label_request(PK, action="close")), idempotency_key=new_key())

    assert refused.value.code == "1160"
    assert "ProcessUserAccount" in refused.value.text


def test_unknown_request_is_refused(gib_client: GibClient) -> None:
    with pytest.raises(GibRejected) as refused:
        gib_client.label_request("00000000-0000-0000-0000-000000000000")

    assert refused.value.code == "2108"


def test_closing_a_label_ends_it_in_the_list(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)
    open_signed(client, demo_pki, GB, PK)

    closed = client.close_labels(sign_as(demo_pki, "anadolu", label_request(PK, action="close")), idempotency_key=new_key())

    assert closed.status == "Hizmet Kapatılmıştır"
    assert closed.labels[0].deleted_at is not None and not closed.labels[0].active
    user = client.registered_user(ANADOLU_VKN)
    assert user is not None
    assert user.active_aliases("PK") == []
    assert [label.alias for label in user.active_aliases("GB")] == [GB.alias]


def test_a_closed_alias_can_be_opened_again(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)
    open_signed(client, demo_pki, GB, PK)
    client.close_labels(sign_as(demo_pki, "anadolu", label_request(PK, action="close")), idempotency_key=new_key())

    assert open_signed(client, demo_pki, PK).is_active


def test_closing_what_is_not_open_is_refused(gib_simulator_factory, demo_pki: DemoPKI) -> None:
    client = applied(start(gib_simulator_factory, demo_pki, approval_delay_seconds=60).client, demo_pki)
    open_signed(client, demo_pki, PK)

    with pytest.raises(GibRejected) as pending:
        client.close_labels(sign_as(demo_pki, "anadolu", label_request(PK, action="close")), idempotency_key=new_key())
    with pytest.raises(GibRejected) as unknown:
        client.close_labels(sign_as(demo_pki, "anadolu", label_request(GB, action="close")), idempotency_key=new_key())

    assert pending.value.code == unknown.value.code == "2107"
    assert "onay bekliyor" in pending.value.text
    assert "açık değil" in unknown.value.text


def test_gib_portal_labels_close_on_activation_but_other_integrators_stay(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI
) -> None:
    client = gib_simulator_pki.client
    portal_pk = SeedAlias("Invoice", "PK", "urn:mail:portalpk@anadolutekstil.com.tr", account_type="GIBPORTAL")
    other_pk = SeedAlias("Invoice", "PK", "urn:mail:baskapk@anadolutekstil.com.tr", account_type="OZELENTEGRASYON")
    client.register_taxpayer(ANADOLU_VKN, ANADOLU_TITLE, aliases=[portal_pk, other_pk], idempotency_key=new_key())
    applied(client, demo_pki)

    open_signed(client, demo_pki, PK)

    user = client.registered_user(ANADOLU_VKN)
    assert user is not None
    assert {label.alias for label in user.active_aliases("PK")} == {PK.alias, other_pk.alias}
    with pytest.raises(GibRejected) as not_ours:
        client.close_labels(
            sign_as(demo_pki, "anadolu", label_request(LabelSpec("Invoice", "PK", other_pk.alias), action="close"))
        , idempotency_key=new_key())
    assert not_ours.value.code == "2107" and "başka bir entegratör" in not_ours.value.text


def test_despatch_labels_are_closed_before_the_last_invoice_label(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI
) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)
    open_signed(client, demo_pki, PK)
    open_signed(client, demo_pki, IRSALIYE_PK)

    with pytest.raises(GibRejected) as refused:
        client.close_labels(sign_as(demo_pki, "anadolu", label_request(PK, action="close")), idempotency_key=new_key())
    client.close_labels(sign_as(demo_pki, "anadolu", label_request(IRSALIYE_PK, action="close")), idempotency_key=new_key())
    client.close_labels(sign_as(demo_pki, "anadolu", label_request(PK, action="close")), idempotency_key=new_key())

    assert refused.value.code == "2107" and "e-İrsaliye" in refused.value.text
    user = client.registered_user(ANADOLU_VKN)
    assert user is not None and not any(label.active for label in user.aliases)


def test_closing_one_of_several_despatch_labels_is_allowed(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI
) -> None:
    client = applied(gib_simulator_pki.client, demo_pki)
    second = LabelSpec("DespatchAdvice", "PK", "urn:mail:depo@anadolutekstil.com.tr")
    open_signed(client, demo_pki, IRSALIYE_PK, second)

    closed = client.close_labels(sign_as(demo_pki, "anadolu", label_request(second, action="close")), idempotency_key=new_key())

    assert closed.status == "Hizmet Kapatılmıştır"
