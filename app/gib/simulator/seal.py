"""GİB's own demo mali mühür: seals approved berats on a PKCS#11 token (SoftHSM in demo/tests)."""

from __future__ import annotations

import logging
from datetime import datetime

from lxml import etree

from app.formats.gib.common import SIGNATURE_PLACEHOLDER_ID
from app.gib.simulator import refusals
from app.gib.simulator.refusals import Refusal
from app.gib.simulator.settings import SealSettings
from app.signing import SigningError, sign_enveloped, signing_act, use_softhsm_conf

log = logging.getLogger(__name__)


class GibSeal:
    def __init__(self, settings: SealSettings | None) -> None:
        self.settings = settings
        if settings is not None and settings.softhsm_conf:
            use_softhsm_conf(settings.softhsm_conf)

    def seal(self, document: etree._Element, at: datetime) -> bytes:
        """The document signed enveloped (XAdES-BES) at its placeholder by the GİB token, dated `at`."""
        if self.settings is None:
            raise Refusal(refusals.SEAL_UNAVAILABLE, "Simülatörde GİB mühür kartı tanımlı değil.")
        settings = self.settings
        try:
            with signing_act(settings.module_path, settings.token_label, settings.pin) as act:
                return sign_enveloped(
                    document,
                    act,
                    placeholder=SIGNATURE_PLACEHOLDER_ID,
                    signing_time=at,
                    claimed_role="Gelir İdaresi Başkanlığı",
                    description="GİB onaylı e-Defter beratı",
                )
        except SigningError as exc:
            log.error("GİB mührü kullanılamadı: %s", exc.code)
            raise Refusal(refusals.SEAL_UNAVAILABLE, exc.message) from exc
