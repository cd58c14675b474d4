"""GİB's rules for one yevmiye madde and its lines, checked on what an accounting program or a spreadsheet sends.

The rules are GİB's (GIB-FORMATS §4.1; the document types from ``app.formats.xbrl.model``), applied before
anything is stored, so the defter created later passes the schematron: at least two lines, debits equal credits,
the date inside the period, amounts above zero with at most two decimals, a known document type with its number
and date where GİB needs them, an account code of 3–4 characters and a sub-account that starts with it.
Each broken rule becomes a ``Problem`` at its place; a line that breaks none becomes a row for ``journal_line``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Mapping

from app.formats.xbrl.model import DOCUMENT_TYPES, DOCUMENT_TYPES_NEEDING_NUMBER
from app.formatting import AmountError, parse_amount
from app.journal.fields import ENTERED_BY, ENTRY_COMMENT, ENTRY_DATE, ENTRY_NUMBER, FIELDS_BY_NAME
from app.journal.problems import Place, Problem

_ISO_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TURKISH_DATE: Final = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})")
_FOLD: Final = str.maketrans("çğıöşüâîû", "cgiosuaiu")
_CENT: Final = Decimal("0.01")
_PLAIN: Final = re.compile(r"[0-9]{1,16}(\.[0-9]{1,2})?")
_TURKISH: Final = re.compile(r"[0-9]{1,3}(\.[0-9]{3}){0,4},[0-9]{1,2}|[0-9]{1,16},[0-9]{1,2}")
_MAX_AMOUNT: Final = Decimal("9999999999999999.99")  # Numeric(18, 2)

# Turkish names people write in the belge_turu column, folded (lower case, no accents).
_TURKISH_DOCUMENT_TYPES: Final = {
    "fatura": "invoice", "cek": "check", "senet": "voucher", "fis": "voucher", "makbuz": "receipt",
    "irsaliye": "shipment", "sevk irsaliyesi": "shipment", "satici siparisi": "order-vendor",
    "musteri siparisi": "order-customer", "diger": "other",
}
DOCUMENT_TYPE_LABELS: Final = {
    "invoice": "Fatura", "check": "Çek", "voucher": "Senet/Fiş", "receipt": "Makbuz", "shipment": "İrsaliye",
    "order-vendor": "Satıcı siparişi", "order-customer": "Müşteri siparişi", "other": "Diğer",
}
_DOCUMENT_TYPE_LIST: Final = ", ".join(sorted(DOCUMENT_TYPES))


def fold(text: str) -> str:
    """Lower case the Turkish way, without accents: 'ÇEK' → 'cek', 'Diğer' → 'diger'."""
    return " ".join(text.replace("I", "ı").replace("İ", "i").lower().translate(_FOLD).split())


def document_type_of(text: str) -> str | None:
    """GİB's code for a document type written in GİB's words or Turkish ones; None when unknown."""
    lowered = text.strip().lower()
    if lowered in DOCUMENT_TYPES:
        return lowered
    return _TURKISH_DOCUMENT_TYPES.get(fold(text))


@dataclass(frozen=True)
class PeriodBounds:
    year: int
    month: int

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


def _label(name: str) -> str:
    label = FIELDS_BY_NAME[name].label
    return label[:1].upper() + label[1:]


def _named(problems: list[Problem], start: int, name: str) -> bool:
    """Whether a problem after ``start`` already names the field (one message per field)."""
    return any(p.column == name or (p.pointer or "").endswith("/" + name) for p in problems[start:])


def _text(value: Any, name: str, place: Place, problems: list[Problem]) -> str | None:
    """A text field: None when empty; a problem when it is not text, too long or holds control characters."""
    if value is None:
        return None
    if type(value) is str:  # the common case first: a million lines go through here
        text = value.strip()
        if not text:
            return None
        if len(text) <= FIELDS_BY_NAME[name].max_length and "\x00" not in text:
            return text
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal, float)):
        problems.append(place.problem(f"{_label(name)} metin olmalıdır.", name))
        return None
    text = value.strip() if isinstance(value, str) else str(value)
    if not text:
        return None
    limit = FIELDS_BY_NAME[name].max_length
    if len(text) > limit:
        problems.append(place.problem(f"{_label(name)} en fazla {limit} karakter olabilir "
                                      f"({len(text)} karakter).", name))
        return None
    if "\x00" in text:
        problems.append(place.problem(f"{_label(name)} geçersiz karakter (NUL) içeriyor.", name))
        return None
    return text


def read_date(value: Any) -> date | None:
    """2026-11-03, 03.11.2026 or a spreadsheet's date cell; None for anything else (31 February too)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()[:40]
    try:
        match = _ISO_DATE.fullmatch(text[:10]) if text[10:].strip(" T0:") == "" else None
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = _TURKISH_DATE.fullmatch(text)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def _date(value: Any, name: str, place: Place, problems: list[Problem]) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    found = read_date(value)
    if found is None:
        shown = value.strip()[:30] if isinstance(value, str) else type(value).__name__
        problems.append(place.problem(f"{_label(name)} geçerli bir tarih değil ('{shown}'); "
                                      "YYYY-AA-GG ya da GG.AA.YYYY yazınız.", name))
    return found


