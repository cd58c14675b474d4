"""XAdES-BES enveloped signatures the way GİB checks them, built directly with lxml.

- inclusive C14N 1.0 (with exclusive C14N signxml 5.2 writes references that neither it nor xmlsec1 accept);
- RSA-SHA256 (ECDSA-SHA384 for EC keys, as Kamu SM's newer mali mühür);
- references: the whole document (URI="", enveloped-signature + C14N), SignedProperties, KeyInfo;
- xades:SigningTime and xades:SigningCertificate v1 with IssuerSerial (GİB's XAdES 1.3.2 rules reject the V2
  element signxml writes by default);
- an Id on ds:SignatureValue (the e-Defter berat rules require it);
- the signature goes where the document says (see placement.py).

Why not signxml's signer: it copies the document twice and rebuilds what GİB does not want (SigningCertificateV2,
KeyValue); this builder parses once and is about twice as fast (docs/decisions/0012). signxml still verifies.
"""

from __future__ import annotations

import uuid
from base64 import b64encode
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from .placement import (
    DS_NS,
    NAMESPACES,
    XADES_NS,
    c14n_without_signature,
    locate_placeholder,
    parse_document,
    safe_parser,
    ubl_signature_id,
)
from .placement import (
    c14n as _c14n,
)

__all__ = ["DS_NS", "NAMESPACES", "XADES_NS", "safe_parser", "sign_enveloped"]

C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"
DEFAULT_DESCRIPTION = "e-Belge Portalı imzalı belge"


@dataclass(frozen=True)
class _Suite:
    signature_method: str
    digest_method: str
    hash_algorithm: type[hashes.HashAlgorithm]


RSA_SHA256 = _Suite(
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256", hashes.SHA256
)
ECDSA_SHA384 = _Suite(
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#sha384", hashes.SHA384
)


class Signer(Protocol):
    """What sign_enveloped needs: a SigningAct, or anything with a private key and its certificate."""

    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    is_ec: bool


def _digest(data: bytes, suite: _Suite) -> str:
    hasher = hashes.Hash(suite.hash_algorithm())
    hasher.update(data)
    return b64encode(hasher.finalize()).decode()


@lru_cache(maxsize=64)
def _certificate_texts(cert: x509.Certificate, suite: _Suite) -> tuple[str, str, str]:
    """Base64 DER, digest and RFC 4514 issuer name of a certificate (the same for every signature of an act)."""
    der = cert.public_bytes(Encoding.DER)
    return b64encode(der).decode(), _digest(der, suite), cert.issuer.rfc4514_string()


