"""Verification gives the right reason for each way a signed document can be wrong, and never crashes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from app.signing.verify import verify_signed_xml
from app.signing.xades import sign_enveloped
from tests.signing.conftest import sign_once, xmlsec1_verify


@dataclass
class SoftwareSigner:
    """Someone signing with a software key: what an attacker or a foreign CA's customer would do."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)
    is_ec: bool = False


def _certificate(subject: x509.Name, issuer: x509.Name, public_key, signing_key, *, ca: bool, usage: x509.KeyUsage):
    now = datetime.now(timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False)
        .sign(signing_key, hashes.SHA256())
    )


SIGNING_USAGE = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
ENCRYPTION_USAGE = x509.KeyUsage(False, False, True, False, False, False, False, False, False)
CA_USAGE = x509.KeyUsage(False, False, False, False, False, True, True, False, False)


def _subject(vkn: str, name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TR"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, vkn),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )


@pytest.fixture(scope="module")
def rogue_ca() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A CA with exactly the demo root's name but its own key."""
    from app.signing.demo_pki import ROOT_NAME, _name

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(_name(ROOT_NAME), _name(ROOT_NAME), key.public_key(), key, ca=True, usage=CA_USAGE)
    return cert, key


def _issued_by(ca_cert, ca_key, usage: x509.KeyUsage, vkn: str = "4821307561") -> SoftwareSigner:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(_subject(vkn, "Anadolu Tekstil Sanayi ve Ticaret A.Ş."), ca_cert.subject, key.public_key(), ca_key, ca=False, usage=usage)
    return SoftwareSigner(key, cert)


@pytest.fixture(scope="module")
def signed_invoice(demo_pki, invoice) -> bytes:
    return sign_once(demo_pki, demo_pki.token("anadolu"), invoice)


def test_good_signature_reports_who_signed_and_when(demo_pki, signed_invoice):
    result = verify_signed_xml(signed_invoice, demo_pki.trust_anchors())

    assert result.ok and result.code == "ok"
    assert result.certificate_info.owner_id == "4821307561"
    assert "Anadolu Tekstil" in result.message and result.signing_time is not None


def test_a_changed_byte_is_reported_as_changed_after_signing(demo_pki, signed_invoice, tmp_path):
    changed = signed_invoice.replace(b"7840.80</cbc:PayableAmount>", b"7840.81</cbc:PayableAmount>")
    assert changed != signed_invoice

    result = verify_signed_xml(changed, demo_pki.trust_anchors())
    assert (result.ok, result.code) == (False, "tampered")
    assert "değiştirilmiş" in result.message
    assert xmlsec1_verify(changed, demo_pki.ca_cert_path, tmp_path).returncode != 0


def test_a_changed_signing_time_is_reported_as_changed(demo_pki, signed_invoice):
    result = verify_signed_xml(signed_invoice.replace(b"<xades:SigningTime>20", b"<xades:SigningTime>19"), demo_pki.trust_anchors())

    assert (result.ok, result.code) == (False, "tampered")


def test_another_ca_as_trust_anchor_rejects_the_demo_signature(demo_pki, signed_invoice, rogue_ca, tmp_path):
    result = verify_signed_xml(signed_invoice, [rogue_ca[0]])
    assert (result.ok, result.code) == (False, "certificate_untrusted")

    rogue_pem = tmp_path / "rogue.pem"
    rogue_pem.write_bytes(rogue_ca[0].public_bytes(serialization.Encoding.PEM))
    assert xmlsec1_verify(signed_invoice, rogue_pem, tmp_path).returncode != 0


def test_a_certificate_from_a_ca_posing_as_the_demo_ca_is_untrusted(demo_pki, invoice, rogue_ca, tmp_path):
    forged = sign_enveloped(invoice, _issued_by(*rogue_ca, SIGNING_USAGE))

    result = verify_signed_xml(forged, demo_pki.trust_anchors())
    assert (result.ok, result.code) == (False, "certificate_untrusted")
    assert "güvenilen" in result.message
    assert xmlsec1_verify(forged, demo_pki.ca_cert_path, tmp_path).returncode != 0


def test_signature_made_after_the_certificate_expired_fails_with_that_reason(demo_pki, invoice):
    signed = sign_once(demo_pki, demo_pki.token("karadeniz"), invoice)

    result = verify_signed_xml(signed, demo_pki.trust_anchors())
    assert (result.ok, result.code) == (False, "certificate_expired")
    assert "süresi dolmuştu" in result.message


def test_signature_dated_inside_the_validity_of_a_now_expired_certificate_still_verifies(demo_pki, invoice):
    """XAdES-BES: validity is judged at the (signed) signing time, as for last year's berat."""
    token = demo_pki.token("karadeniz")
    with_expired_key = sign_once(demo_pki, token, invoice, signing_time=datetime.now(timezone.utc) - timedelta(days=60))

    result = verify_signed_xml(with_expired_key, demo_pki.trust_anchors())
    assert result.ok, result.message


def test_signing_time_in_the_future_is_refused(demo_pki, invoice):
    later = datetime.now(timezone.utc) + timedelta(days=2)
    signed = sign_once(demo_pki, demo_pki.token("ege"), invoice, signing_time=later)

    assert verify_signed_xml(signed, demo_pki.trust_anchors()).code == "signing_time_future"


def test_certificate_of_another_taxpayer_is_refused(demo_pki, signed_invoice):
    result = verify_signed_xml(signed_invoice, demo_pki.trust_anchors(), expected_owner_id="6132704183")

    assert (result.ok, result.code) == (False, "certificate_owner_mismatch")
    assert "4821307561" in result.message and "6132704183" in result.message


def test_certificate_without_signature_key_usage_is_refused(demo_pki, invoice):
    ca_dir = demo_pki.directory / "ca"
    ca_cert = x509.load_pem_x509_certificate((ca_dir / "mali-muhur-ca.pem").read_bytes())
    ca_key = serialization.load_pem_private_key((ca_dir / "mali-muhur-ca.key.pem").read_bytes(), password=None)
    signer = _issued_by(ca_cert, ca_key, ENCRYPTION_USAGE)
    signer.chain = [ca_cert]

    result = verify_signed_xml(sign_enveloped(invoice, signer), demo_pki.trust_anchors())
    assert (result.ok, result.code) == (False, "key_usage")


def test_document_without_signature(demo_pki, invoice):
    result = verify_signed_xml(invoice, demo_pki.trust_anchors())

    assert (result.ok, result.code) == (False, "no_signature")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]><x>&secret;</x>"""


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not xml at all", b"<a>", b"\x00\xff\xfe", BILLION_LAUGHS, EXTERNAL_ENTITY, "<str/>", None],
    ids=["empty", "text", "unclosed", "binary", "billion-laughs", "external-entity", "str", "none"],
)
def test_garbage_and_hostile_xml_give_a_message_not_a_crash(demo_pki, garbage):
    result = verify_signed_xml(garbage, demo_pki.trust_anchors())

    assert result.ok is False
    assert result.message.startswith("İmza geçersiz")
    assert "root:" not in result.message


def test_signature_with_its_x509_data_removed_is_invalid(demo_pki, signed_invoice):
    start = signed_invoice.index(b"<ds:X509Data>")
    end = signed_invoice.index(b"</ds:X509Data>") + len(b"</ds:X509Data>")
    result = verify_signed_xml(signed_invoice[:start] + signed_invoice[end:], demo_pki.trust_anchors())

    assert result.ok is False
