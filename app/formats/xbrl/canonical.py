"""Bytes that are their own inclusive C14N 1.0: the e-Defter writers emit these so a part's digest is known
as soon as its last byte is written (decision note 0110).

The rules that make a serialisation canonical, as far as these writers need them: every namespace is declared
once, on the root, sorted by prefix; attributes sorted by namespace URI then local name; empty elements written
``<a></a>``; text escaped ``&amp; &lt; &gt; &#xD;`` and attribute values ``&amp; &lt; &quot; &#x9; &#xA; &#xD;``;
no XML declaration or whitespace outside the root in the hashed part (the declaration is written before hashing
starts). Characters XML 1.0 cannot carry are refused here, not silently dropped.
"""

from __future__ import annotations

import hashlib
import re
from typing import BinaryIO

from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.rules import LedgerWriteError

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

# Prefix → URI of every namespace a defter, berat or DR uses, declared on the root (GİB's own prefixes).
PREFIXES: dict[str, str] = dict(sorted(ns.NSMAP.items()))

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;"})
_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", '"': "&quot;", "\t": "&#x9;", "\n": "&#xA;", "\r": "&#xD;"}
)


def text(value: str) -> str:
    """Character data as C14N writes it. Line ends are stored as ``\\n`` (what a parser would make of them)."""
    if _NOT_XML.search(value):
        raise LedgerWriteError(f"Metinde XML'de kullanılamayan bir denetim karakteri var: {value[:40]!r}")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.translate(_TEXT)


def attribute(value: str) -> str:
    if _NOT_XML.search(value):
        raise LedgerWriteError(f"Öznitelikte XML'de kullanılamayan bir karakter var: {value[:40]!r}")
    return value.translate(_ATTRIBUTE)


def root_start(qname: str) -> str:
    """The root's start tag with every namespace declaration, sorted by prefix as C14N renders them."""
    declarations = "".join(f' xmlns:{prefix}="{attribute(uri)}"' for prefix, uri in PREFIXES.items())
    return f"<{qname}{declarations}>"


class HashingWriter:
    """A binary sink that counts what it writes and hashes it (SHA-256) once ``start_hashing`` was called.

    The hashed bytes are the document's canonical form when the writer only emits canonical bytes after the
    declaration; the count is the file's size so far (what decides where a part ends).
    """

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self._hash: hashlib._Hash | None = None
        self.size = 0

    def start_hashing(self) -> None:
        self._hash = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self._target.write(data)
        self.size += len(data)
        if self._hash is not None:
            self._hash.update(data)

    def digest(self) -> bytes:
        if self._hash is None:
            raise RuntimeError("hashing never started")
        return self._hash.digest()
