"""Check the signature of an uploaded yevmiye, within a size bound (decisions 0030, 0062).

Verifying an enveloped XAdES signature means canonicalising the whole document, which signxml does on
an in-memory tree (several times the file's size in RAM). So the signature is verified only for files
up to ``size_limit``; above it the result is TOO_LARGE: not verified, which the portal treats like any
other unproven file (refused), never as "probably fine".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from app.formats.safe_xml import format_size
from app.formats.xbrl.source import DEFAULT_MAX_BYTES, Source, open_xml_source

if TYPE_CHECKING:
    from cryptography import x509

    from app.signing.verify import VerificationResult

DEFAULT_SIGNATURE_SIZE_LIMIT = 8 * 1024 * 1024  # verifying took ~30 bytes of RAM per byte (decision 0030)


class SignatureStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNSIGNED = "unsigned"
    TOO_LARGE = "too_large"  # not checked: the file is over the size limit


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
        f"{what} {format_size(limit)} sınırından büyük olduğu için imzası kontrol edilemedi: bu portal yevmiye "
        f"imzasını şimdilik en fazla {format_size(limit)} büyüklüğündeki dosyalarda doğrulayabiliyor.",
    )


def check_yevmiye_signature(
    source: Source,
    trust_anchors: list[x509.Certificate],
    *,
    size_limit: int = DEFAULT_SIGNATURE_SIZE_LIMIT,
    expected_owner_id: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SignatureCheck:
    """Verify the yevmiye's XAdES signature (plain XML or the one XML in a zip) if it is small enough.

    ``expected_owner_id``: the VKN/TCKN the signing certificate must belong to. A file object must be
    positioned at its start (seek(0) after reading the summary). Raises YevmiyeReadError only for the
    same container problems as the reader (broken zip, not XML, over ``max_bytes``).
    """
    with open_xml_source(source, max_bytes=max_bytes) as xml:
        if xml.size is not None and xml.size > size_limit:
            return _too_large(size_limit, xml.size)
        data = xml.stream.read_up_to(size_limit + 1)
    if len(data) > size_limit:
        return _too_large(size_limit, None)
    if b"SignatureValue" not in data:  # no signature, or only the empty placeholder
        return SignatureCheck(SignatureStatus.UNSIGNED, "Yevmiye dosyası imzasız (içinde dolu bir ds:Signature yok).")
    # Imported here: app.signing pulls in signxml and the token libraries, which the reader never needs.
    from app.signing.verify import verify_signed_xml

    result = verify_signed_xml(data, trust_anchors, expected_owner_id=expected_owner_id)
    if result.ok:
        return SignatureCheck(SignatureStatus.VALID, result.message, result)
    return SignatureCheck(SignatureStatus.INVALID, result.message, result)
