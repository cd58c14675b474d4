"""Verifying many documents' XAdES-BES signatures quickly: one parse, caches per certificate (decision note 0094).

``SignatureChecker.verify(root, data, …)`` gives the same answer as ``app.signing.verify.verify_signed_xml`` and
checks the same things — every reference's digest (the whole document minus the signature, SignedProperties,
KeyInfo), the SignatureValue over SignedInfo with the signing certificate's key, SigningCertificate's digest and
serial, SigningTime not in the future and inside the certificate's validity, key usage, the chain to a trust anchor
at the signing time, the owner — but on the tree the caller already parsed, with lxml C14N, hashlib and
``cryptography`` directly instead of signxml (which re-parses the signature a dozen times).

It only ever *accepts*: a signature whose shape is not exactly the enveloped XAdES-BES the portal makes and GİB
uses (one ds:Signature, inclusive C14N 1.0, 2–3 references, ids that name one element each, …), and every
signature that fails any check, goes to the general verifier, whose verdict and Turkish message are the answer.
So the fast path can never refuse what the general verifier accepts, and its reasons are always the general ones.

The chain is built once per certificate set (by DER hash) and job: a verified chain holds for any signing time
inside all its certificates' validity (the other checks of the chain do not depend on the time).
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b64decode
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError
from lxml import etree

from . import certinfo
from .certinfo import CertificateInfo
from .errors import format_local_time
from .placement import DS_NS, XADES_NS, c14n_without_signature
from .verify import _CA_POLICY, _EE_POLICY, _WHOLE_DOCUMENT_TRANSFORMS, ALLOWED_CLOCK_SKEW, VerificationResult, \
    parse_signing_time, verify_signed_xml

C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"
XML_NS_PREFIX = "{http://www.w3.org/XML/1998/namespace}"
# SHA-1 is left to the general verifier (signxml refuses it by default; so does its answer then).
_DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
_SIGNATURE_METHODS = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": ("rsa", hashes.SHA256),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", hashes.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", hashes.SHA512),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": ("ec", hashes.SHA256),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ec", hashes.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ec", hashes.SHA512),
}
_SIGNATURE = f"{{{DS_NS}}}Signature"
_SIGNED_INFO = f"{{{DS_NS}}}SignedInfo"
_C14N_METHOD = f"{{{DS_NS}}}CanonicalizationMethod"
_SIGNATURE_METHOD = f"{{{DS_NS}}}SignatureMethod"
_REFERENCE = f"{{{DS_NS}}}Reference"
_TRANSFORMS = f"{{{DS_NS}}}Transforms"
_TRANSFORM = f"{{{DS_NS}}}Transform"
_DIGEST_METHOD = f"{{{DS_NS}}}DigestMethod"
_DIGEST_VALUE = f"{{{DS_NS}}}DigestValue"
_SIGNATURE_VALUE = f"{{{DS_NS}}}SignatureValue"
_KEY_INFO = f"{{{DS_NS}}}KeyInfo"
_X509_DATA = f"{{{DS_NS}}}X509Data"
_X509_CERTIFICATE = f"{{{DS_NS}}}X509Certificate"
_OBJECT = f"{{{DS_NS}}}Object"
_QUALIFYING = f"{{{XADES_NS}}}QualifyingProperties"
_SIGNED_PROPERTIES = f"{{{XADES_NS}}}SignedProperties"
_SIGNED_SIGNATURE_PROPERTIES = f"{{{XADES_NS}}}SignedSignatureProperties"
_SIGNED_DATA_OBJECT_PROPERTIES = f"{{{XADES_NS}}}SignedDataObjectProperties"
_SIGNING_TIME = f"{{{XADES_NS}}}SigningTime"
_SIGNING_CERTIFICATE = f"{{{XADES_NS}}}SigningCertificate"
_SIGNER_ROLE = f"{{{XADES_NS}}}SignerRole"
_CERT = f"{{{XADES_NS}}}Cert"
_CERT_DIGEST = f"{{{XADES_NS}}}CertDigest"
_ISSUER_SERIAL = f"{{{XADES_NS}}}IssuerSerial"
_SERIAL_NUMBER = f"{{{DS_NS}}}X509SerialNumber"
# The id attributes (any namespace) whose value is $a or $b: the referenced ids are known before the walk, so the
# tree is walked once in C and only those values come back to Python (decision note 0095).
_IDS = etree.XPath("//@*[(.=$a or .=$b) and (local-name()='Id' or local-name()='ID' or local-name()='id')]",
                   smart_strings=False)
_CACHE_LIMIT = 1000


class _Defer(Exception):
    """Not provably valid by the fast path: the general verifier decides."""


@dataclass(frozen=True)
class _Certificate:
    cert: x509.Certificate
    der_sha256: bytes
    is_ca: bool
    can_sign: bool
    info: CertificateInfo
    digests: dict[str, bytes]
    owner_id: str | None  # certinfo.owner_id_of, read once
    valid_from: datetime
    valid_until: datetime


@dataclass(frozen=True)
class _Shape:
    signed_info: etree._Element
    method: tuple[str, type[hashes.HashAlgorithm]]
    whole: tuple[str, bytes]  # digest algorithm, expected digest
    parts: list[tuple[etree._Element, str, bytes]]  # referenced element, algorithm, expected digest
    signature_value: bytes
    certificates: list[str]  # base64 texts
    signed_properties: etree._Element


class SignatureChecker:
    """Verifies the signatures of one job's documents against one set of trust anchors."""

    def __init__(self, anchors: list[x509.Certificate], now: datetime | None = None) -> None:
        self.anchors = anchors
        self.now = now
        self._certificates: dict[str, _Certificate] = {}
        self._chains: dict[tuple[bytes, ...], tuple[datetime, datetime]] = {}
        self.fast = self.general = 0  # how many documents took which path (for the benchmark and tests)

    def verify(self, root: etree._Element, data: bytes, expected_owner_id: str | None,
               signatures: list[etree._Element] | None = None) -> VerificationResult:
        """The verdict on ``data`` (``root``: its safely parsed tree, left as it was; ``signatures``: its
        ds:Signature elements in document order, when the caller has found them already)."""
        now = self.now or datetime.now(timezone.utc)
        try:
            result = self._fast(root, expected_owner_id, now, signatures)
        except _Defer:
            result = None
        except Exception:  # noqa: BLE001 - anything unexpected is the general verifier's to judge
            result = None
        if result is not None:
            self.fast += 1
            return result
        self.general += 1
        return verify_signed_xml(data, self.anchors, expected_owner_id=expected_owner_id, now=now)

    # --- the fast path -------------------------------------------------------------------------------------------

    def _fast(self, root: etree._Element, expected_owner_id: str | None, now: datetime,
              signatures: list[etree._Element] | None) -> VerificationResult:
        if signatures is None:
            signatures = list(root.iter(_SIGNATURE))
        if len(signatures) != 1:
            raise _Defer
        signature = signatures[0]
        shape = _shape(root, signature)
        certificates = [self._certificate(text) for text in shape.certificates]
        leaf = next((c for c in certificates if not c.is_ca), None)
        if leaf is None:
            raise _Defer
        # 1. Integrity: every reference, the SignatureValue, the signed certificate digest.
        algorithm, expected = shape.whole
        _same(hashlib.new(algorithm, c14n_without_signature(root.getroottree(), signature)).digest(), expected)
        for element, algorithm, expected in shape.parts:
            _same(hashlib.new(algorithm, _c14n(element)).digest(), expected)
        _check_signature_value(leaf.cert, shape.method, _c14n(shape.signed_info), shape.signature_value)
        _check_signing_certificate(shape.signed_properties, leaf)
        signing_time = parse_signing_time(shape.signed_properties.findtext(f"{_SIGNED_SIGNATURE_PROPERTIES}/{_SIGNING_TIME}"))
        if signing_time is None:
            raise _Defer
        # 2. Trust at the signing time.
        if signing_time > now + ALLOWED_CLOCK_SKEW or not leaf.can_sign:
            raise _Defer
        # certinfo.check_validity and check_owner, on what was read from the certificate once per job.
        if not leaf.valid_from <= signing_time <= leaf.valid_until:
            raise _Defer
        if expected_owner_id is not None and leaf.owner_id != expected_owner_id:
            raise _Defer
        self._check_chain(leaf, [c for c in certificates if c is not leaf], signing_time)
        info = leaf.info
        return VerificationResult(True, "ok", f"İmza geçerli: belge {info.owner_name} ({info.owner_id}) tarafından "
                                              f"{format_local_time(signing_time)} tarihinde imzalanmış.", info, signing_time)

    def _certificate(self, text: str) -> _Certificate:
        found = self._certificates.get(text)
        if found is None:
            cert = x509.load_der_x509_certificate(b64decode("".join(text.split()), validate=True))
            der = cert.public_bytes(Encoding.DER)
            found = _Certificate(cert, hashlib.sha256(der).digest(), certinfo.is_ca(cert), certinfo.can_sign(cert),
                                 certinfo.from_certificate(cert), {name: hashlib.new(name, der).digest()
                                                                   for name in _DIGESTS.values()},
                                 certinfo.owner_id_of(cert), cert.not_valid_before_utc, cert.not_valid_after_utc)
            if len(self._certificates) >= _CACHE_LIMIT:
                self._certificates.clear()
            self._certificates[text] = found
        return found

    def _check_chain(self, leaf: _Certificate, others: list[_Certificate], at: datetime) -> None:
        key = (leaf.der_sha256, *(c.der_sha256 for c in others))
        window = self._chains.get(key)
        if window is None:
            if not self.anchors:
                raise _Defer
            builder = PolicyBuilder().store(Store(self.anchors)).time(at).extension_policies(
                ee_policy=_EE_POLICY, ca_policy=_CA_POLICY)
            try:
                chain = builder.build_client_verifier().verify(leaf.cert, [c.cert for c in others]).chain
            except VerificationError:
                raise _Defer from None
            # The chain found holds at any moment inside every one of its certificates' validity.
            window = (max(c.not_valid_before_utc for c in chain), min(c.not_valid_after_utc for c in chain))
            if len(self._chains) >= _CACHE_LIMIT:
                self._chains.clear()
            self._chains[key] = window
        if not window[0] <= at <= window[1]:
            raise _Defer


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=False, with_comments=False)


