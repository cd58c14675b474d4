"""Enveloped XAdES-BES for documents too big to hold: the document's digest comes in, the ds:Signature goes out.

The writer (``app.formats.xbrl.defter_stream``) emits a document whose bytes after the XML declaration are their
own inclusive C14N 1.0 and hashes them while writing. Signing then needs no pass over the document: SignedInfo,
SignedProperties and KeyInfo are built small, in the namespace context of the document's root (inclusive C14N
of SignedInfo renders every namespace in scope), SignedInfo is signed on the card, and the ds:Signature is
inserted before the root's end tag while the file is copied (``write_signed``). The enveloped-signature
transform removes exactly that element, so the digest of the unsigned bytes is the reference's digest
(decision note 0110). Same profile as ``xades.sign_enveloped``: RSA-SHA256, SigningCertificate v1, an Id on
ds:SignatureValue.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO

from lxml import etree

from .placement import DS_NS, XADES_NS, safe_parser
from .placement import c14n as _c14n
from .xades import (
    C14N,
    DEFAULT_DESCRIPTION,
    ECDSA_SHA384,
    ENVELOPED,
    RSA_SHA256,
    SIGNED_PROPERTIES_TYPE,
    Signer,
    _add,
    _add_reference,
    _certificate_texts,
    _signature_value,
    _signed_properties,
)

SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
COPY_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PreparedDocument:
    """What the signer needs of a written document: its canonical digest and its root's tags."""

    digest: bytes  # SHA-256 of the canonical form without the signature (the bytes after the declaration)
    root_start: bytes  # the root's start tag, with its namespace declarations
    root_end: bytes  # the root's end tag: the file ends with it


@dataclass(frozen=True)
class DetachedSignature:
    """A ds:Signature made for a prepared document, not yet inside it."""

    xml: bytes  # the ds:Signature element, to insert before the root's end tag
    signature_value: str  # base64 ds:SignatureValue (a berat copies it)
    signature_value_id: str
    signature_id: str
    signing_time: datetime


def _context_root(prepared: PreparedDocument) -> etree._Element:
    root = etree.fromstring(prepared.root_start + prepared.root_end, parser=safe_parser())
    if root.getroottree().docinfo.internalDTD is not None:
        raise ValueError("DTD içeren belgeler imzalanmaz")
    return root


def sign_prepared(
    act: Signer,
    prepared: PreparedDocument,
    *,
    signature_id: str,
    signing_time: datetime | None = None,
    description: str = DEFAULT_DESCRIPTION,
) -> DetachedSignature:
    """Build and sign the ds:Signature of a prepared document with the act's key (one card operation)."""
    suite = ECDSA_SHA384 if act.is_ec else RSA_SHA256
    moment = signing_time or datetime.now(timezone.utc)
    root = _context_root(prepared)
    signature = _add(root, DS_NS, "Signature", Id=signature_id)
    signed_info = _add(signature, DS_NS, "SignedInfo")
    _add(signed_info, DS_NS, "CanonicalizationMethod", Algorithm=C14N)
    _add(signed_info, DS_NS, "SignatureMethod", Algorithm=suite.signature_method)
    whole_document = _add(signed_info, DS_NS, "Reference", Id=f"{signature_id}-Reference", URI="")
    transforms = _add(whole_document, DS_NS, "Transforms")
    _add(transforms, DS_NS, "Transform", Algorithm=ENVELOPED)
    _add(transforms, DS_NS, "Transform", Algorithm=C14N)
    # The document digest is SHA-256 whatever the key (a reference names its own digest method).
    _add(whole_document, DS_NS, "DigestMethod", Algorithm=SHA256_URI)
    _add(whole_document, DS_NS, "DigestValue", b64encode(prepared.digest).decode())
    value_id = f"{signature_id}-SignatureValue"
    signature_value = _add(signature, DS_NS, "SignatureValue", Id=value_id)
    key_info = _add(signature, DS_NS, "KeyInfo", Id=f"{signature_id}-KeyInfo")
    x509_data = _add(key_info, DS_NS, "X509Data")
    for cert in (act.certificate, *act.chain):
        _add(x509_data, DS_NS, "X509Certificate", _certificate_texts(cert, suite)[0])
    qualifying = _add(_add(signature, DS_NS, "Object"), XADES_NS, "QualifyingProperties", Target=f"#{signature_id}")
    properties = _signed_properties(qualifying, signature_id, act, suite, moment, None, description)
    _add_reference(signed_info, properties, suite, Type=SIGNED_PROPERTIES_TYPE)
    _add_reference(signed_info, key_info, suite)
    signature_value.text = _signature_value(act, _c14n(signed_info), suite)
    # Serialised inside the root's context: the root already declares ds and xades, nothing is redeclared.
    whole = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    start = whole.index(b">") + 1
    end = whole.rindex(b"</")
    return DetachedSignature(whole[start:end], signature_value.text, value_id, signature_id, moment)


def write_signed(unsigned: BinaryIO, unsigned_size: int, prepared: PreparedDocument, signature: DetachedSignature,
                 target: BinaryIO) -> tuple[str, int]:
    """Copy the unsigned file with the signature inserted before the root's end tag; return (sha256 hex, size).

    The unsigned file must end with ``prepared.root_end`` (nothing after it), as the writer leaves it.
    """
    digest = hashlib.sha256()
    remaining = unsigned_size - len(prepared.root_end)
    size = 0

    def put(data: bytes) -> None:
        nonlocal size
        target.write(data)
        digest.update(data)
        size += len(data)

    while remaining > 0:
        chunk = unsigned.read(min(COPY_CHUNK, remaining))
        if not chunk:
            raise ValueError("İmzalanacak dosya beklenenden kısa: dosya değişmiş olabilir.")
        put(chunk)
        remaining -= len(chunk)
    if unsigned.read(len(prepared.root_end) + 1) != prepared.root_end:
        raise ValueError("İmzalanacak dosyanın sonu beklenen kök etiketi değil: dosya değişmiş olabilir.")
    put(signature.xml)
    put(prepared.root_end)
    return digest.hexdigest(), size
