"""The signed 'GİB e-Fatura Başvuru Bilgileri' (SPEC C5) against the simulator on a real socket."""

from __future__ import annotations

import pytest

from app.gib.client import GibRejected
from app.signing.demo_pki import DemoPKI
from tests.fixtures.gib import RunningSimulator, new_key, sign_as
from tests.gib.documents import ANADOLU_TITLE, ANADOLU_VKN, EGE_VKN, application


def test_signed_application_is_accepted_and_then_known(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = gib_simulator_pki.client
    assert client.efatura_application(ANADOLU_VKN) is None

    accepted = client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())

    assert (accepted.identifier, accepted.title, accepted.method) == (ANADOLU_VKN, ANADOLU_TITLE, "Özel Entegrasyon")
    stored = client.efatura_application(ANADOLU_VKN)
    assert stored == accepted
    taxpayer = client.find_taxpayer(ANADOLU_VKN)
    assert taxpayer is not None and taxpayer.efatura_application == accepted


def test_second_application_is_refused(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    client = gib_simulator_pki.client
    client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())

    with pytest.raises(GibRejected) as refused:
        client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())

    assert refused.value.code == "2004"
    assert "zaten var" in refused.value.text


def test_application_signed_by_another_taxpayer_is_refused(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI
) -> None:
    with pytest.raises(GibRejected) as refused:
        gib_simulator_pki.client.submit_efatura_application(sign_as(demo_pki, "ege", application()), idempotency_key=new_key())

    assert refused.value.code == "1176"
    assert EGE_VKN in refused.value.text and ANADOLU_VKN in refused.value.text
    assert gib_simulator_pki.client.efatura_application(ANADOLU_VKN) is None


def test_changed_application_fails_the_signature_check(gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    signed = sign_as(demo_pki, "anadolu", application())
    tampered = signed.replace(b"Bornova</basvuru:VergiDairesi>", b"Konak</basvuru:VergiDairesi>")
    assert tampered != signed

    with pytest.raises(GibRejected) as refused:
        gib_simulator_pki.client.submit_efatura_application(tampered, idempotency_key=new_key())

    assert refused.value.code == "1177"
    assert "değiştirilmiş" in refused.value.text


def test_unsigned_application_is_refused(gib_simulator_pki: RunningSimulator) -> None:
    from lxml import etree

    with pytest.raises(GibRejected) as refused:
        gib_simulator_pki.client.submit_efatura_application(etree.tostring(application()), idempotency_key=new_key())

    assert refused.value.code == "1177"


def test_other_method_than_private_integration_is_refused(
    gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI
) -> None:
    signed = sign_as(demo_pki, "anadolu", application(method="GİB Portal"))

    with pytest.raises(GibRejected) as refused:
        gib_simulator_pki.client.submit_efatura_application(signed, idempotency_key=new_key())

    assert refused.value.code == "2005"
    assert "Özel Entegrasyon" in refused.value.text


def test_not_xml_and_wrong_document_are_refused(gib_simulator_pki: RunningSimulator) -> None:
    with pytest.raises(GibRejected) as not_xml:
        gib_simulator_pki.client.submit_efatura_application(b"%PDF-1.4 not xml", idempotency_key=new_key())
    with pytest.raises(GibRejected) as wrong:
        gib_simulator_pki.client.submit_efatura_application(b"<Invoice/>", idempotency_key=new_key())

    assert (not_xml.value.code, wrong.value.code) == ("1140", "1160")
    assert "Başvuru Bilgileri" in wrong.value.text


def test_simulator_without_trust_anchors_says_so(gib_simulator: RunningSimulator, demo_pki: DemoPKI) -> None:
    with pytest.raises(GibRejected) as refused:
        gib_simulator.client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())

    assert refused.value.code == "1175"
    assert "kök sertifika" in refused.value.text
