"""Why a period cannot be created or signed, in Turkish."""

from __future__ import annotations

from app.edefter.company.operations import EdefterRefused


class CreationRefused(EdefterRefused):
    """A prerequisite of e-Defter creation (SPEC D5–D7) is not met; ``message`` names which."""


class PeriodNotFound(LookupError):
    """No such period for this taxpayer (another taxpayer's period looks the same: 404)."""