def read_amount(value: Any) -> Decimal:
    """An amount from text (Turkish '1.234,56' or '1234.56') or a number; raises AmountError (Turkish)."""
    if isinstance(value, bool):
        raise AmountError("Tutar sayı ya da metin olmalıdır.")
    if isinstance(value, (int, float, Decimal)):
        try:
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise AmountError("Tutar geçerli bir sayı değil.") from None
        if not amount.is_finite():
            raise AmountError("Tutar geçerli bir sayı değil.")
        if amount < 0:
            raise AmountError("Tutar sıfırdan küçük olamaz.")
        if amount > _MAX_AMOUNT:  # before quantize: 1E+30 has no room for cents in the decimal context
            raise AmountError("Tutar çok büyük: virgülden önce en fazla 16 hane olabilir.")
        if amount.as_tuple().exponent < -2 and amount != amount.quantize(_CENT, rounding="ROUND_DOWN"):
            raise AmountError("Tutar en fazla iki ondalık basamak içerebilir.")
        return amount.quantize(_CENT)
    if isinstance(value, str):
        text = value.strip()
        if _PLAIN.fullmatch(text):  # 1234.56: no need for the general reader
            return Decimal(text).quantize(_CENT)
        if _TURKISH.fullmatch(text):  # 1.234,56
            return Decimal(text.replace(".", "").replace(",", ".")).quantize(_CENT)
        return parse_amount(value)  # everything else, with its Turkish message
    raise AmountError("Tutar sayı ya da metin olmalıdır.")


