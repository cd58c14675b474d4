"""A yevmiye signed on a real SoftHSM token as the portal signs a part: read, schema-checked, its signature verified
within a size bound."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.samples import sample_company, sample_document, sample_entries, write_yevmiye_file
from app.formats.xbrl.signature_check import SignatureStatus, check_yevmiye_signature
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary
from app.signing.demo_pki import DemoPKI
from tests.fixtures.defter import canonical_digest, sign_defter

GIB_XSD = Path(__file__).resolve().parents[3] / "shared" / "gib" / "edefter" / "xsd" / "edefter.xsd"
SIGNATURE_ID = "Signature_YEV202403000001"


@pytest.fixture(scope="module")
def signed_yevmiye(demo_pki: DemoPKI) -> tuple[bytes, str]:
    """A 12-madde yevmiye of the 'anadolu' demo company, signed with its mali mühür token."""
    token = demo_pki.token("anadolu")
    document = sample_document()
    buffer = io.BytesIO()
    part = write_yevmiye_file(buffer, sample_company(token.owner_id), document,
                              sample_entries(document, 12, first_counter=88), first_entry_counter=88)
    assert canonical_digest(buffer.getvalue()) == part.digest  # what the portal signs is what C14N gives
    return sign_defter(buffer.getvalue(), demo_pki, "anadolu", signature_id=SIGNATURE_ID), token.owner_id


def test_the_signature_follows_xbrl_inside_the_root(signed_yevmiye: tuple[bytes, str]) -> None:
    root = etree.fromstring(signed_yevmiye[0])
    assert [child.tag for child in root] == [ns.xbrli("xbrl"), ns.SIGNATURE]
    assert root[1].get("Id") == SIGNATURE_ID and root[1].find(ns.SIGNATURE_VALUE) is not None


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
    write_yevmiye_file(buffer, sample_company(), document, sample_entries(document, 2))
    unsigned = buffer.getvalue()
    # As written, and with an empty ds:Signature left for a signer (another program's placeholder).
    placeholder = unsigned.replace(b"</edefter:defter>", b'<ds:Signature Id="Signature_YEV"></ds:Signature></edefter:defter>')
    assert placeholder != unsigned
    for data in (unsigned, placeholder):
        check = check_yevmiye_signature(io.BytesIO(data), demo_pki.trust_anchors())
        assert check.status is SignatureStatus.UNSIGNED and "imzasız" in check.message
