"""GİB's sealed (approved) berat checked before it is kept (decision note 0151).

Three things must hold, or the file is refused: GİB's seal verifies against the portal's trust anchors, the
sealer is GİB (its certificate names VKN 3900383669), and the berat inside is byte for byte the one sent, with
the same owner, period, kind and part. A seal by any other certificate — even a valid taxpayer's — is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.cards import trust_anchors
from app.db import utcnow
from app.edefter.sending.refusals import SealRefused
from app.formats.gib import DocumentError, parse_xml
from app.formats.gib.approved_berat import ApprovedBerat, read_approved_berat
from app.formats.gib.user_account import GIB_VKN
from app.signing.verify import VerificationResult, verify_signed_xml
from app.storage import file_store

# Gelir İdaresi Başkanlığı (GIB_VKN): the only owner a sealed berat may carry.


@dataclass(frozen=True)
class CheckedSeal:
    approved: ApprovedBerat
    signer: str  # the sealer as its verified certificate names it


def check_sealed_berat(sealed: bytes, sent: bytes, *, identifier: str, period: str, kind: str,
                       part: int) -> CheckedSeal:
    """The approval inside ``sealed`` when GİB sealed it over exactly ``sent``; SealRefused otherwise."""
    result = verify_signed_xml(sealed, trust_anchors(), expected_owner_id=GIB_VKN, now=utcnow())
    if not result.ok:
        if result.code == "certificate_owner_mismatch":
            raise SealRefused("GİB onaylı berat GİB'in mali mührüyle (VKN 3900383669) mühürlenmemiş; dosya "
                              f"saklanmadı. {result.message}")
        raise SealRefused(f"GİB onaylı beratın mührü doğrulanamadı; dosya saklanmadı. {result.message}")
    try:
        approved = read_approved_berat(parse_xml(sealed))
    except (DocumentError, ValueError) as exc:
        detail = exc.detail if isinstance(exc, DocumentError) else str(exc)
        raise SealRefused(f"GİB onaylı berat okunamadı: {detail}") from exc
    if approved.berat != sent:
        raise SealRefused("GİB onaylı beratın içindeki berat, gönderilen beratla aynı değil; dosya saklanmadı.")
    info = approved.info
    if (info.identifier, info.period, info.kind, info.part) != (identifier, period, kind, part):
        raise SealRefused(f"GİB onaylı beratın bilgileri ({info.identifier} {info.period} {info.kind} "
                          f"{info.part}) gönderilen dosyayla uyuşmuyor; dosya saklanmadı.")
    certificate = result.certificate_info
    signer = f"{certificate.owner_name} ({certificate.owner_id})" if certificate is not None else GIB_VKN
    return CheckedSeal(approved, signer)


def verify_kept(approved_key: str) -> VerificationResult:
    """A kept sealed berat verified again now (the page's "Doğrula"): trust anchors, sealer GİB."""
    with file_store().open(approved_key) as reader:
        return verify_signed_xml(reader.read(), trust_anchors(), expected_owner_id=GIB_VKN, now=utcnow())
