"""Verifying a signed XML document: signature, chain to the trust anchors, signing time, key usage, owner.

Never raises for bad input: hostile or garbage XML gives ok=False with a Turkish message a page can show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509.verification import Criticality, ExtensionPolicy, Store
from lxml import etree
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature, SignXMLException
from signxml.util import X509CertChainVerifier
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from . import certinfo
from .certinfo import CertificateInfo
from .errors import SigningError, format_local_time
from .xades import DS_NS, XADES_NS, safe_parser

log = logging.getLogger(__name__)

# How far a claimed signing time may lie ahead of this host's clock.
ALLOWED_CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    code: str  # "ok" or the reason it failed
    message: str  # Turkish, for the page
    certificate_info: CertificateInfo | None = None
    signing_time: datetime | None = None


def _fail(code: str, message: str, info: CertificateInfo | None = None, at: datetime | None = None) -> VerificationResult:
    return VerificationResult(False, code, f"İmza geçersiz: {message}", info, at)


def _require_signing_key_usage(policy: object, cert: x509.Certificate, key_usage: x509.KeyUsage | None) -> None:
    if key_usage is None or not (key_usage.digital_signature or key_usage.content_commitment):
        raise ValueError("certificate key usage does not allow signatures")


def _require_ca(policy: object, cert: x509.Certificate, constraints: x509.BasicConstraints | None) -> None:
    if constraints is None or not constraints.ca:
        raise ValueError("issuer is not a CA")


_EE_POLICY = ExtensionPolicy.permit_all().require_present(x509.KeyUsage, Criticality.AGNOSTIC, _require_signing_key_usage)
_CA_POLICY = ExtensionPolicy.permit_all().require_present(x509.BasicConstraints, Criticality.AGNOSTIC, _require_ca)


class _AnchorChainVerifier(X509CertChainVerifier):
    """signxml's chain verifier with trust anchors given as certificates instead of a PEM file."""

    def __init__(self, anchors: list[x509.Certificate], verification_time: datetime) -> None:
        self._anchors = anchors
        super().__init__(
            ca_pem_file="(trust anchors)", verification_time=verification_time, ee_policy=_EE_POLICY, ca_policy=_CA_POLICY
        )

    @property
    def store(self) -> Store:
        return Store(self._anchors)


class _AnchoredXAdESVerifier(XAdESVerifier):
    def __init__(self, anchors: list[x509.Certificate]) -> None:
        super().__init__()
        self._anchors = anchors

    def get_cert_chain_verifier(self, ca_pem_file: object, ee_policy: object, ca_policy: object) -> X509CertChainVerifier:
        return _AnchorChainVerifier(self._anchors, self._get_cert_verification_time())


def _parse(xml: bytes) -> etree._Element | None:
    try:
        root = etree.fromstring(xml, parser=safe_parser())
    except (etree.XMLSyntaxError, ValueError, TypeError):
        return None
    if root is None or root.getroottree().docinfo.internalDTD is not None:
        return None
    return root


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _signing_certificate(signature: etree._Element, signature_key: bytes | None) -> x509.Certificate | None:
    """The X509Certificate in KeyInfo whose public key made the verified signature."""
    for element in signature.iterfind(f"{{{DS_NS}}}KeyInfo/{{{DS_NS}}}X509Data/{{{DS_NS}}}X509Certificate"):
        try:
            cert = x509.load_der_x509_certificate(_b64(element.text or ""))
        except ValueError:
            continue
        if cert.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo) == signature_key:
            return cert
    return None


def _b64(text: str) -> bytes:
    from base64 import b64decode

    return b64decode("".join(text.split()))


def _certificate_failure(exc: InvalidCertificate, signing_time: datetime) -> VerificationResult:
    text = str(exc)
    when = format_local_time(signing_time)
    if "expired" in text:
        return _fail("certificate_expired", f"imza zamanında ({when}) sertifikanın süresi dolmuştu.", at=signing_time)
    if "not yet valid" in text:
        return _fail("certificate_not_yet_valid", f"imza zamanında ({when}) sertifika henüz geçerli değildi.", at=signing_time)
    if "key usage" in text.lower() or "keyusage" in text.lower():
        return _fail("key_usage", "sertifika imza için kullanılamaz (Kullanım Amacı uygun değil).", at=signing_time)
    return _fail(
        "certificate_untrusted",
        "sertifika güvenilen bir sertifika hizmet sağlayıcısı tarafından verilmemiş.",
        at=signing_time,
    )


