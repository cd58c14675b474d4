"""Sözleşme Ayarları (SPEC D2): an SM/SMMM/YMM contract, or "-" where the books are kept in-house (seed 002)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

from app.edefter.company.forms import FieldReader
from app.models import ContractKind

IN_HOUSE_MARK = "-"
_CONTRACT_FIELDS = (("aciklama", "Sözleşme açıklaması"), ("cesit", "Sözleşme çeşidi"), ("sozlesme_no", "Sözleşme numarası"))


@dataclass(frozen=True)
class ContractInput:
    kind: ContractKind
    title: str
    person_name: str
    description: str
    contract_type: str
    contract_date: date | None
    contract_number: str


def read_contract(form: Mapping[str, str], today: date) -> ContractInput:
    """Check one contract form; raise FormInvalid with one message per wrong field."""
    r = FieldReader(form)
    kind = r.choice("musavir_turu", "Müşavir türünü", ContractKind)
    title = r.text("unvan", "Unvan", max_length=250, min_length=2)
    person_name = r.text("adi_soyadi", "Adı Soyadı", max_length=120, min_length=3)
    if person_name and len(person_name.split()) < 2:
        r.error("adi_soyadi", "Adı ve soyadını birlikte yazınız.")
    if kind is ContractKind.BUNYE:
        for name, label in _CONTRACT_FIELDS:
            if r.raw(name) not in ("", IN_HOUSE_MARK):
                r.error(name, f"Defterler işletme bünyesinde tutuluyorsa {label.lower()} alanına tire (-) yazılır.")
        if r.raw("sozlesme_tarihi"):
            r.error("sozlesme_tarihi", "Defterler işletme bünyesinde tutuluyorsa sözleşme tarihi yazılmaz.")
        r.done()
        return ContractInput(kind, title, person_name, IN_HOUSE_MARK, IN_HOUSE_MARK, None, IN_HOUSE_MARK)
    values = {name: r.text(name, label, max_length=250 if name == "aciklama" else 120) for name, label in _CONTRACT_FIELDS}
    for name, label in _CONTRACT_FIELDS:
        if values[name] == IN_HOUSE_MARK:
            r.error(name, f"{label} alanına tire (-) yalnızca defterler işletme bünyesinde tutuluyorsa yazılır.")
    contract_date = r.date("sozlesme_tarihi", "Sözleşme tarihi")
    if contract_date is not None and contract_date > today:
        r.error("sozlesme_tarihi", "Sözleşme tarihi bugünden sonra olamaz.")
    r.done()
    assert kind is not None
    return ContractInput(kind, title, person_name, values["aciklama"], values["cesit"], contract_date,
                         values["sozlesme_no"])


def contract_set_problem(kinds: Iterable[ContractKind]) -> str | None:
    """Why these contracts cannot stand together, or None.

    The books are kept either by an SM/SMMM or in-house; a YMM full-certification contract stands beside
    either of them (seed 002).
    """
    count = Counter(kinds)
    if count[ContractKind.BUNYE] and (count[ContractKind.SM] or count[ContractKind.SMMM]):
        return ("Defterler işletme bünyesinde tutuluyorsa SM/SMMM sözleşmesi girilmez; defteri tutan SM/SMMM varsa "
                "işletme bünyesi kaydı girilmez. Önce diğer kaydı siliniz.")
    if count[ContractKind.BUNYE] > 1:
        return "İşletme bünyesindeki muhasebe bölüm yetkilisi yalnızca bir kez girilir."
    if count[ContractKind.YMM] > 1:
        return "YMM tam tasdik sözleşmesi yalnızca bir kez girilir; mevcut kaydı düzenleyiniz."
    return None


def missing_bookkeeper(kinds: Iterable[ContractKind]) -> bool:
    """No SM/SMMM contract and no in-house officer: the defter would name nobody who keeps the books."""
    return not any(kind.keeps_books for kind in kinds)
