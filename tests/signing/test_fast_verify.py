"""The batch verifier (app.signing.fast_verify) agrees with the general verifier and xmlsec1, good or tampered.

It may only accept what the general verifier accepts; every failure and every unexpected shape must be judged by
the general verifier (so the reasons are the same). ``checker.fast`` / ``checker.general`` say which path ran.
"""

from __future__ import annotations

import re
from base64 import b64encode

import pytest
from cryptography.hazmat.primitives import serialization

from app.formats.safe_xml import parse_untrusted
from app.signing.fast_verify import SignatureChecker
from app.signing.verify import verify_signed_xml
from app.signing.xades import sign_enveloped
from tests.signing.conftest import sign_once, xmlsec1_verify
from tests.signing.test_verify import SIGNING_USAGE, _issued_by, rogue_ca  # noqa: F401 - fixture

ANADOLU = "4821307561"


def _check(data: bytes, anchors, owner: str | None = ANADOLU, checker: SignatureChecker | None = None):
    checker = checker or SignatureChecker(anchors)
    result = checker.verify(parse_untrusted(data, max_bytes=10 * 1024 * 1024), data, owner)
    return checker, result


def _same_as_general(data: bytes, anchors, owner: str | None = ANADOLU):
    checker, fast = _check(data, anchors, owner)
    general = verify_signed_xml(data, anchors, expected_owner_id=owner)
    assert (fast.ok, fast.code, fast.message) == (general.ok, general.code, general.message)
    assert fast.certificate_info == general.certificate_info and fast.signing_time == general.signing_time
    return checker, fast


@pytest.fixture(scope="module")
def signed(demo_pki, invoice) -> bytes:
    return sign_once(demo_pki, demo_pki.token("anadolu"), invoice)


def test_a_good_signature_is_accepted_on_the_fast_path_with_the_general_verdict(demo_pki, signed, tmp_path):
    checker, result = _same_as_general(signed, demo_pki.trust_anchors())

    assert result.ok and result.certificate_info.owner_id == ANADOLU and "Anadolu Tekstil" in result.message
    assert (checker.fast, checker.general) == (1, 0)
    assert xmlsec1_verify(signed, demo_pki.ca_cert_path, tmp_path).returncode == 0


def test_an_ec_signature_is_accepted_on_the_fast_path(demo_pki, invoice, tmp_path):
    signed = sign_once(demo_pki, demo_pki.token("marmara"), invoice)

    checker, result = _same_as_general(signed, demo_pki.trust_anchors(), "2578041931")
    assert result.ok and (checker.fast, checker.general) == (1, 0)
    assert xmlsec1_verify(signed, demo_pki.ca_cert_path, tmp_path).returncode == 0


def test_a_changed_amount_is_tampered(demo_pki, signed, tmp_path):
    changed = signed.replace(b"7840.80</cbc:PayableAmount>", b"7840.81</cbc:PayableAmount>")
    assert changed != signed

    checker, result = _same_as_general(changed, demo_pki.trust_anchors())
    assert (result.ok, result.code) == (False, "tampered") and (checker.fast, checker.general) == (0, 1)
    assert xmlsec1_verify(changed, demo_pki.ca_cert_path, tmp_path).returncode != 0


def test_a_changed_signed_info_breaks_the_signature_value(demo_pki, signed, tmp_path):
    # Nothing a digest covers: only the SignatureValue over SignedInfo can notice.
    changed = signed.replace(b'-Reference" URI=""', b'-Referenca" URI=""', 1)
    assert changed != signed

    checker, result = _same_as_general(changed, demo_pki.trust_anchors())
    assert not result.ok and checker.fast == 0
    assert xmlsec1_verify(changed, demo_pki.ca_cert_path, tmp_path).returncode != 0


def test_a_changed_digest_value_in_signed_info_is_tampered(demo_pki, signed, tmp_path):
    value = re.search(rb"<ds:DigestValue>([^<]+)</ds:DigestValue>", signed).group(1)
    changed = signed.replace(value, b64encode(b"\0" * 32), 1)

    checker, result = _same_as_general(changed, demo_pki.trust_anchors())
    assert (result.ok, result.code) == (False, "tampered") and checker.fast == 0
    assert xmlsec1_verify(changed, demo_pki.ca_cert_path, tmp_path).returncode != 0


def test_a_changed_signing_time_is_tampered(demo_pki, signed):
    changed = signed.replace(b"<xades:SigningTime>20", b"<xades:SigningTime>19")

    checker, result = _same_as_general(changed, demo_pki.trust_anchors())
    assert (result.ok, result.code) == (False, "tampered") and checker.fast == 0


