"""e-Defter berats at GİB (SPEC D6): verified, months in order, approved once, sealed with GİB's mühür."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from app.formats.gib.approved_berat import read_approved_berat
from app.gib.client import GibClient, GibRejected
from app.signing import verify_signed_xml
from app.signing.demo_pki import GIB_VKN, DemoPKI
from tests.fixtures.gib import RunningSimulator, new_key, sign_as
from tests.gib.documents import ANADOLU_TITLE, ANADOLU_VKN, berat

KARADENIZ_VKN = "7059123645"


@pytest.fixture
def gib(gib_simulator_pki: RunningSimulator) -> GibClient:
    gib_simulator_pki.client.register_taxpayer(ANADOLU_VKN, ANADOLU_TITLE, idempotency_key=new_key())
    return gib_simulator_pki.client


def send(client: GibClient, pki: DemoPKI, period: str, kind: str = "YB", part: int = 1, **options):
    options.setdefault("idempotency_key", new_key())
    return client.submit_berat(sign_as(pki, "anadolu", berat(ANADOLU_VKN, period, kind, part)), **options)


def test_berat_is_approved_with_gibs_seal_around_the_taxpayers_berat(gib: GibClient, demo_pki: DemoPKI) -> None:
    signed = sign_as(demo_pki, "anadolu", berat(ANADOLU_VKN, "2024-01", "YB"))

    approval = gib.submit_berat(signed, idempotency_key=new_key())

    assert (approval.period, approval.kind, approval.part) == ("2024-01", "YB", 1)
    assert approval.filename == f"GIB-{ANADOLU_VKN}-202401-YB-000001.xml"
    assert approval.approved_berat is not None
    sealed = verify_signed_xml(approval.approved_berat, demo_pki.trust_anchors(), expected_owner_id=GIB_VKN)
    assert sealed.ok, sealed.message
    inner = read_approved_berat(etree.fromstring(approval.approved_berat))
    assert inner.berat == signed
    assert verify_signed_xml(inner.berat, demo_pki.trust_anchors(), expected_owner_id=ANADOLU_VKN).ok
    assert gib.approved_berat(approval.filename) == approval.approved_berat


def test_sealed_berat_verifies_with_xmlsec1(gib: GibClient, demo_pki: DemoPKI, tmp_path: Path) -> None:
    approval = send(gib, demo_pki, "2024-01")
    assert approval.approved_berat is not None
    path = tmp_path / approval.filename
    path.write_bytes(approval.approved_berat)

    def xmlsec1(document: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                "xmlsec1",
                "--verify",
                "--enabled-key-data",
                "x509",
                "--trusted-pem",
                str(demo_pki.ca_cert_path),
                "--id-attr:Id",
                "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
                "--id-attr:Id",
                "http://www.w3.org/2000/09/xmldsig#:KeyInfo",
                str(document),
            ],
            capture_output=True,
            text=True,
            check=False,
        )

    assert xmlsec1(path).returncode == 0, xmlsec1(path).stderr
    path.write_bytes(approval.approved_berat.replace(b"<onay:Donem>2024-01<", b"<onay:Donem>2024-02<"))
    assert xmlsec1(path).returncode != 0


def test_period_status_tells_which_berats_were_sent(gib: GibClient, demo_pki: DemoPKI) -> None:
    assert not gib.period_berats(ANADOLU_VKN, "2024-01").yevmiye_sent

    send(gib, demo_pki, "2024-01", "YB")
    half = gib.period_berats(ANADOLU_VKN, "2024-01")
    send(gib, demo_pki, "2024-01", "KB")
    whole = gib.period_berats(ANADOLU_VKN, "2024-01")

    assert (half.yevmiye_sent, half.kebir_sent, half.complete) == (True, False, False)
    assert (whole.yevmiye_sent, whole.kebir_sent, whole.complete) == (True, True, True)
    assert [(b.kind, b.part) for b in whole.berats] == [("KB", 1), ("YB", 1)]


def test_next_month_waits_until_the_previous_one_is_complete(gib: GibClient, demo_pki: DemoPKI) -> None:
    send(gib, demo_pki, "2024-01", "YB")

    with pytest.raises(GibRejected) as refused:
        send(gib, demo_pki, "2024-02", "YB")
    send(gib, demo_pki, "2024-01", "KB")
    accepted = send(gib, demo_pki, "2024-02", "YB")

    assert refused.value.code == "3002"
    assert "2024-01 dönemine ait yevmiye ve kebir beratları onaylanmadan 2024-02" in refused.value.text
    assert accepted.period == "2024-02"


def test_skipping_a_month_is_refused(gib: GibClient, demo_pki: DemoPKI) -> None:
    send(gib, demo_pki, "2024-01", "YB")
    send(gib, demo_pki, "2024-01", "KB")

    with pytest.raises(GibRejected) as refused:
        send(gib, demo_pki, "2024-03", "YB")

    assert refused.value.code == "3002"
    assert "2024-02" in refused.value.text


def test_year_boundary_follows_december(gib: GibClient, demo_pki: DemoPKI) -> None:
    send(gib, demo_pki, "2023-12", "YB")
    send(gib, demo_pki, "2023-12", "KB")

    assert send(gib, demo_pki, "2024-01", "KB").period == "2024-01"


def test_an_approved_berat_cannot_be_sent_again(gib: GibClient, demo_pki: DemoPKI) -> None:
    send(gib, demo_pki, "2024-01", "YB")

    with pytest.raises(GibRejected) as refused:
        send(gib, demo_pki, "2024-01", "YB")

    assert refused.value.code == "3003"
    assert "2024-01 dönemi yevmiye beratı" in refused.value.text
    assert len(gib.period_berats(ANADOLU_VKN, "2024-01").berats) == 1


def test_parts_come_in_order(gib: GibClient, demo_pki: DemoPKI) -> None:
    send(gib, demo_pki, "2024-01", "YB", part=1)

    with pytest.raises(GibRejected) as refused:
        send(gib, demo_pki, "2024-01", "YB", part=3)
    second = send(gib, demo_pki, "2024-01", "YB", part=2)

    assert refused.value.code == "3004" and "Beklenen parça: 2" in refused.value.text
    assert second.filename.endswith("-YB-000002.xml")


def test_period_before_the_first_one_is_refused(gib: GibClient, demo_pki: DemoPKI) -> None:
    send(gib, demo_pki, "2024-05", "YB")

    with pytest.raises(GibRejected) as refused:
        send(gib, demo_pki, "2024-04", "YB")

    assert refused.value.code == "3008"


def test_current_month_cannot_be_sent_before_it_ends(gib: GibClient, demo_pki: DemoPKI) -> None:
    this_month = datetime.now(UTC).strftime("%Y-%m")

    with pytest.raises(GibRejected) as refused:
        send(gib, demo_pki, this_month, "YB")

    assert refused.value.code == "3005"


def test_changed_berat_is_refused_as_badly_signed(gib: GibClient, demo_pki: DemoPKI) -> None:
    signed = sign_as(demo_pki, "anadolu", berat(ANADOLU_VKN, "2024-01"))
    tampered = signed.replace(b">ZGVmdGVy<", b">ZGVmdGVz<")
    assert tampered != signed

    with pytest.raises(GibRejected) as refused:
        gib.submit_berat(tampered, idempotency_key=new_key())

    assert refused.value.code == "1177"
    assert not gib.period_berats(ANADOLU_VKN, "2024-01").yevmiye_sent


def test_berat_signed_by_someone_else_is_refused(gib: GibClient, demo_pki: DemoPKI) -> None:
    with pytest.raises(GibRejected) as refused:
        gib.submit_berat(sign_as(demo_pki, "ege", berat(ANADOLU_VKN, "2024-01")), idempotency_key=new_key())

    assert refused.value.code == "1176"


def test_berat_signed_with_an_expired_certificate_is_refused(gib: GibClient, demo_pki: DemoPKI) -> None:
    gib.register_taxpayer(KARADENIZ_VKN, "Karadeniz Lojistik A.Ş.", idempotency_key=new_key())
    signed = sign_as(demo_pki, "karadeniz", berat(KARADENIZ_VKN, "2024-01"), check_validity=False)

    with pytest.raises(GibRejected) as refused:
        gib.submit_berat(signed, idempotency_key=new_key())

    assert refused.value.code == "1177"
    assert "süresi dolmuştu" in refused.value.text


def test_something_else_than_a_berat_is_refused(gib: GibClient, demo_pki: DemoPKI) -> None:
    document = berat(ANADOLU_VKN, "2024-01")
    document.find(".//{http://www.xbrl.org/int/gl/cor/2006-10-25}uniqueID").text = "ABC202401000001"

    with pytest.raises(GibRejected) as refused:
        gib.submit_berat(sign_as(demo_pki, "anadolu", document), idempotency_key=new_key())
    with pytest.raises(GibRejected) as not_berat:
        gib.submit_berat(b"<defter/>", idempotency_key=new_key())

    assert refused.value.code == not_berat.value.code == "1160"
    assert "YEVYYYYAA000001" in refused.value.text


def test_without_a_seal_nothing_is_approved(gib_simulator_factory, demo_pki: DemoPKI) -> None:
    client = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors()).client
    client.register_taxpayer(ANADOLU_VKN, ANADOLU_TITLE, idempotency_key=new_key())

    with pytest.raises(GibRejected) as refused:
        send(client, demo_pki, "2024-01")

    assert refused.value.code == "3007" and refused.value.http_status == 503
    assert not client.period_berats(ANADOLU_VKN, "2024-01").yevmiye_sent


def test_bad_period_in_the_status_query_is_refused(gib: GibClient) -> None:
    with pytest.raises(GibRejected) as refused:
        gib.period_berats(ANADOLU_VKN, "2024-13")

    assert refused.value.code == "9005"
