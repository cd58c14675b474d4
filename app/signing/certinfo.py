"""What the certificate confirmation screen (SPEC A2) shows, read from an X.509 certificate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509.oid import NameOID

from .errors import CertificateExpiredError, CertificateNotYetValidError, CertificateOwnerMismatchError

# Kamu SM object identifiers (GIB-FORMATS.md §5).
MALI_MUHUR_POLICY_OID = "2.16.792.1.2.1.1.5.7.4.1"
MALI_MUHUR_SIGNING_EKU_OID = "2.16.792.1.2.1.1.5.7.50.1"
NES_INDIVIDUAL_POLICY_OID = "2.16.792.1.61.0.1.5070.1.1"
NES_CORPORATE_POLICY_OID = "2.16.792.1.61.0.1.5070.1.2"

KIND_MALI_MUHUR = "mali_muhur"
KIND_E_IMZA = "e_imza"

KIND_LABELS = {KIND_MALI_MUHUR: "Mali Mühür", KIND_E_IMZA: "e-İmza"}

# Key usage bits in the order a Turkish certificate viewer lists them.
_USAGE_TEXTS = (
    ("digital_signature", "Sayısal İmza"),
    ("content_commitment", "İnkâr Edilemezlik"),
    ("key_encipherment", "Anahtar Şifreleme"),
    ("data_encipherment", "Veri Şifreleme"),
)

# serialNumber is either the bare number or an ETSI semantics identifier such as "PNOTR-12345678901".
_OWNER_ID_PATTERN = re.compile(r"^(?:[A-Z]{3}TR-?)?(\d{10,11})$")


@dataclass(frozen=True)
class CertificateInfo:
    issuer_name: str  # Sağlayıcı
    serial_hex: str  # Seri Numarası
    owner_id: str  # Sahibi (TCKN/VKN)
    owner_name: str  # Sahibi
    not_before: datetime  # Geçerlilik Başlangıç Tarihi (UTC)
    not_after: datetime  # Geçerlilik Bitiş Tarihi (UTC)
    usage_text: str  # Kullanım Amacı
    kind: str  # "mali_muhur" | "e_imza"
    key_description: str  # e.g. "RSA 2048", "EC P-384"
    fingerprint_sha256: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def owner_id_label(self) -> str:
        """'VKN' for a 10-digit owner, 'TCKN' for 11 digits."""
        return "VKN" if len(self.owner_id) == 10 else "TCKN"

    def is_valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


def _name_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    if not values:
        return ""
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _extension_value(cert: x509.Certificate, extension_type: type) -> object | None:
    try:
        return cert.extensions.get_extension_for_class(extension_type).value
    except x509.ExtensionNotFound:
        return None


def owner_id_of(cert: x509.Certificate) -> str:
    """The VKN/TCKN in the subject serialNumber, or '' when the certificate carries none."""
    raw = _name_attribute(cert.subject, NameOID.SERIAL_NUMBER).strip()
    match = _OWNER_ID_PATTERN.match(raw)
    return match.group(1) if match else ""


def kind_of(cert: x509.Certificate) -> str:
    """Mali mühür (by its policy or EKU) or personal e-imza (everything else)."""
    eku = _extension_value(cert, x509.ExtendedKeyUsage)
    eku_oids = {oid.dotted_string for oid in eku} if eku is not None else set()
    policies = _extension_value(cert, x509.CertificatePolicies)
    policy_oids = {p.policy_identifier.dotted_string for p in policies} if policies is not None else set()
    if MALI_MUHUR_SIGNING_EKU_OID in eku_oids or MALI_MUHUR_POLICY_OID in policy_oids:
        return KIND_MALI_MUHUR
    return KIND_E_IMZA


def usage_text_of(cert: x509.Certificate) -> str:
    usage = _extension_value(cert, x509.KeyUsage)
    if usage is None:
        return ""
    return ", ".join(text for attribute, text in _USAGE_TEXTS if getattr(usage, attribute))


def can_sign(cert: x509.Certificate) -> bool:
    """A certificate meant for signatures: key usage digitalSignature or nonRepudiation (or no key usage at all)."""
    usage = _extension_value(cert, x509.KeyUsage)
    if usage is None:
        return True
    return bool(usage.digital_signature or usage.content_commitment)


def is_ca(cert: x509.Certificate) -> bool:
    constraints = _extension_value(cert, x509.BasicConstraints)
    return bool(constraints is not None and constraints.ca)


def key_description_of(cert: x509.Certificate) -> str:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        curve_names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return f"EC {curve_names.get(key.curve.name, key.curve.name)}"
    return type(key).__name__


def format_serial(serial: int) -> str:
    """Serial number as uppercase hex with an even number of digits."""
    text = format(serial, "X")
    return text if len(text) % 2 == 0 else "0" + text


def from_certificate(cert: x509.Certificate) -> CertificateInfo:
    return CertificateInfo(
        issuer_name=_name_attribute(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string(),
        serial_hex=format_serial(cert.serial_number),
        owner_id=owner_id_of(cert),
        owner_name=_name_attribute(cert.subject, NameOID.COMMON_NAME),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        usage_text=usage_text_of(cert),
        kind=kind_of(cert),
        key_description=key_description_of(cert),
        fingerprint_sha256=cert.fingerprint(SHA256()).hex().upper(),
    )


def check_validity(cert: x509.Certificate, at: datetime | None = None) -> None:
    """Raise CertificateExpiredError / CertificateNotYetValidError unless the certificate is valid at `at` (now)."""
    moment = at or datetime.now(timezone.utc)
    if moment < cert.not_valid_before_utc:
        raise CertificateNotYetValidError(cert.not_valid_before_utc)
    if moment > cert.not_valid_after_utc:
        raise CertificateExpiredError(cert.not_valid_after_utc)


def check_owner(cert: x509.Certificate, expected_owner_id: str) -> None:
    """Raise CertificateOwnerMismatchError unless the certificate belongs to the expected VKN/TCKN."""
    owner_id = owner_id_of(cert)
    if owner_id != expected_owner_id:
        raise CertificateOwnerMismatchError(owner_id, expected_owner_id)
