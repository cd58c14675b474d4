"""Verifying an enveloped XAdES signature over a document of any size, in bounded memory (decision note 0112).

The whole-document reference (``URI=""``, enveloped-signature + inclusive C14N 1.0) is the only part that needs
the whole document; it is computed here in one streaming pass, and everything else (SignedInfo's signature,
the SignedProperties and KeyInfo references, chain, signing time, owner) is checked by ``verify.py`` on the
small ds:Signature element. Two ways to the digest:

- fast path: a file written by a canonical writer (ours) is, after its XML declaration and without the
  ds:Signature just before the root's end tag, its own canonical form; hashing those bytes at disk speed and
  finding the signed digest proves it (a SHA-256 collision aside, those are the bytes that were signed);
- otherwise a streaming C14N 1.0 over lxml's iterparse events (namespace declarations rendered where they change,
  attributes sorted, C14N escaping, PIs, no comments), which decides.

Never raises for bad input: the answer is a ``VerificationResult`` with a Turkish message.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import BinaryIO

from cryptography import x509
from lxml import etree

from app.formats.safe_xml import SAFE_PARSER_OPTIONS

from .placement import DS_NS, safe_parser
from .verify import VerificationResult, _fail, verify_signature_element

log = logging.getLogger(__name__)

_SIGNATURE = f"{{{DS_NS}}}Signature"
_C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_ACCEPTED_TRANSFORMS = ([_ENVELOPED], [_ENVELOPED, _C14N_10])
_HASHES = {
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
TAIL_BYTES = 1024 * 1024  # the ds:Signature must lie within the file's last MiB (a signature is a few KB)
HEAD_BYTES = 64 * 1024
CHUNK = 1024 * 1024

_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>\s*")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", "\t": "&#x9;", "\n": "&#xA;", "\r": "&#xD;"})


class _Unsupported(Exception):
    """The signature is not one this verifier checks (not enveloped over the whole document, unknown digest)."""


def _whole_document_reference(signature: etree._Element) -> tuple[str, bytes]:
    """The hash name and the signed digest of the URI="" reference; refuse other transforms."""
    from base64 import b64decode

    reference = signature.find(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference[@URI='']")
    if reference is None:
        raise _Unsupported("not_enveloped")
    transforms = [t.get("Algorithm") for t in reference.iterfind(f"{{{DS_NS}}}Transforms/{{{DS_NS}}}Transform")]
    if transforms not in _ACCEPTED_TRANSFORMS:
        raise _Unsupported("transforms")
    method = reference.find(f"{{{DS_NS}}}DigestMethod")
    name = _HASHES.get(method.get("Algorithm", "") if method is not None else "")
    if name is None:
        raise _Unsupported("digest")
    return name, b64decode(reference.findtext(f"{{{DS_NS}}}DigestValue") or "")


# --- fast path: a canonical file ----------------------------------------------------------------------------


def _fast_path(stream: BinaryIO, size: int) -> tuple[etree._Element, etree._Element, Callable[[str], bytes]] | None:
    """(root, ds:Signature, digest-of-the-rest) when the file has the canonical writer's shape, else None."""
    head = stream.read(min(size, HEAD_BYTES))
    declaration = _DECLARATION.match(head)
    # The declaration is not hashed: one naming another encoding would make a parser read other text than
    # the bytes that were signed. Only UTF-8 (named or not) takes the byte-for-byte path.
    if declaration and re.search(rb"encoding\s*=\s*[\"'](?!utf-8[\"'])", declaration.group(0), re.IGNORECASE):
        return None
    start = declaration.end() if declaration else 0
    if head[start:start + 1] != b"<" or head[start + 1:start + 2] in (b"!", b"?"):
        return None
    root_tag_end = head.find(b">", start)
    if root_tag_end < 0:
        return None
    root_start = head[start:root_tag_end + 1]
    name = re.match(rb"<([^\s>/]+)", root_start)
    if name is None:
        return None
    root_end = b"</" + name.group(1) + b">"
    tail_offset = max(root_tag_end + 1, size - TAIL_BYTES)
    stream.seek(tail_offset)
    tail = stream.read(size - tail_offset)
    stripped = tail.rstrip(b" \t\r\n")
    if not stripped.endswith(root_end):
        return None
    content_end = tail_offset + len(stripped) - len(root_end)
    try:
        root = etree.fromstring(root_start + root_end, parser=safe_parser())
    except etree.XMLSyntaxError:
        return None
    prefixes = [p for p, uri in root.nsmap.items() if uri == DS_NS and p]
    if not prefixes:
        return None
    found = max(stripped.rfind(b"<" + p.encode() + b":Signature" + end) for p in prefixes for end in (b" ", b">"))
    if found < 0:
        return None
    signature_bytes = stripped[found:len(stripped) - len(root_end)]
    try:
        root = etree.fromstring(root_start + signature_bytes + root_end, parser=safe_parser())
    except etree.XMLSyntaxError:
        return None
    if len(root) != 1 or root[0].tag != _SIGNATURE or root.text or root[0].tail:
        return None
    signature_offset = tail_offset + found

    def digest(hash_name: str) -> bytes:
        hasher = hashlib.new(hash_name)
        stream.seek(start)
        remaining = signature_offset - start
        while remaining > 0:
            chunk = stream.read(min(CHUNK, remaining))
            if not chunk:
                raise OSError("file shrank while read")
            hasher.update(chunk)
            remaining -= len(chunk)
        hasher.update(root_end)  # nothing but the signature lies between the content and the root's end tag
        return hasher.digest()

    if content_end != signature_offset + len(signature_bytes):
        return None
    return root, root[0], digest