def _same(actual: bytes, expected: bytes) -> None:
    if not hmac.compare_digest(actual, expected):
        raise _Defer


def _children(element: etree._Element) -> list[etree._Element]:
    """Child nodes (comments and processing instructions are refused once for the whole signature in _shape;
    their tags would not match the expected ones anyway)."""
    return list(element)


def _expect(element: etree._Element, *tags: str) -> list[etree._Element]:
    children = _children(element)
    if [child.tag for child in children] != list(tags):
        raise _Defer
    return children


def _b64(text: str | None) -> bytes:
    return b64decode("".join((text or "").split()), validate=True)


def _digest_of(reference: etree._Element, first: int) -> tuple[str, bytes]:
    children = _children(reference)
    if [c.tag for c in children[first:]] != [_DIGEST_METHOD, _DIGEST_VALUE] or len(children[first]):
        raise _Defer
    algorithm = _DIGESTS.get(children[first].get("Algorithm", ""))
    if algorithm is None:
        raise _Defer
    return algorithm, _b64(children[first + 1].text)


def _shape(root: etree._Element, signature: etree._Element) -> _Shape:
    """The parts of an enveloped XAdES-BES signature of the expected shape, else _Defer."""
    # A comment splits a text in lxml's tree but not in the canonical form that was signed: leave those to signxml.
    if next(signature.iter(etree.Comment, etree.ProcessingInstruction), None) is not None:
        raise _Defer
    signed_info, signature_value, key_info, obj = _expect(signature, _SIGNED_INFO, _SIGNATURE_VALUE, _KEY_INFO, _OBJECT)
    info_children = _children(signed_info)
    if len(info_children) not in (4, 5) or [c.tag for c in info_children[:2]] != [_C14N_METHOD, _SIGNATURE_METHOD] \
            or any(c.tag != _REFERENCE for c in info_children[2:]):
        raise _Defer
    c14n_method, signature_method, *references = info_children
    if c14n_method.get("Algorithm") != C14N_10 or len(c14n_method) or len(signature_method):
        raise _Defer
    method = _SIGNATURE_METHODS.get(signature_method.get("Algorithm", ""))
    if method is None:
        raise _Defer
    (x509_data,) = _expect(key_info, _X509_DATA)
    certificates = _children(x509_data)
    if not certificates or any(c.tag != _X509_CERTIFICATE for c in certificates):
        raise _Defer
    (qualifying,) = _expect(obj, _QUALIFYING)
    (signed_properties,) = _expect(qualifying, _SIGNED_PROPERTIES)
    if qualifying.get("Target") != f"#{signature.get('Id')}":
        raise _Defer
    _signed_properties_shape(signed_properties)
    # Inclusive C14N of a subtree would also take xml:* attributes of its ancestors: leave those to signxml.
    for element in (signature, *signature.iterancestors(), obj, qualifying):
        if any(name.startswith(XML_NS_PREFIX) for name in element.attrib):
            raise _Defer

    whole, parts, seen = None, [], set()
    ids = _ids(root, signed_properties.get("Id"), key_info.get("Id"))
    for reference in references:
        uri = reference.get("URI")
        if uri == "":
            transforms = _children(reference)[0] if len(reference) else None
            if whole is not None or transforms is None or transforms.tag != _TRANSFORMS:
                raise _Defer
            algorithms = [t.get("Algorithm") for t in _children(transforms)]
            if any(t.tag != _TRANSFORM or len(t) for t in transforms) or algorithms not in _WHOLE_DOCUMENT_TRANSFORMS:
                raise _Defer
            whole = _digest_of(reference, 1)
            continue
        if not uri or not uri.startswith("#"):
            raise _Defer
        target = signed_properties if uri[1:] == signed_properties.get("Id") else \
            key_info if uri[1:] == key_info.get("Id") else None
        # The id must name that element and no other anywhere in the document (no wrapping).
        if target is None or target in seen or ids.count(uri[1:]) != 1:
            raise _Defer
        is_properties = target is signed_properties
        if (reference.get("Type") == SIGNED_PROPERTIES_TYPE) != is_properties:
            raise _Defer
        seen.add(target)
        parts.append((target, *_digest_of(reference, 0)))
    if whole is None or signed_properties not in seen:
        raise _Defer
    return _Shape(signed_info, method, whole, parts, _b64(signature_value.text), [c.text or "" for c in certificates],
                  signed_properties)


