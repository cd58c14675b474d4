"""The one hardened way to parse XML that comes from outside (uploads, other parties' files).

Rules: no DOCTYPE at all (so no entity declarations, no entity bombs, no external entities / XXE),
no DTD loading, no network, no automatic decompression, libxml2's size/depth safety limits on, and
a byte bound checked before parsing. Every refusal is an ``XmlInputError`` whose ``.message`` is a
Turkish sentence that can be shown to the user as it is.

Streaming readers (``lxml.etree.iterparse``) use ``SAFE_PARSER_OPTIONS`` and call
``ensure_no_doctype`` on the tree after the first event, so they follow the same rules.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Final

from lxml import etree

from app.refusals import Refused

# Options accepted by both etree.XMLParser and etree.iterparse.
SAFE_PARSER_OPTIONS: Final[dict[str, Any]] = {
    "resolve_entities": False,  # keep entity references as they are: nothing is expanded or fetched
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "no_network": True,
    "huge_tree": False,  # keeps libxml2's limits on depth, text length and entity amplification
    "recover": False,
}
# etree.XMLParser only: libxml2 would otherwise inflate gzip input transparently (a zip-bomb route).
XML_PARSER_ONLY_OPTIONS: Final[dict[str, Any]] = {"decompress": False}


class XmlInputError(Refused, ValueError):
    """Base of every refused input in app.formats; ``message`` is the Turkish text for the user."""


class UnsafeXmlError(XmlInputError):
    """The document uses a feature we never accept (DOCTYPE, entities, external references)."""


class XmlTooLargeError(UnsafeXmlError):
    """The document is larger than the caller's bound."""


class XmlFormatError(XmlInputError):
    """The data is empty, not XML, or broken (for example a truncated file)."""


class _RefuseExternal(etree.Resolver):
    """Belt and braces: should libxml2 ever try to load a URL or file, refuse it."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
        raise UnsafeXmlError(_EXTERNAL_MESSAGE)


_DOCTYPE_MESSAGE = (
    "XML dosyası DOCTYPE/ENTITY tanımı içeriyor. Güvenlik nedeniyle DTD ve varlık (entity) tanımı "
    "içeren dosyalar kabul edilmez."
)
_EXTERNAL_MESSAGE = "XML dosyası dış kaynağa (dosya veya ağ adresi) başvuruyor; bu tür dosyalar kabul edilmez."


def make_parser() -> etree.XMLParser:
    """A new parser with the safe options (parsers are cheap; do not share one across threads)."""
    parser = etree.XMLParser(**SAFE_PARSER_OPTIONS, **XML_PARSER_ONLY_OPTIONS)
    parser.resolvers.add(_RefuseExternal())
    return parser


_PARSERS = threading.local()


def _thread_parser() -> etree.XMLParser:
    """This thread's safe parser, made once: lxml parsers may be reused for one document after another but not
    shared between threads (lxml's own default parser is per thread, too). Reuse saves making one per document,
    which an import of 100,000 documents would otherwise do (decision note 0095)."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = make_parser()
    return parser


def ensure_no_doctype(tree: etree._ElementTree) -> None:
    """Raise UnsafeXmlError when the parsed document carried a DOCTYPE (internal or external)."""
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXmlError(_DOCTYPE_MESSAGE)


def parse_untrusted(data: bytes, *, max_bytes: int) -> etree._Element:
    """Parse ``data`` held in memory and return the root element, or raise an XmlInputError."""
    if not isinstance(data, bytes):
        raise TypeError("parse_untrusted expects bytes")
    if len(data) > max_bytes:
        raise XmlTooLargeError(
            f"XML dosyası çok büyük ({format_size(len(data))}); en fazla {format_size(max_bytes)} olabilir."
        )
    if not data.strip():
        raise XmlFormatError("Dosya boş.")
    if _DECLARATION_IN_PROLOG.search(_prolog(data)):
        # Refused before libxml2 sees the declarations; ensure_no_doctype below covers other encodings.
        raise UnsafeXmlError(_DOCTYPE_MESSAGE)
    try:
        root = etree.fromstring(data, _thread_parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    ensure_no_doctype(root.getroottree())
    return root


_ROOT_START = re.compile(rb"<[A-Za-z_:]")
_DECLARATION_IN_PROLOG = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _prolog(data: bytes) -> bytes:
    """The bytes before the root element's start tag (where a DOCTYPE would have to be)."""
    match = _ROOT_START.search(data)
    return data[: match.start()] if match else data


def _syntax_error(exc: etree.XMLSyntaxError) -> XmlInputError:
    if "entity" in str(exc.msg or "").lower():
        # An entity reference (&xxe;) that no declaration allows: refused like a DOCTYPE.
        return UnsafeXmlError(_DOCTYPE_MESSAGE)
    where = f" (satır {exc.lineno})" if exc.lineno else ""
    return XmlFormatError(f"Dosya geçerli bir XML belgesi değil ya da eksik/bozuk{where}.")


def format_size(size: int) -> str:
    """Bytes as a short Turkish size, e.g. 10 MB, 512 KB, 12 bayt."""
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "MB"
    elif size >= 1024:
        value, unit = size / 1024, "KB"
    else:
        return f"{size} bayt"
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} {unit}"