def _amount(value: Any, name: str, place: Place, problems: list[Problem]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return read_amount(value)
    except AmountError as exc:
        problems.append(place.problem(f"{_label(name)}: {exc.message}", name))
        return None


def check_line(values: Mapping[str, Any], place: Place, problems: list[Problem]) -> dict[str, Any] | None:
    """One line's fields → the ``journal_line`` columns it becomes, or None (its problems appended)."""
    before = len(problems)
    main_id = _text(values.get("hesap_kodu"), "hesap_kodu", place, problems)
    main_description = _text(values.get("hesap_adi"), "hesap_adi", place, problems)
    sub_id = _text(values.get("alt_hesap_kodu"), "alt_hesap_kodu", place, problems)
    sub_description = _text(values.get("alt_hesap_adi"), "alt_hesap_adi", place, problems)
    if main_id is None:
        if not _named(problems, before, "hesap_kodu"):
            problems.append(place.problem("Hesap kodu zorunludur.", "hesap_kodu"))
    elif len(" ".join(main_id.split())) not in (3, 4):
        problems.append(place.problem(f"Hesap kodu 3 ya da 4 karakter olmalıdır ('{main_id}').", "hesap_kodu"))
    if main_description is None and not _named(problems, before, "hesap_adi"):
        problems.append(place.problem("Hesap adı zorunludur.", "hesap_adi"))
    if sub_id is not None and main_id is not None and not sub_id.startswith(main_id):
        problems.append(place.problem(f"Alt hesap kodu ana hesap koduyla başlamalıdır ('{sub_id[:50]}' "
                                      f"'{main_id}' ile başlamıyor).", "alt_hesap_kodu"))
    if sub_id is not None and sub_description is None:
        problems.append(place.problem("Alt hesap kodu yazılan satırda alt hesap adı da zorunludur.", "alt_hesap_adi"))
    if sub_id is None and sub_description is not None:
        problems.append(place.problem("Alt hesap adı yazılan satırda alt hesap kodu da zorunludur.", "alt_hesap_kodu"))
    amount, side = _side(values, place, problems, before)
    document = _document(values, place, problems)
    payment = _text(values.get("odeme_sekli"), "odeme_sekli", place, problems)
    comment = _text(values.get("aciklama"), "aciklama", place, problems)
    if len(problems) > before:
        return None
    return {"account_main_id": main_id, "account_main_description": main_description, "account_sub_id": sub_id,
            "account_sub_description": sub_description, "amount": amount, "side": side, **document,
            "payment_method": payment, "comment": comment}


def _side(values: Mapping[str, Any], place: Place, problems: list[Problem],
          before: int) -> tuple[Decimal | None, str | None]:
    debit = _amount(values.get("borc"), "borc", place, problems)
    credit = _amount(values.get("alacak"), "alacak", place, problems)
    if debit and credit:
        problems.append(place.problem("Bir satırda hem borç hem alacak olamaz; her satır ya borç ya alacaktır.",
                                      "alacak"))
        return None, None
    if debit:
        return debit, "D"
    if credit:
        return credit, "C"
    if debit is not None or credit is not None:  # written, and zero
        problems.append(place.problem("Tutar sıfırdan büyük olmalıdır (GİB: gl-cor:amount 0'dan büyük bir değer "
                                      "almalıdır).", "borc" if debit is not None else "alacak"))
    elif not _named(problems, before, "borc") and not _named(problems, before, "alacak"):
        problems.append(place.problem("Satırda borç ya da alacak tutarı yazılmalıdır.", "borc"))
    return None, None


def _document(values: Mapping[str, Any], place: Place, problems: list[Problem]) -> dict[str, Any]:
    before = len(problems)
    written = _text(values.get("belge_turu"), "belge_turu", place, problems)
    description = _text(values.get("belge_aciklamasi"), "belge_aciklamasi", place, problems)
    number = _text(values.get("belge_no"), "belge_no", place, problems)
    day = _date(values.get("belge_tarihi"), "belge_tarihi", place, problems)
    kind = None
    if written is not None:
        kind = document_type_of(written)
        if kind is None:
            problems.append(place.problem(f"Belge türü '{written[:40]}' GİB'in listesinde yok; şunlardan biri "
                                          f"olmalıdır: {_DOCUMENT_TYPE_LIST} (ya da fatura, çek, senet, makbuz, "
                                          "irsaliye, satıcı siparişi, müşteri siparişi, diğer).", "belge_turu"))
    elif not _named(problems, before, "belge_turu") and (number is not None or day is not None):
        problems.append(place.problem("Belge no ya da belge tarihi yazılan satırda belge türü de zorunludur "
                                      "(GİB kuralı).", "belge_turu"))
    if kind in DOCUMENT_TYPES_NEEDING_NUMBER:
        label = DOCUMENT_TYPE_LABELS[kind].lower()
        if number is None and not _named(problems, before, "belge_no"):
            problems.append(place.problem(f"Belge türü {label} ({kind}) olan satırda belge no zorunludur "
                                          "(GİB kuralı).", "belge_no"))
        if day is None and not _named(problems, before, "belge_tarihi"):
            problems.append(place.problem(f"Belge türü {label} ({kind}) olan satırda belge tarihi zorunludur "
                                          "(GİB kuralı).", "belge_tarihi"))
    if kind == "other" and description is None and not _named(problems, before, "belge_aciklamasi"):
        problems.append(place.problem("Belge türü diğer (other) olan satırda belge açıklaması (belgenin adı) "
                                      "zorunludur (GİB kuralı).", "belge_aciklamasi"))
    return {"document_type": kind, "document_type_description": description if kind else None,
            "document_number": number, "document_date": day}


@dataclass
class EntryHead:
    """A madde's own fields, checked once."""

    number: str | None = None
    day: date | None = None
    entered_by: str | None = None
    comment: str | None = None


def check_head(values: Mapping[str, Any], place: Place, bounds: PeriodBounds, problems: list[Problem]) -> EntryHead:
    """The madde no and date (inside the period), who entered it and its comment."""
    before = len(problems)
    number = _text(values.get(ENTRY_NUMBER.name), ENTRY_NUMBER.name, place, problems)
    if number is None and not _named(problems, before, ENTRY_NUMBER.name):
        problems.append(place.problem("Madde no zorunludur.", ENTRY_NUMBER.name))
    day = _date(values.get(ENTRY_DATE.name), ENTRY_DATE.name, place, problems)
    if day is None and not _named(problems, before, ENTRY_DATE.name):
        problems.append(place.problem("Madde tarihi zorunludur.", ENTRY_DATE.name))
    elif day is not None and not bounds.start <= day <= bounds.end:
        problems.append(place.problem(f"Madde tarihi {day.strftime('%d.%m.%Y')} dönemin dışında; "
                                      f"{bounds.start.strftime('%d.%m.%Y')} ile {bounds.end.strftime('%d.%m.%Y')} "
                                      "arasında olmalıdır.", ENTRY_DATE.name))
    entered_by = _text(values.get(ENTERED_BY.name), ENTERED_BY.name, place, problems)
    comment = _text(values.get(ENTRY_COMMENT.name), ENTRY_COMMENT.name, place, problems)
    return EntryHead(number, day, entered_by, comment)


def check_balance(lines: list[dict[str, Any]], line_total: int, place: Place, problems: list[Problem]) -> None:
    """At least two lines; debits equal credits (checked when every line was readable)."""
    if line_total < 2:
        problems.append(place.problem(f"Madde en az iki satırdan oluşmalıdır ({line_total} satır var)."))
        return
    if len(lines) != line_total:
        return
    debit = sum((line["amount"] for line in lines if line["side"] == "D"), Decimal(0))
    credit = sum((line["amount"] for line in lines if line["side"] == "C"), Decimal(0))
    if debit != credit:
        problems.append(place.problem(f"Maddenin borç toplamı ({_tr(debit)}) alacak toplamına ({_tr(credit)}) eşit "
                                      "değil."))


def _tr(amount: Decimal) -> str:
    from app.formatting import format_amount

    return format_amount(amount)
