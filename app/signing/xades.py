"""XAdES-BES enveloped signatures the way GİB checks them.

- inclusive C14N 1.0 (with exclusive C14N signxml 5.2 writes references that neither it nor xmlsec1 accept);
- RSA-SHA256 (ECDSA-SHA384 for EC keys, as Kamu SM's newer mali mühür);
- xades:SigningTime and xades:SigningCertificate v1 with IssuerSerial (GİB's XAdES 1.3.2 rules reject the V2
  element signxml writes by default);
- an Id on ds:SignatureValue (the e-Defter berat rules require it);
- the signature goes where the document says: UBL-TR's ext:ExtensionContent, a ds:Signature placeholder, or a
  given element; the root's last child only when the document has no place for it.
"""

from __future__ import annotations

import uuid
from base64 import b64encode
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureConstructionMethod, SignatureMethod
from signxml.util import SigningSettings
from signxml.xades import XAdESDataObjectFormat, XAdESSigner

if TYPE_CHECKING:
    from .act import SigningAct

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"
UBL_EXT_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
UBL_CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
UBL_CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

# Prefixes usable in a `placeholder` XPath.
NAMESPACES = {
    "ds": DS_NS,
    "xades": XADES_NS,
    "ext": UBL_EXT_NS,
    "cac": UBL_CAC_NS,
    "cbc": UBL_CBC_NS,
    "edefter": "http://www.edefter.gov.tr",
    "xbrli": "http://www.xbrl.org/2003/instance",
}

INCLUSIVE_C14N = CanonicalizationMethod.CANONICAL_XML_1_0
_SIGNXML_PLACEHOLDER_ID = "placeholder"  # how signxml recognises the ds:Signature to fill


