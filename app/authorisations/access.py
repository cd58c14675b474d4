"""What a person may do for a taxpayer: the taxpayer's own card may do everything; an authorisation's role less.

Routes declare what they need (``Need``); the web layer (``app.acting``) checks it once per request.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from app.models import AuthorisationRole, Taxpayer


class Need(enum.Enum):
    VIEW = "view"  # read a page or a document
    PREPARE = "prepare"  # change the taxpayer's records: settings, uploads, drafts, background checks
    SIGN = "sign"  # an act GİB requires the taxpayer to sign (with the taxpayer's own card)
    OWNER = "owner"  # manage who acts for the taxpayer: only its own card's login


GRANTS: dict[AuthorisationRole, frozenset[Need]] = {
    AuthorisationRole.MALI_MUSAVIR: frozenset({Need.VIEW, Need.PREPARE, Need.SIGN}),
    AuthorisationRole.MUHASEBE_PERSONELI: frozenset({Need.VIEW, Need.PREPARE}),
    AuthorisationRole.GORUNTULEME: frozenset({Need.VIEW}),
}

OWN_CARD_LABEL = "Kendi kartı"


@dataclass(frozen=True)
class Access:
    """A person acting for a taxpayer: by its own card (``role`` None) or by an authorisation's role."""

    taxpayer: Taxpayer
    role: AuthorisationRole | None = None
    authorisation_id: int | None = None
    valid_until: date | None = None

    @property
    def owner(self) -> bool:
        return self.role is None

    @property
    def role_label(self) -> str:
        return OWN_CARD_LABEL if self.role is None else self.role.label

    def allows(self, need: Need | str) -> bool:
        need = Need(need)
        return self.owner or need in GRANTS[self.role]

    def refusal(self, need: Need) -> str:
        """Why this role may not do what the page needs, in Turkish."""
        if need is Need.OWNER:
            return ("Yetkilendirme işlemlerini yalnızca mükellef kendi mali mührü veya e-imzasıyla giriş yaparak "
                    "yapabilir.")
        if need is Need.SIGN:
            return (f"{self.role_label} yetkisiyle mükellefin imzası gereken işlemler yapılamaz. Bu işlem için "
                    f"{self.taxpayer.unvan} tarafından Mali Müşavir olarak yetkilendirilmeniz gerekir.")
        return f"{self.role_label} yetkisiyle yalnızca görüntüleme yapılabilir; kayıt değiştirilemez."