# --- general path: streaming inclusive C14N 1.0 ----------------------------------------------------------------


class _Canonicaliser:
    """Inclusive C14N 1.0 (without comments) of a document minus its first ds:Signature, fed to a hash."""

    def __init__(self, hasher: hashlib._Hash) -> None:
        self.update = hasher.update
        self.scopes: list[dict[str, str]] = [{}]  # in-scope namespaces (prefix → uri) per open element
        self.pending: list[tuple[str, str]] = []  # start-ns events for the next element
        self.signature: etree._Element | None = None
        self.capturing = 0  # depth inside the signature being skipped
        self.buffer: list[str] = []  # hashed in batches: one update per few thousand pieces
        self.names: dict[tuple[str, str | None], str] = {}

    def emit(self, value: str) -> None:
        self.buffer.append(value)
        if len(self.buffer) >= 4096:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.update("".join(self.buffer).encode("utf-8"))
            self.buffer = []

    def qname(self, element: etree._Element) -> str:
        key = (element.tag, element.prefix)
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = _qname(*key)
        return name

    def start(self, element: etree._Element) -> None:
        parent_scope = self.scopes[-1]
        if not self.pending and not len(element.attrib):  # most elements: nothing but the name
            self.scopes.append(parent_scope)
            self.emit("<" + self.qname(element) + ">")
            return
        scope = parent_scope
        declarations: list[tuple[str, str]] = []
        if self.pending:
            scope = dict(parent_scope)
            for prefix, uri in self.pending:
                scope[prefix] = uri
                if parent_scope.get(prefix, "") != uri:
                    declarations.append((prefix, uri))
            self.pending = []
        self.scopes.append(scope)
        parts = ["<", self.qname(element)]
        for prefix, uri in sorted(declarations):
            parts.append(f' xmlns:{prefix}="{uri.translate(_ATTRIBUTE)}"' if prefix else f' xmlns="{uri.translate(_ATTRIBUTE)}"')
        if element.attrib:
            attributes = []
            for key, value in element.attrib.items():
                if key[0] == "{":
                    uri, local = key[1:].split("}", 1)
                    prefix = "xml" if uri == "http://www.w3.org/XML/1998/namespace" else _prefix_for(scope, uri)
                    attributes.append((uri, local, f"{prefix}:{local}", value))
                else:
                    attributes.append(("", key, key, value))
            for _, _, name, value in sorted(attributes):
                parts.append(f' {name}="{value.translate(_ATTRIBUTE)}"')
        parts.append(">")
        self.emit("".join(parts))

    def end(self, element: etree._Element) -> None:
        self.scopes.pop()
        self.emit("</" + self.qname(element) + ">")


def _qname(tag: str, prefix: str | None) -> str:
    local = tag.rsplit("}", 1)[-1]
    return f"{prefix}:{local}" if prefix else local


def _prefix_for(scope: dict[str, str], uri: str) -> str:
    for prefix, value in scope.items():
        if value == uri and prefix:
            return prefix
    raise ValueError(f"no prefix for {uri}")


