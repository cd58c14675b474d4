"""GİB's own demo mali mühür: seals approved berats on a PKCS#11 token (SoftHSM in demo/tests)."""

from __future__ import annotations

import logging

from lxml import etree

from app.gib.documents.common import SIGNATURE_PLACEHOLDER_ID
from app.gib.simulator import refusals
from app.gib.simulator.refusals import Refusal
from app.gib.simulator.settings import SealSettings

log = logging.getLogger(__name__)


class GibSeal:
    def __init__(self, settings: SealSettings | None) -> None:
        self.settings = settings

    def seal(self, document: etree._Element) -> bytes:
        """The document signed enveloped (XAdES-BES) at its placeholder by the GİB token."""
        if self.settings is None:
            raise Refusal(refusals.SEAL_UNAVAILABLE, "Simülatörde GİB mühür kartı tanımlı değil.")
        from app.signing import signing_act
        from app.signing.errors import SigningError
        from app.signing.xades import sign_enveloped

        settings = self.settings
        try:
            with signing_act(settings.module_path, settings.token_label, settings.pin) as act:
                return sign_enveloped(document, act, placeholder=SIGNATURE_PLACEHOLDER_ID)
        except SigningError as exc:
            log.error("GİB mührü kullanılamadı: %s", exc)
            raise Refusal(refusals.SEAL_UNAVAILABLE, str(exc)) from exc
