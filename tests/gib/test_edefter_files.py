"""Berats and DRs zipped as GİB names them (VKN-YYYYMM-YB-000001.zip), over a real socket: approved or accepted
once per Idempotency-Key, and every zip or document GİB refuses refused with its code and Turkish text."""

from __future__ import annotations

import io
import zipfile

import pytest
import requests

from app.formats.gib.edefter_package import zip_file
from app.gib.client import GibClient, GibRejected
from app.gib.errors import GibServiceUnavailable
from app.gib.simulator.models import Berat, DefterReport
from app.signing.demo_pki import DemoPKI
from sqlalchemy import select
from tests.fixtures.gib import RunningSimulator, new_key, sign_as
from tests.gib.documents import ANADOLU_TITLE, ANADOLU_VKN, EGE_VKN, berat, defter_raporu


@pytest.fixture
def gib(gib_simulator_pki: RunningSimulator) -> GibClient:
    gib_simulator_pki.client.register_taxpayer(ANADOLU_VKN, ANADOLU_TITLE, idempotency_key=new_key())
    return gib_simulator_pki.client


def name(kind: str, period: str = "2024-01", part: int = 1, vkn: str = ANADOLU_VKN) -> str:
    return f"{vkn}-{period.replace('-', '')}-{kind}-{part:06d}.xml"


def signed_berat(pki: DemoPKI, kind: str, period: str = "2024-01", part: int = 1, signer: str = "anadolu") -> bytes:
    return sign_as(pki, signer, berat(ANADOLU_VKN, period, kind, part))


def post_raw(simulator: RunningSimulator, zip_name: str, body: bytes, key: str | None = None) -> requests.Response:
    return requests.post(f"{simulator.base_url}/api/v1/edefter/files/{zip_name}", data=body,
                         headers={"Idempotency-Key": key or new_key(), "Content-Type": "application/zip"}, timeout=10)


def rows(simulator: RunningSimulator, model) -> list:  # type: ignore[no-untyped-def]
    with simulator.app.extensions["gib_simulator"].sessions() as session:
        return list(session.scalars(select(model)))


def test_berats_then_the_dr_are_approved_and_a_repeated_key_is_answered_not_applied(
        gib: GibClient, gib_simulator_pki: RunningSimulator, demo_pki: DemoPKI) -> None:
    yb = signed_berat(demo_pki, "YB")
    answer = gib.submit_edefter_file(name("YB"), yb, idempotency_key="yb-1")
    assert answer.kind == "YB" and answer.approval is not None and answer.approval.approved_berat
    assert answer.approval.filename == f"GIB-{ANADOLU_VKN}-202401-YB-000001.xml"
    again = gib.submit_edefter_file(name("YB"), yb, idempotency_key="yb-1")
    assert again.approval is not None and again.approval.approved_berat == answer.approval.approved_berat

    report = sign_as(demo_pki, "anadolu", defter_raporu(ANADOLU_VKN, "2024-01"))
    early = pytest.raises(GibRejected, gib.submit_edefter_file, name("DR", part=0), report, idempotency_key=new_key())
    assert early.value.code == "3009" and "yevmiye ve kebir beratları onaylanmadan" in early.value.text

    gib.submit_edefter_file(name("KB"), signed_berat(demo_pki, "KB"), idempotency_key=new_key())
    accepted = gib.submit_edefter_file(name("DR", part=0), report, idempotency_key="dr-1")
    assert accepted.kind == "DR" and accepted.acceptance_id
    twice = pytest.raises(GibRejected, gib.submit_edefter_file, name("DR", part=0), report, idempotency_key=new_key())
    assert twice.value.code == "3010"
    assert len(rows(gib_simulator_pki, Berat)) == 2 and len(rows(gib_simulator_pki, DefterReport)) == 1


def test_gib_refuses_wrong_signer_wrong_name_month_order_and_an_approved_part(
        gib: GibClient, demo_pki: DemoPKI) -> None:
    def refused(file_name: str, document: bytes) -> GibRejected:
        with pytest.raises(GibRejected) as caught:
            gib.submit_edefter_file(file_name, document, idempotency_key=new_key())
        return caught.value

    assert refused(name("YB"), signed_berat(demo_pki, "YB", signer="ege")).code == "1176"  # not the taxpayer's card
    mismatch = refused(name("YB", vkn=EGE_VKN), signed_berat(demo_pki, "YB"))
    assert mismatch.code == "3012" and "uyuşmuyor" in mismatch.text
    gib.submit_edefter_file(name("YB"), signed_berat(demo_pki, "YB"), idempotency_key=new_key())
    assert refused(name("YB"), signed_berat(demo_pki, "YB")).code == "3003"
    assert refused(name("YB", "2024-03"), signed_berat(demo_pki, "YB", "2024-03")).code == "3002"
    assert refused(name("YB", part=3), signed_berat(demo_pki, "YB", part=3)).code == "3004"
    dr_by_other = sign_as(demo_pki, "ege", defter_raporu(ANADOLU_VKN, "2024-01"))
    assert refused(name("DR", part=0), dr_by_other).code == "1176"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def test_hostile_or_malformed_zips_are_refused(gib: GibClient, gib_simulator_pki: RunningSimulator,
                                               demo_pki: DemoPKI) -> None:
    signed = signed_berat(demo_pki, "YB")
    stem = name("YB").removesuffix(".xml")
    bomb = _zip({f"{stem}.xml": b"<a>" + b" " * (30 * 1024 * 1024) + b"</a>"})  # 30 MB of spaces, ~30 KB zipped
    cases = {
        "not a zip": (f"{stem}.zip", signed),
        "two members": (f"{stem}.zip", _zip({f"{stem}.xml": signed, "extra.xml": signed})),
        "a path": (f"{stem}.zip", _zip({f"../{stem}.xml": signed})),
        "another name": (f"{stem}.zip", _zip({"berat.xml": signed})),
        "not xml": (f"{stem}.zip", _zip({f"{stem}.xml": b"\x00\x01MZ binary"})),
        "a bomb": (f"{stem}.zip", bomb),
        "a bad name": ("berat.zip", zip_file("berat.xml", signed)),
    }
    for case, (zip_name, body) in cases.items():
        answer = post_raw(gib_simulator_pki, zip_name, body)
        assert answer.status_code == 400, (case, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "3011" and error["message"].startswith("Gönderilen paket (zip) kabul edilmedi."), case
    entity = _zip({f"{stem}.xml": b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'})
    answer = post_raw(gib_simulator_pki, f"{stem}.zip", entity)
    assert answer.status_code == 400 and "root" not in answer.text
    assert rows(gib_simulator_pki, Berat) == []


def test_an_unreachable_edefter_service_is_named_with_its_address() -> None:
    client = GibClient("http://127.0.0.1:9", total_timeout=3)
    with pytest.raises(GibServiceUnavailable) as caught:
        client.submit_edefter_file(name("YB"), b"<a/>", idempotency_key=new_key())
    assert caught.value.message.startswith("GİB e-Defter servisine ulaşılamadı (127.0.0.1:9).")
