"""Why the portal may believe an imported invoice (decision note 0053).

An invoice exists for both parties only when its origin is proven: its XAdES signature verifies against
the portal's trust anchors and the signing certificate belongs to the seller (VKN/TCKN in the
certificate's serialNumber). Anything else is refused with the reason, except in demo/test mode with
``ACCEPT_UNSIGNED_INVOICES`` on: then an invoice whose origin is not proven (unsigned, or GİB's samples,
whose signatures no longer verify) becomes the uploader's own: only the uploader sees it, it is never
shown to the other party and never cancellable through it.

Verification is CPU work done before the import's transaction (a zip may hold a thousand invoices).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from flask import current_app

from app.formats.ubl import InvoiceData
from app.invoices.rules import InvoiceRefused
from app.models import InvoiceOrigin
from app.signing.verify import verify_signed_xml


@dataclass(frozen=True)
class OriginProof:
    origin: InvoiceOrigin
    certificate_serial: str | None = None  # the seller's signing certificate, for SIGNED


def unsigned_accepted() -> bool:
    """The demo switch; config.finish refuses it in production."""
    return bool(current_app.config.get("ACCEPT_UNSIGNED_INVOICES")) and current_app.config.get("MODE") != "production"


def prove_origin(invoice: InvoiceData, document: bytes, trust_anchors: list[x509.Certificate], *,
                 accept_unsigned: bool) -> OriginProof:
    """The proof the invoice carries, or InvoiceRefused with the Turkish reason."""
    if invoice.has_signature:
        result = verify_signed_xml(document, trust_anchors, expected_owner_id=invoice.sender.identifier)
        if result.ok:
            serial = result.certificate_info.serial_hex if result.certificate_info is not None else "?"
            return OriginProof(InvoiceOrigin.SIGNED, serial)
        reason = (f"{invoice.number} numaralı faturanın satıcı imzası doğrulanamadı ({result.message}); fatura "
                  "alınmadı.")
    else:
        reason = (f"{invoice.number} numaralı fatura imzasız: faturanın satıcı ({invoice.sender.identifier}) "
                  "tarafından mali mühür ya da e-imza ile imzalanmış hâlini yükleyiniz.")
    if accept_unsigned:
        return OriginProof(InvoiceOrigin.UPLOADER_ONLY)
    raise InvoiceRefused(reason)
