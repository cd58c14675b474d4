"""A yevmiye signed on a real SoftHSM token: read, schema-checked, its signature verified within a size bound."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from app.formats.xbrl.samples import sample_company, sample_document, sample_entries
from app.formats.xbrl.signature_check import SignatureStatus, check_yevmiye_signature
from app.formats.xbrl.writer import write_yevmiye
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary
from app.signing.act import signing_act
from app.signing.demo_pki import DemoPKI
from app.signing.xades import sign_enveloped

GIB_XSD = Path(__file__).resolve().parents[3] / "shared" / "gib" / "edefter" / "xsd" / "edefter.xsd"
PLACEHOLDER = "Signature_YEV"


@pytest.fixture(scope="module")
def signed_yevmiye(demo_pki: DemoPKI) -> tuple[bytes, str]:
    """A 12-madde yevmiye of the 'anadolu' demo company, signed with its mali mühür token."""
    token = demo_pki.token("anadolu")
    document = sample_document()
    buffer = io.BytesIO()
    write_yevmiye(buffer, sample_company(token.owner_id), document, sample_entries(document, 12, first_counter=88),
                  signature_placeholder_id=PLACEHOLDER)
    with signing_act(demo_pki.module_path, token.label, token.pin) as act:
        return sign_enveloped(buffer.getvalue(), act, placeholder=PLACEHOLDER), token.owner_id


def test_signed_yevmiye_is_valid_against_gib_xsd_as_a_whole(signed_yevmiye: tuple[bytes, str]) -> None:
    if not GIB_XSD.exists():
        pytest.skip(f"GİB's e-Defter XSD is not on this machine ({GIB_XSD}); schema check skipped")
    schema = etree.XMLSchema(etree.parse(str(GIB_XSD), etree.XMLParser(no_network=True)))
    document = etree.parse(io.BytesIO(signed_yevmiye[0]))
    assert schema.validate(document), schema.error_log


def test_signed_yevmiye_reads_and_verifies(signed_yevmiye: tuple[bytes, str], demo_pki: DemoPKI,
                                           tmp_path: Path) -> None:
    data, owner = signed_yevmiye
    path = tmp_path / "yevmiye.xml"
    path.write_bytes(data)
    summary = read_yevmiye_summary(path, expected_owner_id=owner)
    assert summary.has_signature and summary.last_entry_counter == 99 and summary.next_entry_counter == 100
    check = check_yevmiye_signature(path, demo_pki.trust_anchors(), expected_owner_id=owner)
    assert check.ok and check.status is SignatureStatus.VALID
    assert "İmza geçerli" in check.message and "Anadolu Tekstil" in check.message


def test_signature_of_a_zipped_yevmiye_is_verified(signed_yevmiye: tuple[bytes, str], demo_pki: DemoPKI) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("yevmiye.xml", signed_yevmiye[0])
    buffer.seek(0)
    assert check_yevmiye_signature(buffer, demo_pki.trust_anchors()).ok


def test_a_change_that_keeps_the_rules_breaks_the_signature_but_not_the_summary(
    signed_yevmiye: tuple[bytes, str], demo_pki: DemoPKI
) -> None:
    data, owner = signed_yevmiye
    tampered = data.replace(b"numaral\xc4\xb1 sat\xc4\xb1\xc5\x9f faturas\xc4\xb1", b"numaral\xc4\xb1 sat\xc4\xb1\xc5\x9f", 1)
    assert tampered != data
    assert read_yevmiye_summary(io.BytesIO(tampered)).last_entry_counter == 99
    check = check_yevmiye_signature(io.BytesIO(tampered), demo_pki.trust_anchors(), expected_owner_id=owner)
    assert check.status is SignatureStatus.INVALID and "değiştirilmiş" in check.message


def test_signature_by_another_taxpayer_is_not_accepted(signed_yevmiye: tuple[bytes, str], demo_pki: DemoPKI) -> None:
    check = check_yevmiye_signature(
        io.BytesIO(signed_yevmiye[0]), demo_pki.trust_anchors(), expected_owner_id=demo_pki.token("ege").owner_id
    )
    assert check.status is SignatureStatus.INVALID


def test_over_the_size_limit_the_page_is_told_the_signature_was_not_checked(
    signed_yevmiye: tuple[bytes, str], demo_pki: DemoPKI
) -> None:
    check = check_yevmiye_signature(io.BytesIO(signed_yevmiye[0]), demo_pki.trust_anchors(), size_limit=10_000)
    assert check.status is SignatureStatus.TOO_LARGE and not check.ok
    assert "imzası kontrol edilemedi" in check.message


def test_unsigned_yevmiye_is_reported_as_unsigned(demo_pki: DemoPKI) -> None:
    document = sample_document()
    buffer = io.BytesIO()
    write_yevmiye(buffer, sample_company(), document, sample_entries(document, 2), signature_placeholder_id=PLACEHOLDER)
    buffer.seek(0)
    check = check_yevmiye_signature(buffer, demo_pki.trust_anchors())
    assert check.status is SignatureStatus.UNSIGNED and "imzasız" in check.message
