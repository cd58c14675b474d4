"""Şube Ayarları (SPEC D3): Şube Kodu is exactly four digits (GİB's ``Şube No``), Şube Adı a short name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from app.edefter.company.forms import FieldReader

BRANCH_CODE = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class BranchInput:
    code: str
    name: str


def read_branch(form: Mapping[str, str]) -> BranchInput:
    """Check the branch form; raise FormInvalid with one message per wrong field."""
    r = FieldReader(form)
    code = r.raw("sube_kodu")
    if not code:
        r.error("sube_kodu", "Şube kodu boş olamaz.")
    elif not BRANCH_CODE.match(code):
        r.error("sube_kodu", "Şube kodu 4 haneli bir sayı olmalıdır (örnek: 0001).")
    name = r.text("sube_adi", "Şube adı", max_length=120, min_length=2)
    r.done()
    return BranchInput(code, name)
