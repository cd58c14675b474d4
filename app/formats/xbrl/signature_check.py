"""Check the signature of an uploaded yevmiye of any size (decisions 0030, 0062, 0112).

The XAdES signature is verified by the streaming verifier (``app.signing.stream_verify``): the whole-document
digest is computed in one pass (at disk speed for a canonical file, by a streaming C14N otherwise), so memory
stays bounded whatever the file's size. A zipped yevmiye is first copied out of the zip to a temporary file
(the verifier reads a file twice at most: once for its tail and signature, once for the digest).
``size_limit`` is kept for callers that want one; by default there is none.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from app.formats.safe_xml import format_size
from app.formats.xbrl.source import DEFAULT_MAX_BYTES, Source, open_xml_source

if TYPE_CHECKING:
    from cryptography import x509

    from app.signing.verify import VerificationResult

DEFAULT_SIGNATURE_SIZE_LIMIT: int | None = None  # no limit since the streaming verifier (decision 0112)
COPY_CHUNK = 1024 * 1024


class SignatureStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNSIGNED = "unsigned"
    TOO_LARGE = "too_large"  # not checked: the file is over a size limit the caller set


@dataclass(frozen=True)
class SignatureCheck:
    status: SignatureStatus
    message: str  # Turkish, for the page
    verification: VerificationResult | None = None  # app.signing's full answer when a check ran

    @property
    def ok(self) -> bool:
        return self.status is SignatureStatus.VALID


def _too_large(limit: int, size: int | None) -> SignatureCheck:
    what = f"Dosya ({format_size(size)})" if size is not None else "Dosya"
    return SignatureCheck(
        SignatureStatus.TOO_LARGE,
        f"{what} {format_size(limit)} sınırından büyük olduğu için imzası kontrol edilemedi.",
    )


def check_yevmiye_signature(
    source: Source,
    trust_anchors: list[x509.Certificate],
    *,
    size_limit: int | None = DEFAULT_SIGNATURE_SIZE_LIMIT,
    expected_owner_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SignatureCheck:
    """Verify the yevmiye's XAdES signature (plain XML or the one XML in a zip), streaming.

    ``expected_owner_id``: the VKN/TCKN the signing certificate must belong to. A file object must be
    positioned at its start (seek(0) after reading the summary). Raises YevmiyeReadError only for the
    same container problems as the reader (broken zip, not XML, over ``max_bytes``).
    """
    # Imported here: app.signing pulls in signxml and the token libraries, which the reader never needs.
    from app.signing.stream_verify import verify_signed_file

    with open_xml_source(source, max_bytes=max_bytes) as xml:
        if size_limit is not None and xml.size is not None and xml.size > size_limit:
            return _too_large(size_limit, xml.size)
        if xml.in_zip or not _seekable(source):
            with tempfile.NamedTemporaryFile(prefix="yevmiye-", suffix=".xml") as copy:
                shutil.copyfileobj(xml.stream, copy, COPY_CHUNK)  # type: ignore[misc]
                copy.flush()
                if size_limit is not None and copy.tell() > size_limit:
                    return _too_large(size_limit, None)
                result = verify_signed_file(Path(copy.name), trust_anchors, expected_owner_id=expected_owner_id)
        else:
            result = _verify_source(source, trust_anchors, expected_owner_id)
    if result.code == "no_signature":
        return SignatureCheck(SignatureStatus.UNSIGNED, "Yevmiye dosyası imzasız (içinde dolu bir ds:Signature yok).")
    if result.ok:
        return SignatureCheck(SignatureStatus.VALID, result.message, result)
    return SignatureCheck(SignatureStatus.INVALID, result.message, result)


def _seekable(source: Source) -> bool:
    return isinstance(source, (str, os.PathLike)) or bool(getattr(source, "seekable", lambda: False)())


def _verify_source(source: Source, trust_anchors: list[x509.Certificate], expected_owner_id: str | None):  # type: ignore[no-untyped-def]
    from app.signing.stream_verify import verify_signed_file

    if isinstance(source, (str, os.PathLike)):
        return verify_signed_file(source, trust_anchors, expected_owner_id=expected_owner_id)
    source.seek(0)
    return verify_signed_file(source, trust_anchors, expected_owner_id=expected_owner_id)