def test_another_certificate_put_in_key_info_is_refused(demo_pki, signed, invoice, tmp_path):
    other = sign_once(demo_pki, demo_pki.token("ege"), invoice)
    own_leaf = re.search(rb"<ds:X509Certificate>([^<]+)</ds:X509Certificate>", signed).group(1)
    ege_leaf = re.search(rb"<ds:X509Certificate>([^<]+)</ds:X509Certificate>", other).group(1)
    changed = signed.replace(own_leaf, ege_leaf)

    checker, result = _same_as_general(changed, demo_pki.trust_anchors(), None)
    assert not result.ok and checker.fast == 0
    assert xmlsec1_verify(changed, demo_pki.ca_cert_path, tmp_path).returncode != 0


def test_an_unknown_ca_is_untrusted(demo_pki, signed, invoice, rogue_ca, tmp_path):  # noqa: F811
    checker, result = _same_as_general(signed, [rogue_ca[0]])
    assert (result.ok, result.code) == (False, "certificate_untrusted") and checker.fast == 0

    forged = sign_enveloped(invoice, _issued_by(*rogue_ca, SIGNING_USAGE))
    checker, result = _same_as_general(forged, demo_pki.trust_anchors())
    assert (result.ok, result.code) == (False, "certificate_untrusted") and checker.fast == 0
    rogue_pem = tmp_path / "rogue.pem"
    rogue_pem.write_bytes(rogue_ca[0].public_bytes(serialization.Encoding.PEM))
    assert xmlsec1_verify(signed, rogue_pem, tmp_path).returncode != 0


def test_an_expired_certificate_is_refused_even_after_a_good_one_filled_the_caches(demo_pki, signed, invoice):
    anchors = demo_pki.trust_anchors()
    checker, first = _check(signed, anchors)
    expired = sign_once(demo_pki, demo_pki.token("karadeniz"), invoice)

    _, result = _check(expired, anchors, "7059123645", checker)
    assert first.ok and (result.ok, result.code) == (False, "certificate_expired")
    assert "süresi dolmuştu" in result.message and (checker.fast, checker.general) == (1, 1)


def test_a_signer_other_than_the_sender_is_refused(demo_pki, signed):
    checker, result = _same_as_general(signed, demo_pki.trust_anchors(), "6132704183")
    assert not result.ok and result.code.endswith("owner_mismatch") and checker.fast == 0


def test_a_valid_signature_of_another_shape_goes_to_the_general_verifier(demo_pki, signed, tmp_path):
    # A comment in ds:Object is covered by no reference: still valid, but not the shape the fast path knows.
    commented = signed.replace(b"<ds:Object>", b"<ds:Object><!-- not signed -->", 1)

    checker, result = _same_as_general(commented, demo_pki.trust_anchors())
    assert result.ok and (checker.fast, checker.general) == (0, 1)
    assert xmlsec1_verify(commented, demo_pki.ca_cert_path, tmp_path).returncode == 0


def test_an_xml_lang_above_the_signature_goes_to_the_general_verifier(demo_pki, invoice):
    # C14N 1.0 of a subtree inherits xml:* attributes of its ancestors; lxml's subtree C14N (the portal's signer and
    # signxml) does not, xmlsec1 does — so such signatures are never the fast path's to judge (decision note 0094).
    document = invoice.replace(b"<Invoice ", b'<Invoice xml:lang="tr" ', 1)
    signed = sign_once(demo_pki, demo_pki.token("anadolu"), document)

    checker, _ = _same_as_general(signed, demo_pki.trust_anchors())
    assert (checker.fast, checker.general) == (0, 1)


def test_a_second_element_with_the_signed_properties_id_is_not_trusted_blindly(demo_pki, signed):
    ident = re.search(rb'<xades:SignedProperties Id="([^"]+)"', signed).group(1)
    wrapped = signed.replace(b"</cbc:Note>", b"</cbc:Note><cbc:Note Id=\"" + ident + b"\">x</cbc:Note>", 1)
    if wrapped == signed:
        wrapped = signed.replace(b"<ds:Object>", b"<ds:Object><x Id=\"" + ident + b"\"/>", 1)

    checker, result = _same_as_general(wrapped, demo_pki.trust_anchors())
    assert checker.fast == 0 and not result.ok


@pytest.mark.parametrize("old, new", [
    (b"<ds:SignatureValue", b"<ds:SignatureValue xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\""),
    (b"xmldsig-more#rsa-sha256", b"xmldsig#rsa-sha1"),
    (b"xmlenc#sha256\"/><ds:DigestValue>", b"xmldsig#sha1\"/><ds:DigestValue>"),
    (b"REC-xml-c14n-20010315\"/><ds:SignatureMethod", b"REC-xml-c14n-20010315#WithComments\"/><ds:SignatureMethod"),
    (b"xades:SigningCertificate>", b"xades:SigningCertificateV2>"),
    (b"</ds:X509Data>", b"<ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data>"),
    (b"</ds:SignedInfo>", b"<ds:Reference URI=\"#Signature_x\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo>"),
])
def test_odd_variants_get_the_general_verdict(demo_pki, signed, old, new):
    changed = signed.replace(old, new)
    assert changed != signed

    _same_as_general(changed, demo_pki.trust_anchors())