def safe_parser() -> etree.XMLParser:
    """No entities, no network, no DTD loading: documents come from users and other systems."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)


class GibXAdESSigner(XAdESSigner):
    """signxml's XAdES signer with GİB's choices (see module docstring)."""

    def __init__(
        self,
        *,
        signature_id: str,
        signing_time: datetime,
        use_ecdsa: bool,
        claimed_role: str | None = None,
        description: str = "e-Belge Portalı imzalı belge",
    ) -> None:
        super().__init__(
            method=SignatureConstructionMethod.enveloped,
            signature_algorithm=SignatureMethod.ECDSA_SHA384 if use_ecdsa else SignatureMethod.RSA_SHA256,
            digest_algorithm=DigestAlgorithm.SHA384 if use_ecdsa else DigestAlgorithm.SHA256,
            c14n_algorithm=INCLUSIVE_C14N,
            claimed_roles=[claimed_role] if claimed_role else None,
            data_object_format=XAdESDataObjectFormat(Description=description, MimeType="text/xml"),
        )
        self._signature_id = signature_id
        self._signing_time = signing_time
        # Runs before signxml builds KeyInfo and the XAdES object, which would otherwise invent their own Ids.
        self.signature_annotators.insert(0, self._name_signature)

    def _name_signature(self, sig_root: etree._Element, signing_settings: SigningSettings) -> None:
        sig_root.set("Id", self._signature_id)
        signature_value = sig_root.find(f"{{{DS_NS}}}SignatureValue")
        if signature_value is not None:
            signature_value.set("Id", f"{self._signature_id}-SignatureValue")

    def add_signing_time(self, signed_signature_properties: etree._Element, sig_root: Any, signing_settings: Any) -> None:
        element = etree.SubElement(signed_signature_properties, f"{{{XADES_NS}}}SigningTime", nsmap=self.namespaces)
        element.text = self._signing_time.astimezone(timezone.utc).isoformat(timespec="seconds")

    def add_signing_certificate(
        self, signed_signature_properties: etree._Element, sig_root: Any, signing_settings: SigningSettings
    ) -> None:
        """xades:SigningCertificate (v1): CertDigest + IssuerSerial of the signing certificate."""
        assert signing_settings.cert_chain is not None
        cert = signing_settings.cert_chain[0]
        assert isinstance(cert, x509.Certificate)
        ns = self.namespaces
        signing_certificate = etree.SubElement(signed_signature_properties, f"{{{XADES_NS}}}SigningCertificate", nsmap=ns)
        cert_node = etree.SubElement(signing_certificate, f"{{{XADES_NS}}}Cert", nsmap=ns)
        cert_digest = etree.SubElement(cert_node, f"{{{XADES_NS}}}CertDigest", nsmap=ns)
        etree.SubElement(cert_digest, f"{{{DS_NS}}}DigestMethod", nsmap=ns, Algorithm=self.digest_alg.value)
        digest_value = etree.SubElement(cert_digest, f"{{{DS_NS}}}DigestValue", nsmap=ns)
        digest_value.text = b64encode(self._get_digest(cert.public_bytes(Encoding.DER), self.digest_alg)).decode()
        issuer_serial = etree.SubElement(cert_node, f"{{{XADES_NS}}}IssuerSerial", nsmap=ns)
        issuer_name = etree.SubElement(issuer_serial, f"{{{DS_NS}}}X509IssuerName", nsmap=ns)
        issuer_name.text = cert.issuer.rfc4514_string()
        serial_number = etree.SubElement(issuer_serial, f"{{{DS_NS}}}X509SerialNumber", nsmap=ns)
        serial_number.text = str(cert.serial_number)


def _parse(document: bytes | etree._Element) -> etree._Element:
    """A private copy of the document to sign (the caller's tree is never changed)."""
    data = document if isinstance(document, bytes) else etree.tostring(document)
    root = etree.fromstring(data, parser=safe_parser())
    if root.getroottree().docinfo.internalDTD is not None:
        raise ValueError("DTD içeren belgeler imzalanmaz")
    return root


def _new_signature(parent: etree._Element) -> etree._Element:
    return etree.SubElement(parent, f"{{{DS_NS}}}Signature", nsmap={"ds": DS_NS})


def _locate_placeholder(root: etree._Element, placeholder: str | None) -> etree._Element:
    """The ds:Signature element to fill (created inside the right parent when the document has none)."""
    if placeholder is not None:
        target = _find_one(root, placeholder)
        return target if target.tag == f"{{{DS_NS}}}Signature" else _new_signature(target)
    empty_signatures = [s for s in root.iter(f"{{{DS_NS}}}Signature") if len(s) == 0]
    if len(empty_signatures) == 1:
        return empty_signatures[0]
    if len(empty_signatures) > 1:
        raise ValueError("Belgede birden fazla boş ds:Signature yer tutucusu var")
    extension_contents = root.xpath("ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent", namespaces=NAMESPACES)
    for content in extension_contents:
        if len(content) == 0:
            return _new_signature(content)
    return _new_signature(root)


def _find_one(root: etree._Element, placeholder: str) -> etree._Element:
    """The element whose Id is `placeholder`, or else the one element the XPath `placeholder` selects."""
    found = root.xpath("//*[@Id=$value]", value=placeholder)
    if not found:
        try:
            found = root.xpath(placeholder, namespaces=NAMESPACES)
        except etree.XPathError:
            found = []
    if not isinstance(found, list) or len(found) != 1 or not isinstance(found[0], etree._Element):
        raise ValueError(f"İmza yeri belgede tek bir öğe olarak bulunamadı: {placeholder}")
    return found[0]


def _ubl_signature_id(root: etree._Element) -> str | None:
    """UBL-TR's cac:Signature points at the ds:Signature by '#Id'; keep that Id."""
    uris = root.xpath(
        "cac:Signature/cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI/text()", namespaces=NAMESPACES
    )
    for uri in uris:
        if uri.startswith("#") and len(uri) > 1:
            return uri[1:]
    return None


def sign_enveloped(
    document: bytes | etree._Element,
    act: SigningAct,
    *,
    placeholder: str | None = None,
    signature_id: str | None = None,
    signing_time: datetime | None = None,
    claimed_role: str | None = None,
    description: str = "e-Belge Portalı imzalı belge",
) -> bytes:
    """Sign the whole document (Reference URI="") with the act's token key; return the signed document's bytes.

    placeholder: Id of the ds:Signature to fill (or of the element to put it in), or an XPath (prefixes in
    NAMESPACES) selecting one such element.
    Without it: the only empty ds:Signature, else an empty UBL-TR ext:ExtensionContent, else the root's end.
    signature_id: Id of ds:Signature; default the placeholder's own Id, UBL-TR's cac:Signature reference, or new.
    Keep the returned bytes as they are: re-serialising or pretty-printing breaks the signature.
    """
    root = _parse(document)
    target = _locate_placeholder(root, placeholder)
    existing_id = target.get("Id")
    chosen_id = signature_id or (existing_id if existing_id != _SIGNXML_PLACEHOLDER_ID else None)
    chosen_id = chosen_id or _ubl_signature_id(root) or f"Signature_{uuid.uuid4()}"
    for child in list(target):
        target.remove(child)
    target.attrib.clear()
    target.set("Id", _SIGNXML_PLACEHOLDER_ID)
    signer = GibXAdESSigner(
        signature_id=chosen_id,
        signing_time=signing_time or datetime.now(timezone.utc),
        use_ecdsa=act.is_ec,
        claimed_role=claimed_role,
        description=description,
    )
    signed_root = signer.sign(root, key=act.key, cert=[act.certificate, *act.chain])
    return etree.tostring(signed_root, xml_declaration=True, encoding="UTF-8")
