"""Turkish display and input formats for money, dates and timestamps (as on GİB's portals)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

ISTANBUL = ZoneInfo("Europe/Istanbul")
_CENT = Decimal("0.01")
_GROUPED = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")  # used with fullmatch (``$`` would allow a final newline)
_PLAIN_AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?")  # ASCII digits only: no exponent, sign, NaN or Infinity
_DIGITS_AND_SEPARATORS = re.compile(r"[0-9.,]+")
# Money columns are Numeric(18, 2): 16 digits before the decimal separator.
AMOUNT_MAX_WHOLE_DIGITS = 16
_AMOUNT_MAX_TEXT = 64  # longer than any amount written with grouping dots and a currency
_SHOWN_MAX = 30
RECORD_ID_MAX = 2**31 - 1  # ids are INTEGER columns: a larger number is no record (and PostgreSQL refuses it)


class AmountError(ValueError):
    """Text that is not an amount; ``str(exc)`` (also ``message``) is the Turkish message."""

    @property
    def message(self) -> str:
        return str(self)


def _shown(text: str) -> str:
    """User text as a message may quote it: printable characters only, and short."""
    printable = "".join(char if char.isprintable() else "?" for char in text[: _SHOWN_MAX + 1])
    return printable if len(printable) <= _SHOWN_MAX else printable[:_SHOWN_MAX] + "…"


def format_amount(value: Decimal | None) -> str:
    """7840.8 -> '7.840,80' (tr_TR grouping, always two decimals)."""
    if value is None:
        return ""
    return format_decimal(value.quantize(_CENT, ROUND_HALF_UP), format="#,##0.00", locale="tr_TR")


def parse_amount(text: str) -> Decimal:
    """Read an amount typed the Turkish way ('7.840,80') or the plain way ('7840.80').

    Any text gives a Decimal with two places or an AmountError with a Turkish message: no exponent ('1e26'),
    NaN, Infinity, sign or non-ASCII digit gets through, nor more digits than a money column holds.
    """
    text = text if isinstance(text, str) else ""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if cleaned.upper().endswith(("TL", "TRY")):
        cleaned = cleaned.rstrip("TLRYtlry").strip()
    if not cleaned:
        raise AmountError("Tutar boş olamaz.")
    if cleaned.startswith("-") and cleaned[1:2].isdigit():
        raise AmountError("Tutar sıfırdan küçük olamaz.")
    invalid = AmountError(f"'{_shown(text)}' geçerli bir tutar değil. Örnek: 7.840,80")
    too_big = AmountError(f"Tutar çok büyük: virgülden önce en fazla {AMOUNT_MAX_WHOLE_DIGITS} hane olabilir.")
    if len(cleaned) > _AMOUNT_MAX_TEXT:
        raise too_big if _DIGITS_AND_SEPARATORS.fullmatch(cleaned) else invalid
    if "," in cleaned:
        # The comma is the decimal separator; dots before it group thousands.
        whole, _, fraction = cleaned.rpartition(",")
        if "," in whole or ("." in whole and not _GROUPED.fullmatch(whole)):
            raise invalid
        cleaned = whole.replace(".", "") + "." + fraction
    elif _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")  # 7.840 is seven thousand in Turkish writing
    if not _PLAIN_AMOUNT.fullmatch(cleaned):
        raise invalid
    whole, _, fraction = cleaned.partition(".")
    if len(whole.lstrip("0")) > AMOUNT_MAX_WHOLE_DIGITS:
        raise too_big
    if len(fraction.rstrip("0")) > 2:
        raise AmountError("Tutar en fazla iki ondalık basamak içerebilir.")
    return Decimal(cleaned).quantize(_CENT)


def parse_record_id(text: object) -> int | None:
    """A record id from a form or URL ('42'), or None for anything else: no sign, no non-ASCII digit, no overflow."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= RECORD_ID_MAX else None


def format_plain_amount(value: Decimal) -> str:
    """'7840.80' — the form GİB's lists and success messages use."""
    return f"{value.quantize(_CENT, ROUND_HALF_UP)}"


def format_date(value: date | datetime | None) -> str:
    """2020-01-29, as in the İptal Portalı lists."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ISTANBUL).date()
    return value.isoformat()


def format_timestamp(value: datetime | None) -> str:
    """29-01-2020 14:02:48 in Istanbul time; timestamps are stored in UTC."""
    if value is None:
        return ""
    return value.astimezone(ISTANBUL).strftime("%d-%m-%Y %H:%M:%S")


def format_certificate_time(value: datetime) -> str:
    """19/12/2019 23:08, as the certificate confirmation screen shows validity."""
    return value.astimezone(ISTANBUL).strftime("%d/%m/%Y %H:%M")


def local_today() -> date:
    return datetime.now(ISTANBUL).date()


def register_filters(app) -> None:  # type: ignore[no-untyped-def]
    app.jinja_env.filters.update(
        tutar=format_amount,
        tutar_duz=format_plain_amount,
        tarih=format_date,
        zaman=format_timestamp,
        sertifika_zamani=format_certificate_time,
    )