def _add(parent: etree._Element, namespace: str, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _add_reference(signed_info: etree._Element, target: etree._Element, suite: _Suite, **attributes: str) -> None:
    reference = _add(signed_info, DS_NS, "Reference", URI=f"#{target.get('Id')}", **attributes)
    _add(reference, DS_NS, "DigestMethod", Algorithm=suite.digest_method)
    _add(reference, DS_NS, "DigestValue", _digest(_c14n(target), suite))


def _signed_properties(
    qualifying: etree._Element,
    signature_id: str,
    signer: Signer,
    suite: _Suite,
    signing_time: datetime,
    claimed_role: str | None,
    description: str,
) -> etree._Element:
    properties = _add(qualifying, XADES_NS, "SignedProperties", Id=f"{signature_id}-SignedProperties")
    signature_properties = _add(properties, XADES_NS, "SignedSignatureProperties")
    _add(signature_properties, XADES_NS, "SigningTime", signing_time.astimezone(timezone.utc).isoformat(timespec="seconds"))
    _, cert_digest, issuer_name = _certificate_texts(signer.certificate, suite)
    cert = _add(_add(signature_properties, XADES_NS, "SigningCertificate"), XADES_NS, "Cert")
    cert_digest_element = _add(cert, XADES_NS, "CertDigest")
    _add(cert_digest_element, DS_NS, "DigestMethod", Algorithm=suite.digest_method)
    _add(cert_digest_element, DS_NS, "DigestValue", cert_digest)
    issuer_serial = _add(cert, XADES_NS, "IssuerSerial")
    _add(issuer_serial, DS_NS, "X509IssuerName", issuer_name)
    _add(issuer_serial, DS_NS, "X509SerialNumber", str(signer.certificate.serial_number))
    if claimed_role:
        roles = _add(_add(signature_properties, XADES_NS, "SignerRole"), XADES_NS, "ClaimedRoles")
        _add(roles, XADES_NS, "ClaimedRole", claimed_role)
    data_object = _add(properties, XADES_NS, "SignedDataObjectProperties")
    data_format = _add(data_object, XADES_NS, "DataObjectFormat", ObjectReference=f"#{signature_id}-Reference")
    _add(data_format, XADES_NS, "Description", description)
    _add(data_format, XADES_NS, "MimeType", "text/xml")
    return properties


def _signature_value(signer: Signer, signed_info_c14n: bytes, suite: _Suite) -> str:
    if signer.is_ec:
        assert isinstance(signer.key, ec.EllipticCurvePrivateKey)
        r, s = decode_dss_signature(signer.key.sign(signed_info_c14n, ec.ECDSA(suite.hash_algorithm())))
        size = (signer.key.curve.key_size + 7) // 8  # XML-DSig wants r || s, each of the curve's size
        return b64encode(r.to_bytes(size, "big") + s.to_bytes(size, "big")).decode()
    assert isinstance(signer.key, rsa.RSAPrivateKey)
    return b64encode(signer.key.sign(signed_info_c14n, PKCS1v15(), suite.hash_algorithm())).decode()


def sign_enveloped(
    document: bytes | etree._Element,
    act: Signer,
    *,
    placeholder: str | None = None,
    signature_id: str | None = None,
    signing_time: datetime | None = None,
    claimed_role: str | None = None,
    description: str = DEFAULT_DESCRIPTION,
) -> bytes:
    """Sign the whole document (Reference URI="") with the act's key; return the signed document's bytes.

    placeholder: Id of the ds:Signature to fill (or of the element to put it in), or an XPath (prefixes in
    NAMESPACES) selecting one such element. Without it: the only empty ds:Signature, else an empty UBL-TR
    ext:ExtensionContent, else the end of the root.
    signature_id: Id of ds:Signature; default the placeholder's own Id, UBL-TR's cac:Signature reference, or new.
    Keep the returned bytes as they are: re-serialising or pretty-printing breaks the signature.
    """
    root = parse_document(document)
    tree = root.getroottree()
    signature = locate_placeholder(root, placeholder)
    chosen_id = signature_id or signature.get("Id") or ubl_signature_id(root) or f"Signature_{uuid.uuid4()}"
    for child in list(signature):
        signature.remove(child)
    signature.attrib.clear()
    signature.text = None
    signature.set("Id", chosen_id)
    suite = ECDSA_SHA384 if act.is_ec else RSA_SHA256
    document_digest = _digest(c14n_without_signature(tree, signature), suite)

    signed_info = _add(signature, DS_NS, "SignedInfo")
    _add(signed_info, DS_NS, "CanonicalizationMethod", Algorithm=C14N)
    _add(signed_info, DS_NS, "SignatureMethod", Algorithm=suite.signature_method)
    whole_document = _add(signed_info, DS_NS, "Reference", Id=f"{chosen_id}-Reference", URI="")
    transforms = _add(whole_document, DS_NS, "Transforms")
    _add(transforms, DS_NS, "Transform", Algorithm=ENVELOPED)
    _add(transforms, DS_NS, "Transform", Algorithm=C14N)
    _add(whole_document, DS_NS, "DigestMethod", Algorithm=suite.digest_method)
    _add(whole_document, DS_NS, "DigestValue", document_digest)
    signature_value = _add(signature, DS_NS, "SignatureValue", Id=f"{chosen_id}-SignatureValue")
    key_info = _add(signature, DS_NS, "KeyInfo", Id=f"{chosen_id}-KeyInfo")
    x509_data = _add(key_info, DS_NS, "X509Data")
    for cert in (act.certificate, *act.chain):
        _add(x509_data, DS_NS, "X509Certificate", _certificate_texts(cert, suite)[0])
    qualifying = etree.SubElement(
        _add(signature, DS_NS, "Object"),
        f"{{{XADES_NS}}}QualifyingProperties",
        {"Target": f"#{chosen_id}"},
        nsmap={"xades": XADES_NS},
    )
    properties = _signed_properties(
        qualifying, chosen_id, act, suite, signing_time or datetime.now(timezone.utc), claimed_role, description
    )
    _add_reference(signed_info, properties, suite, Type=SIGNED_PROPERTIES_TYPE)
    _add_reference(signed_info, key_info, suite)
    signature_value.text = _signature_value(act, _c14n(signed_info), suite)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