def _ids(root: etree._Element, *wanted: str | None) -> list[str]:
    """Every id attribute value in the document equal to one of ``wanted`` (the only ones a reference may name)."""
    values = [value for value in wanted if value is not None]
    if not values:
        return []
    return [str(value) for value in _IDS(root, a=values[0], b=values[-1])]


def _signed_properties_shape(signed_properties: etree._Element) -> None:
    children = _children(signed_properties)
    if not children or children[0].tag != _SIGNED_SIGNATURE_PROPERTIES \
            or any(c.tag != _SIGNED_DATA_OBJECT_PROPERTIES for c in children[1:]) or len(children) > 2:
        raise _Defer
    tags = [c.tag for c in _children(children[0])]
    if tags not in ([_SIGNING_TIME, _SIGNING_CERTIFICATE], [_SIGNING_TIME, _SIGNING_CERTIFICATE, _SIGNER_ROLE]):
        raise _Defer
    (cert,) = _expect(children[0][1], _CERT)
    _expect(cert, _CERT_DIGEST, _ISSUER_SERIAL)


def _check_signing_certificate(signed_properties: etree._Element, leaf: _Certificate) -> None:
    cert = signed_properties[0][1][0]
    method, value = _expect(cert[0], _DIGEST_METHOD, _DIGEST_VALUE)
    algorithm = _DIGESTS.get(method.get("Algorithm", ""))
    if algorithm is None:
        raise _Defer
    _same(leaf.digests[algorithm], _b64(value.text))
    if (cert[1].findtext(_SERIAL_NUMBER) or "").strip() != str(leaf.cert.serial_number):
        raise _Defer


def _check_signature_value(cert: x509.Certificate, method: tuple[str, type[hashes.HashAlgorithm]], payload: bytes,
                           value: bytes) -> None:
    key = cert.public_key()
    try:
        if method[0] == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(value, payload, padding.PKCS1v15(), method[1]())
        elif method[0] == "ec" and isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            if len(value) != 2 * size:
                raise _Defer
            der = encode_dss_signature(int.from_bytes(value[:size], "big"), int.from_bytes(value[size:], "big"))
            key.verify(der, payload, ec.ECDSA(method[1]()))
        else:
            raise _Defer
    except InvalidSignature:
        raise _Defer from None
