"""Why a period cannot be sent, and why GİB's sealed berat is not kept, in Turkish."""

from __future__ import annotations

from app.edefter.company.operations import EdefterRefused


class SendingRefused(EdefterRefused):
    """The period cannot be sent now; ``message`` says why."""


class SealRefused(SendingRefused):
    """GİB's answer carried a sealed berat the portal does not trust (seal, sealer or content)."""
