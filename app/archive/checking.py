"""One document's checks before any transaction (CPU only): safe parse, fields, party, signature.

Verification is the portal's own (``app.signing.verify``, through ``app.signing.fast_verify`` which gives its verdict): the signature verifies against the trust anchors and the
signing certificate belongs to the sender named in the document (decision note 0053's rule for invoices, applied
to every kind of document kept here).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from cryptography import x509

from app.archive import rules
from app.formats.safe_xml import XmlInputError, parse_untrusted
from app.formats.stored_document import StoredDocumentData, read_stored_document, signatures_of
from app.signing.fast_verify import SignatureChecker


@dataclass(frozen=True)
class Candidate:
    """A document that may be stored: read, the taxpayer's, signed by its sender."""

    position: int
    filename: str
    data: bytes  # b"" once the checking process has put them in the file store (decision note 0095)
    sha256: str
    size: int
    document: StoredDocumentData
    signer_identifier: str
    signer_name: str
    certificate_serial: str
    signing_time: datetime | None

    @property
    def outgoing_for(self) -> str:
        return self.document.sender.identifier


@dataclass(frozen=True)
class Refusal:
    position: int
    filename: str
    reason: str


def examine(position: int, filename: str, data: bytes, own_identifier: str, anchors: list[x509.Certificate],
            today: date, checker: SignatureChecker | None = None, sha256: str | None = None,
            keep_data: bool = True) -> Candidate | Refusal:
    """The verdict of the checks that need no database. ``checker``: the job's (its caches last the whole job);
    the document is parsed once and that tree is read and verified (decision note 0094)."""
    if len(data) > rules.MAX_DOCUMENT_BYTES:
        return Refusal(position, filename, rules.too_big(len(data)))
    try:
        root = parse_untrusted(data, max_bytes=rules.MAX_DOCUMENT_BYTES)
        signatures = signatures_of(root)  # found once, for the fields and the signature (decision note 0095)
        document = read_stored_document(root, today=today, signatures=signatures)
    except XmlInputError as error:
        return Refusal(position, filename, error.message)
    if own_identifier not in (document.sender.identifier, document.receiver.identifier):
        return Refusal(position, filename,
                       rules.not_a_party(document.sender.identifier, document.receiver.identifier, own_identifier))
    if not document.has_signature:
        return Refusal(position, filename, rules.UNSIGNED)
    result = (checker or SignatureChecker(anchors)).verify(root, data, document.sender.identifier, signatures=signatures)
    if not result.ok or result.certificate_info is None:
        return Refusal(position, filename, result.message)
    info = result.certificate_info
    return Candidate(position, filename, data if keep_data else b"", sha256 or hashlib.sha256(data).hexdigest(), len(data), document, info.owner_id,
                     info.owner_name[:250], info.serial_hex[:64], result.signing_time)
