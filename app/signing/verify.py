"""Verifying a signed XML document: signature, chain to the trust anchors, signing time, key usage, owner.

Never raises for bad input: hostile or garbage XML gives ok=False with a Turkish message a page can show.
"""

from __future__ import annotations

import logging
from base64 import b64decode
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store, VerificationError
from lxml import etree
from signxml import DigestAlgorithm, VerifyResult
from signxml.exceptions import InvalidDigest, InvalidInput, InvalidSignature, SignXMLException
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier, XAdESVerifyResult

from . import certinfo
from .certinfo import CertificateInfo
from .errors import SigningError, format_local_time
from .placement import DS_NS, XADES_NS, c14n_without_signature, safe_parser

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


def _chain_failure(
    leaf: x509.Certificate, others: list[x509.Certificate], anchors: list[x509.Certificate], at: datetime
) -> str | None:
    """None when leaf chains to an anchor at `at` (through the other certificates of the signature), else a code."""
    builder = PolicyBuilder().store(Store(anchors)).time(at).extension_policies(ee_policy=_EE_POLICY, ca_policy=_CA_POLICY)
    try:
        builder.build_client_verifier().verify(leaf, others)
    except VerificationError as exc:
        log.info("certificate chain rejected: %s", exc)
        return "key_usage" if "key usage" in str(exc) else "certificate_untrusted"
    return None


_WHOLE_DOCUMENT_TRANSFORMS = (
    ["http://www.w3.org/2000/09/xmldsig#enveloped-signature"],
    ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"],
)


class _WholeDocumentVerifier(XAdESVerifier):
    """signxml's verifier, except that Reference URI="" covers the whole document as XML-DSig says.

    signxml canonicalises only the root element, so a processing instruction before it (GİB's samples carry
    <?xml-stylesheet?>) made it reject signatures that xmlsec1 and Java verifiers accept.
    """

    def __init__(self, tree: etree._ElementTree, signature: etree._Element, document_digest: bytes | None = None) -> None:
        super().__init__()
        self._tree = tree
        self._signature = signature
        # Computed by a streaming pass (app.signing.stream_verify) when the document is too big to hold.
        self._document_digest = document_digest

    def _verify_reference(self, reference, index, root, uri_resolver, c14n_algorithm, signature, signature_key_used):  # type: ignore[no-untyped-def]
        transforms = [t.get("Algorithm") for t in reference.iterfind(f"{{{DS_NS}}}Transforms/{{{DS_NS}}}Transform")]
        if reference.get("URI") != "" or transforms not in _WHOLE_DOCUMENT_TRANSFORMS:
            return super()._verify_reference(
                reference, index, root, uri_resolver, c14n_algorithm, signature, signature_key_used
            )
        digest_alg = DigestAlgorithm(self._find(reference, "DigestMethod").get("Algorithm"))
        self.check_digest_alg_expected(digest_alg)
        expected = b64decode(self._find(reference, "DigestValue").text or "")
        if self._document_digest is not None:
            if expected != self._document_digest:
                raise InvalidDigest(f"Digest mismatch for reference {index} (whole document, streamed)")
            return VerifyResult(b"", None, signature, signature_key=None)
        payload = c14n_without_signature(self._tree, self._signature)
        if expected != self._get_digest(payload, digest_alg):
            raise InvalidDigest(f"Digest mismatch for reference {index} (whole document)")
        key = signature_key_used
        key_pem = key if isinstance(key, bytes) else key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        return VerifyResult(payload, self._fromstring(payload), signature, signature_key=key_pem)


def _parse(xml: bytes) -> etree._Element | None:
    try:
        root = etree.fromstring(xml, parser=safe_parser())
    except (etree.XMLSyntaxError, ValueError, TypeError):
        return None
    if root is None or root.getroottree().docinfo.internalDTD is not None:
        return None
    return root