def verify_signed_xml(
    xml: bytes,
    trust_anchors: list[x509.Certificate],
    *,
    expected_owner_id: str | None = None,
    now: datetime | None = None,
) -> VerificationResult:
    """Check an enveloped XAdES signature over the whole document.

    The certificate chain is checked at the claimed signing time (XAdES-BES has no time-stamp), which must lie
    inside the certificate's validity and not in the future.
    """
    try:
        return _verify(xml, trust_anchors, expected_owner_id, now or datetime.now(timezone.utc))
    except Exception as exc:  # noqa: BLE001 - a page must get an answer for any input
        log.warning("signature verification failed unexpectedly: %s", type(exc).__name__)
        return _fail("invalid", "belge veya imza okunamadı.")


def _verify(
    xml: bytes, trust_anchors: list[x509.Certificate], expected_owner_id: str | None, now: datetime
) -> VerificationResult:
    root = _parse(xml) if isinstance(xml, bytes) else None
    if root is None:
        return _fail("malformed", "belge geçerli bir XML değil.")
    signature = next(root.iter(f"{{{DS_NS}}}Signature"), None)
    if signature is None:
        return _fail("no_signature", "belgede imza bulunamadı.")
    if signature.find(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference[@URI='']") is None:
        return _fail("not_enveloped", "imza belgenin tamamını kapsamıyor.")
    signing_time = _parse_time(signature.findtext(f".//{{{XADES_NS}}}SigningTime"))
    if signing_time is None:
        return _fail("no_signing_time", "imzada imza zamanı (SigningTime) yok.")
    if signing_time > now + ALLOWED_CLOCK_SKEW:
        return _fail("signing_time_future", f"imza zamanı ({format_local_time(signing_time)}) ileri bir tarih.")
    if not trust_anchors:
        return _fail("certificate_untrusted", "güvenilen sertifika hizmet sağlayıcısı tanımlı değil.", at=signing_time)

    config = XAdESSignatureConfiguration(expect_references=True, verification_time=signing_time)
    try:
        results = _AnchoredXAdESVerifier(trust_anchors).verify(root, expect_config=config)
    except InvalidCertificate as exc:
        return _certificate_failure(exc, signing_time)
    except (InvalidDigest, InvalidSignature):
        return _fail("tampered", "belge imzalandıktan sonra değiştirilmiş.", at=signing_time)
    except (InvalidInput, SignXMLException) as exc:
        log.info("signature structure rejected: %s", exc)
        return _fail("invalid_signature", "imzanın yapısı hatalı.", at=signing_time)

    signed_properties = next(r for r in results if hasattr(r, "signed_properties"))
    verified_time = _parse_time(signed_properties.signed_xml.findtext(f".//{{{XADES_NS}}}SigningTime"))
    if verified_time != signing_time:
        return _fail("invalid_signature", "imza zamanı imzalı bilgilerle uyuşmuyor.", at=signing_time)
    cert = _signing_certificate(signature, results[0].signature_key)
    if cert is None:
        return _fail("invalid_signature", "imzalayan sertifika imzada bulunamadı.", at=signing_time)
    info = certinfo.from_certificate(cert)
    try:
        certinfo.check_validity(cert, signing_time)
        if expected_owner_id is not None:
            certinfo.check_owner(cert, expected_owner_id)
    except SigningError as exc:
        return VerificationResult(False, exc.code, f"İmza geçersiz: {exc.message}", info, signing_time)
    if not certinfo.can_sign(cert):
        return _fail("key_usage", "sertifika imza için kullanılamaz (Kullanım Amacı uygun değil).", info, signing_time)
    message = (
        f"İmza geçerli: belge {info.owner_name} ({info.owner_id}) tarafından "
        f"{format_local_time(signing_time)} tarihinde imzalanmış."
    )
    return VerificationResult(True, "ok", message, info, signing_time)
