"""Helpers shared by the GİB request documents: safe parsing, the signature placeholder, text fields."""

from __future__ import annotations

from lxml import etree

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
SIGNATURE_PLACEHOLDER_ID = "Signature_GIB_Talep"


class DocumentError(ValueError):
    """The document is not the one expected; `detail` is a Turkish sentence naming what is wrong."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnparsableDocument(DocumentError):
    """The bytes are not well-formed XML at all."""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False)


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML (no entities, no network); raise DocumentError when it is not XML."""
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnparsableDocument(f"XML yapısı bozuk: {exc.msg}") from exc


def signature_placeholder(parent: etree._Element) -> etree._Element:
    """Append the empty ds:Signature the signer replaces with an enveloped XAdES-BES signature."""
    placeholder = etree.SubElement(parent, f"{{{DS_NS}}}Signature", nsmap={"ds": DS_NS})
    placeholder.set("Id", SIGNATURE_PLACEHOLDER_ID)
    return placeholder


def required_text(root: etree._Element, path: str, namespaces: dict[str, str], label: str) -> str:
    """The stripped text at `path`, or DocumentError naming the missing field by its Turkish label."""
    found = root.find(path, namespaces)
    text = (found.text or "").strip() if found is not None else ""
    if not text:
        raise DocumentError(f"'{label}' alanı eksik.")
    return text


def optional_text(root: etree._Element, path: str, namespaces: dict[str, str]) -> str:
    found = root.find(path, namespaces)
    return (found.text or "").strip() if found is not None else ""
