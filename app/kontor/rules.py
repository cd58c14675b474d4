"""What storing costs and what is said when the kontör does not suffice (seed 002's sentences)."""

from __future__ import annotations

import math

from app.models.kontor import KontorUnit
from app.refusals import Refused

# Seed 002, after every "saklayabilirsiniz" paragraph (the integrator is this portal here).
NEW_PACKAGE = "Kontörünüzün bitmesi halinde e-Belge Portalı ile yeni paket alımı için iletişime geçmeniz gerekmektedir."
MB = 1024 * 1024
# Products whose Saklama the seed charges "belge boyutu kadar alan" (by size); the others one unit per document.
# e-Arşiv is charged by size only for a taxpayer that keeps several integrators (seed 002, e-Arşiv, case d).
BY_SIZE = frozenset({"edefter"})
EARSIV_BY_SIZE_ORIGIN = "baska_cok"


class KontorRefused(Refused):
    """The balance does not cover what is asked: nothing is stored and nothing is spent."""

    def __init__(self, unit: KontorUnit, needed: int, available: int) -> None:
        what = "kontörünüz" if unit is KontorUnit.ADET else "saklama alanınız (MB)"
        if available <= 0:
            head = f"Kullanılabilir {what} kalmadı; belge saklanamadı."
        else:
            head = f"Kullanılabilir {what} ({available}) bu işlem için ({needed}) yetmiyor; belge saklanamadı."
        super().__init__(f"{head} {NEW_PACKAGE}")
        self.unit, self.needed, self.available = unit, needed, available


def megabytes(size: int) -> int:
    """A document's size in MB, rounded up (an empty file still takes 1)."""
    return max(1, math.ceil(size / MB))


def charge(unit: KontorUnit, size: int) -> int:
    return 1 if unit is KontorUnit.ADET else megabytes(size)


def unit_for(product: str, *, origin: str | None = None) -> KontorUnit:
    """How a product's Saklama is charged: by document, or by size in MB."""
    if product in BY_SIZE or (product == "earsiv" and origin == EARSIV_BY_SIZE_ORIGIN):
        return KontorUnit.MB
    return KontorUnit.ADET
