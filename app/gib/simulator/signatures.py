"""Checking the signature on what taxpayers send: valid XAdES, chain to a trusted CA, signer = taxpayer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from cryptography import x509
from lxml import etree

from app.formats.gib import DocumentError, parse_xml
from app.formats.gib.common import UnparsableDocument
from app.gib.simulator import refusals
from app.gib.simulator.clock import SimulatorClock
from app.gib.simulator.refusals import Refusal
from app.signing.verify import verify_signed_xml

log = logging.getLogger(__name__)
T = TypeVar("T")
# Verifier codes that mean "a good signature, but not by the taxpayer the document names".
_NOT_THE_TAXPAYER = frozenset({"certificate_owner_mismatch"})


def read_document(signed_xml: bytes, reader: Callable[[etree._Element], T]) -> T:
    """What `reader` finds in the document; a refusal (1140/1160) when it is not XML or not that document."""
    try:
        return reader(parse_xml(signed_xml))
    except UnparsableDocument as exc:
        raise Refusal(refusals.UNREADABLE_DOCUMENT, exc.detail) from exc
    except DocumentError as exc:
        raise Refusal(refusals.MALFORMED_DOCUMENT, exc.detail) from exc


@dataclass(frozen=True)
class Signer:
    owner_id: str  # VKN/TCKN from the certificate
    serial: str  # certificate serial number, for GİB's records


class SignatureChecker:
    """Verifies signed request documents against the configured trust anchors (app.signing's verifier)."""

    def __init__(self, trust_anchors: tuple[x509.Certificate, ...], clock: SimulatorClock) -> None:
        self.trust_anchors = list(trust_anchors)
        self.clock = clock

    def check(self, signed_xml: bytes, expected_owner_id: str) -> Signer:
        """The signer when the signature is good and belongs to `expected_owner_id`; Refusal otherwise."""
        if not self.trust_anchors:
            raise Refusal(refusals.SIGNATURE_CHECK_UNAVAILABLE, "Simülatörde güvenilen kök sertifika tanımlı değil.")
        result = verify_signed_xml(
            signed_xml, self.trust_anchors, expected_owner_id=expected_owner_id, now=self.clock.now()
        )
        if not result.ok:
            log.info("imza reddedildi: %s", result.code)
            kind = refusals.SIGNER_NOT_AUTHORISED if result.code in _NOT_THE_TAXPAYER else refusals.INVALID_SIGNATURE
            raise Refusal(kind, result.message)
        info = result.certificate_info
        if info is None or not info.owner_id:
            raise Refusal(refusals.SIGNER_ID_MISSING)
        return Signer(owner_id=info.owner_id, serial=info.serial_hex)