def _stream_c14n(stream: BinaryIO, hash_name: str | None) -> tuple[etree._Element, etree._Element | None, bytes]:
    """One pass: (root, the first ds:Signature, digest of the rest). With hash_name None: sha256."""
    hasher = hashlib.new(hash_name or "sha256")
    c14n = _Canonicaliser(hasher)
    options = {**SAFE_PARSER_OPTIONS, "remove_comments": True}
    events = etree.iterparse(stream, events=("start", "end", "start-ns", "pi"), **options)
    last: tuple[str, etree._Element] | None = None  # whose text (after start) or tail (after end) is due
    depth = 0
    root: etree._Element | None = None
    for event, item in events:
        if event == "start-ns":
            if not c14n.capturing:
                c14n.pending.append(item)
            continue
        if last is not None and not c14n.capturing:
            kind, node = last
            value = node.text if kind == "start" else node.tail
            if value:
                c14n.emit(value.translate(_TEXT))
            last = None
        if event == "pi":
            if not c14n.capturing:
                body = f"<?{item.target}{' ' + item.text if item.text else ''}?>"
                if depth > 0:
                    c14n.emit(body)
                    last = ("end", item)  # its tail is text of the element around it
                else:  # outside the root: C14N puts a line break between it and the root
                    c14n.emit(body + "\n" if root is None else "\n" + body)
            continue
        if event == "start":
            depth += 1
            if root is None:
                root = item
                if root.getroottree().docinfo.internalDTD is not None:
                    raise ValueError("DTD")
            if c14n.capturing:
                c14n.capturing += 1
            elif c14n.signature is None and item.tag == _SIGNATURE and depth > 1:
                c14n.signature = item
                c14n.capturing = 1
                c14n.pending = []
            else:
                c14n.start(item)
                last = ("start", item)
            continue
        depth -= 1
        if c14n.capturing:
            c14n.capturing -= 1
            if c14n.capturing == 0:
                last = ("end", item)  # the enveloped transform removes the element, not the text after it
            continue
        c14n.end(item)
        if depth > 0:
            last = ("end", item)  # the root's tail lies outside the document element: not canonical content
            if not _holds(item, c14n.signature):
                _drop_before(item)
    del events
    if root is None:
        raise ValueError("empty")
    c14n.flush()
    return root, c14n.signature, hasher.digest()


def _holds(element: etree._Element, signature: etree._Element | None) -> bool:
    if signature is None:
        return False
    return any(ancestor is element for ancestor in signature.iterancestors())


def _drop_before(element: etree._Element) -> None:
    """Free what was already hashed, keeping this element (its tail is still due) and the signature's branch."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is None:
        return
    while True:
        previous = element.getprevious()
        if previous is None or previous.tag == _SIGNATURE or any(
            d.tag == _SIGNATURE for d in previous.iter(_SIGNATURE)
        ):
            break
        parent.remove(previous)


# --- the entry point ------------------------------------------------------------------------------------------

IN_MEMORY_FALLBACK_BYTES = 8 * 1024 * 1024  # a profile this module does not stream is checked the old way up to here


def verify_signed_file(
    source: str | os.PathLike[str] | BinaryIO,
    trust_anchors: list[x509.Certificate],
    *,
    expected_owner_id: str | None = None,
    now: datetime | None = None,
) -> VerificationResult:
    """Check the enveloped XAdES signature of a file of any size (a path or a seekable binary stream)."""
    moment = now or datetime.now(timezone.utc)
    try:
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as stream:
                return _verify_stream(stream, trust_anchors, expected_owner_id, moment)
        return _verify_stream(source, trust_anchors, expected_owner_id, moment)
    except (etree.XMLSyntaxError, ValueError, UnicodeError):
        return _fail("malformed", "belge geçerli bir XML değil.")
    except Exception as exc:  # noqa: BLE001 - a page must get an answer for any input
        log.warning("streamed signature verification failed unexpectedly: %s", type(exc).__name__)
        return _fail("invalid", "belge veya imza okunamadı.")


def _verify_stream(stream: BinaryIO, trust_anchors: list[x509.Certificate], expected_owner_id: str | None,
                   now: datetime) -> VerificationResult:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    hash_name = "sha256"
    fast = _fast_path(stream, size)
    if fast is not None:
        root, signature, digest_of_rest = fast
        if signature.find(f"{{{DS_NS}}}SignatureValue") is None:
            return _fail("no_signature", "belgede imza bulunamadı (yalnızca boş bir ds:Signature var).")
        try:
            hash_name, expected = _whole_document_reference(signature)
        except _Unsupported:
            return _unsupported(stream, size, trust_anchors, expected_owner_id, now)
        computed = digest_of_rest(hash_name)
        if computed == expected:
            return verify_signature_element(root, signature, trust_anchors, expected_owner_id, now, computed)
    for _ in range(2):  # a second pass only when the signature names another hash than the one guessed
        stream.seek(0)
        root, signature, computed = _stream_c14n(stream, hash_name)
        if signature is None or signature.find(f"{{{DS_NS}}}SignatureValue") is None:
            return _fail("no_signature", "belgede imza bulunamadı.")
        try:
            named, _expected = _whole_document_reference(signature)
        except _Unsupported:
            return _unsupported(stream, size, trust_anchors, expected_owner_id, now)
        if named == hash_name:
            return verify_signature_element(root, signature, trust_anchors, expected_owner_id, now, computed)
        hash_name = named
    return _fail("invalid_signature", "imzanın yapısı hatalı.")


def _unsupported(stream: BinaryIO, size: int, trust_anchors: list[x509.Certificate], expected_owner_id: str | None,
                 now: datetime) -> VerificationResult:
    if size <= IN_MEMORY_FALLBACK_BYTES:
        from .verify import verify_signed_xml

        stream.seek(0)
        return verify_signed_xml(stream.read(), trust_anchors, expected_owner_id=expected_owner_id, now=now)
    return _fail("not_enveloped", "imza belgenin tamamını desteklenen biçimde (enveloped, C14N 1.0) kapsamıyor.")
