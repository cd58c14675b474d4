"""Where an enveloped signature goes in a document, and parsing documents safely."""

from __future__ import annotations

from lxml import etree

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"

# Prefixes usable in a `placeholder` XPath.
NAMESPACES = {
    "ds": DS_NS,
    "xades": XADES_NS,
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "edefter": "http://www.edefter.gov.tr",
    "xbrli": "http://www.xbrl.org/2003/instance",
}

SIGNATURE_TAG = f"{{{DS_NS}}}Signature"


def safe_parser() -> etree.XMLParser:
    """No entities, no network, no DTD loading: documents come from users and other systems."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)


def parse_document(document: bytes | etree._Element) -> etree._Element:
    """A private copy of the document to sign (the caller's tree is never changed)."""
    data = document if isinstance(document, bytes) else etree.tostring(document)
    root = etree.fromstring(data, parser=safe_parser())
    if root.getroottree().docinfo.internalDTD is not None:
        raise ValueError("DTD içeren belgeler imzalanmaz")
    return root


def c14n(node: etree._Element | etree._ElementTree) -> bytes:
    """Inclusive C14N 1.0 without comments; for a tree, the nodes around the root element are included."""
    return etree.tostring(node, method="c14n", exclusive=False, with_comments=False)


def c14n_without_signature(tree: etree._ElementTree, signature: etree._Element) -> bytes:
    """The whole document canonicalised as the enveloped-signature transform sees it: without the signature."""
    parent = signature.getparent()
    index = parent.index(signature)
    previous = signature.getprevious()
    tail = signature.tail
    saved = previous.tail if previous is not None else parent.text
    parent.remove(signature)  # lxml takes the tail along: give it back to the text before
    if tail:
        if previous is not None:
            previous.tail = (saved or "") + tail
        else:
            parent.text = (saved or "") + tail
    try:
        return c14n(tree)
    finally:
        if previous is not None:
            previous.tail = saved
        else:
            parent.text = saved
        parent.insert(index, signature)
        signature.tail = tail


def _new_signature(parent: etree._Element) -> etree._Element:
    return etree.SubElement(parent, SIGNATURE_TAG, nsmap={"ds": DS_NS})


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


def locate_placeholder(root: etree._Element, placeholder: str | None) -> etree._Element:
    """The ds:Signature element to fill (created inside the right parent when the document has none).

    placeholder: Id of a ds:Signature (or of the element to put it in), or an XPath selecting one. Without it:
    the only empty ds:Signature, else an empty UBL-TR ext:ExtensionContent, else the end of the root.
    """
    if placeholder is not None:
        target = _find_one(root, placeholder)
        return target if target.tag == SIGNATURE_TAG else _new_signature(target)
    empty_signatures = [s for s in root.iter(SIGNATURE_TAG) if len(s) == 0]
    if len(empty_signatures) == 1:
        return empty_signatures[0]
    if len(empty_signatures) > 1:
        raise ValueError("Belgede birden fazla boş ds:Signature yer tutucusu var")
    for content in root.xpath("ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent", namespaces=NAMESPACES):
        if len(content) == 0:
            return _new_signature(content)
    return _new_signature(root)


def ubl_signature_id(root: etree._Element) -> str | None:
    """UBL-TR's cac:Signature points at the ds:Signature by '#Id'; keep that Id."""
    uris = root.xpath(
        "cac:Signature/cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI/text()", namespaces=NAMESPACES
    )
    for uri in uris:
        if uri.startswith("#") and len(uri) > 1:
            return uri[1:]
    return None