def parse_signing_time(text: str | None) -> datetime | None:
    """xades:SigningTime as a datetime (UTC when it names no zone); None when absent or not a time."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def embedded_certificates(signature: etree._Element) -> list[x509.Certificate]:
    """The certificates in ds:KeyInfo (unreadable ones skipped: the chain check then fails on its own)."""
    certificates = []
    for element in signature.iterfind(f"{{{DS_NS}}}KeyInfo/{{{DS_NS}}}X509Data/{{{DS_NS}}}X509Certificate"):
        try:
            certificates.append(x509.load_der_x509_certificate(b64decode("".join((element.text or "").split()))))
        except ValueError:
            continue
    return certificates


_REASONS = {
    "certificate_untrusted": "sertifika güvenilen bir sertifika hizmet sağlayıcısı tarafından verilmemiş.",
    "key_usage": "sertifika imza için kullanılamaz (Kullanım Amacı uygun değil).",
}


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
    return verify_signature_element(root, signature, trust_anchors, expected_owner_id, now)


def verify_signature_element(
    root: etree._Element,
    signature: etree._Element,
    trust_anchors: list[x509.Certificate],
    expected_owner_id: str | None,
    now: datetime,
    document_digest: bytes | None = None,
) -> VerificationResult:
    """The checks of verify_signed_xml on an already parsed signature. ``document_digest``: the digest of the
    whole document (minus the signature) computed elsewhere, for documents not held in memory."""
    if signature.find(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference[@URI='']") is None:
        return _fail("not_enveloped", "imza belgenin tamamını kapsamıyor.")
    certificates = embedded_certificates(signature)
    leaf = next((c for c in certificates if not certinfo.is_ca(c)), None)
    if leaf is None:
        return _fail("invalid_signature", "imzalayan sertifika imzada bulunamadı.")

    # 1. Integrity first: the signature, every reference and the signed certificate digest. The moment given is
    #    one where the certificate is valid, so that validity is judged below against the signed SigningTime.
    config = XAdESSignatureConfiguration(expect_references=True, verification_time=leaf.not_valid_before_utc)
    try:
        verifier = _WholeDocumentVerifier(root.getroottree(), signature, document_digest)
        results = verifier.verify(root, x509_cert=leaf, expect_config=config)
    except (InvalidDigest, InvalidSignature):
        return _fail("tampered", "belge imzalandıktan sonra değiştirilmiş.")
    except (InvalidInput, SignXMLException) as exc:
        log.info("signature structure rejected: %s", exc)
        return _fail("invalid_signature", "imzanın yapısı hatalı.")
    signed_properties = next(r.signed_properties for r in results if isinstance(r, XAdESVerifyResult))
    signing_time = parse_signing_time(signed_properties.findtext(f"{{{XADES_NS}}}SigningTime"))
    if signing_time is None:
        return _fail("no_signing_time", "imzada imza zamanı (SigningTime) yok.")

    # 2. Trust, judged at the signing time (XAdES-BES carries no time-stamp).
    info = certinfo.from_certificate(leaf)
    if signing_time > now + ALLOWED_CLOCK_SKEW:
        return _fail("signing_time_future", f"imza zamanı ({format_local_time(signing_time)}) ileri bir tarih.", info, signing_time)
    try:
        certinfo.check_validity(leaf, signing_time)
    except SigningError as exc:
        when = format_local_time(signing_time)
        reason = "sertifikanın süresi dolmuştu" if exc.code == "certificate_expired" else "sertifika henüz geçerli değildi"
        return _fail(exc.code, f"imza zamanında ({when}) {reason}.", info, signing_time)
    if not certinfo.can_sign(leaf):
        return _fail("key_usage", _REASONS["key_usage"], info, signing_time)
    others = [c for c in certificates if c is not leaf]
    failure = _chain_failure(leaf, others, trust_anchors, signing_time) if trust_anchors else "certificate_untrusted"
    if failure is not None:
        return _fail(failure, _REASONS[failure], info, signing_time)
    if expected_owner_id is not None:
        try:
            certinfo.check_owner(leaf, expected_owner_id)
        except SigningError as exc:
            return VerificationResult(False, exc.code, f"İmza geçersiz: {exc.message}", info, signing_time)
    message = (
        f"İmza geçerli: belge {info.owner_name} ({info.owner_id}) tarafından "
        f"{format_local_time(signing_time)} tarihinde imzalanmış."
    )
    return VerificationResult(True, "ok", message, info, signing_time)
