"""What the confirmation screen shows, read from the demo mali mühür and e-imza certificates on the tokens."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.signing import errors
from app.signing.act import signing_act
from app.signing.certinfo import check_owner, check_validity, from_certificate, owner_id_of
from app.signing.errors import format_local_time


def _certificate_on(demo_pki, key: str) -> x509.Certificate:
    token = demo_pki.token(key)
    with signing_act(demo_pki.module_path, token.label, token.pin, check_validity=False) as act:
        return act.certificate


def test_mali_muhur_certificate_info(demo_pki):
    info = from_certificate(_certificate_on(demo_pki, "anadolu"))

    assert info.issuer_name == "Mali Mühür Elektronik Sertifika Hizmet Sağlayıcısı - S2"
    assert (info.owner_id, info.owner_id_label) == ("4821307561", "VKN")
    assert info.owner_name == "Anadolu Tekstil Sanayi ve Ticaret A.Ş."
    assert info.usage_text == "Sayısal İmza"
    assert (info.kind, info.kind_label) == ("mali_muhur", "Mali Mühür")
    assert info.key_description == "RSA 2048"
    assert len(info.serial_hex) % 2 == 0 and int(info.serial_hex, 16) > 0
    assert info.is_valid_at(datetime.now(timezone.utc))


def test_e_imza_certificate_info(demo_pki):
    info = from_certificate(_certificate_on(demo_pki, "ayse"))

    assert info.issuer_name == "Nitelikli Elektronik Sertifika Hizmet Sağlayıcısı - S1"
    assert (info.owner_id, info.owner_id_label, info.owner_name) == ("34721590854", "TCKN", "Ayşe Yılmaz")
    assert info.usage_text == "Sayısal İmza, İnkâr Edilemezlik"
    assert (info.kind, info.kind_label) == ("e_imza", "e-İmza")


def test_gib_seal_and_ec_mali_muhur(demo_pki):
    assert from_certificate(_certificate_on(demo_pki, "gib")).owner_id == "3900383669"
    ec_info = from_certificate(_certificate_on(demo_pki, "marmara"))
    assert (ec_info.kind, ec_info.key_description) == ("mali_muhur", "EC P-384")


def test_expired_certificate_is_reported_with_its_end_date(demo_pki):
    certificate = _certificate_on(demo_pki, "karadeniz")
    assert not from_certificate(certificate).is_valid_at(datetime.now(timezone.utc))

    with pytest.raises(errors.CertificateExpiredError) as caught:
        check_validity(certificate)
    assert format_local_time(certificate.not_valid_after_utc) in caught.value.message
    check_validity(certificate, certificate.not_valid_after_utc - timedelta(days=1))


def test_not_yet_valid_certificate(demo_pki):
    certificate = _certificate_on(demo_pki, "ege")
    with pytest.raises(errors.CertificateNotYetValidError, match="henüz geçerli değil"):
        check_validity(certificate, certificate.not_valid_before_utc - timedelta(seconds=1))


def test_owner_check(demo_pki):
    certificate = _certificate_on(demo_pki, "ege")
    check_owner(certificate, "6132704183")
    with pytest.raises(errors.CertificateOwnerMismatchError):
        check_owner(certificate, "4821307561")


@pytest.mark.parametrize(
    ("serial_number", "owner_id"),
    [("4821307561", "4821307561"), ("PNOTR-34721590854", "34721590854"), ("TCKTR34721590854", "34721590854"), ("ABC", "")],
)
def test_owner_id_from_subject_serial_number_forms(serial_number, owner_id):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number), x509.NameAttribute(NameOID.COMMON_NAME, "X")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    assert owner_id_of(certificate) == owner_id
    assert from_certificate(certificate).kind == "e_imza"
