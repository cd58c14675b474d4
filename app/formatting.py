"""Turkish display and input formats for money, dates and timestamps (as on GİB's portals)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

ISTANBUL = ZoneInfo("Europe/Istanbul")
_CENT = Decimal("0.01")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


class AmountError(ValueError):
    """Text that is not an amount; ``str(exc)`` is the Turkish message."""


def format_amount(value: Decimal | None) -> str:
    """7840.8 -> '7.840,80' (tr_TR grouping, always two decimals)."""
    if value is None:
        return ""
    return format_decimal(value.quantize(_CENT, ROUND_HALF_UP), format="#,##0.00", locale="tr_TR")


def parse_amount(text: str) -> Decimal:
    """Read an amount typed the Turkish way ('7.840,80') or the plain way ('7840.80')."""
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if cleaned.upper().endswith(("TL", "TRY")):
        cleaned = cleaned.rstrip("TLRYtlry").strip()
    if not cleaned:
        raise AmountError("Tutar boş olamaz.")
    if "," in cleaned:
        # The comma is the decimal separator; dots before it group thousands.
        whole, _, fraction = cleaned.rpartition(",")
        if "," in whole or ("." in whole and not _GROUPED.match(whole)):
            raise AmountError(f"'{text}' geçerli bir tutar değil. Örnek: 7.840,80")
        cleaned = whole.replace(".", "") + "." + fraction
    elif _GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "")  # 7.840 is seven thousand in Turkish writing
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise AmountError(f"'{text}' geçerli bir tutar değil. Örnek: 7.840,80") from None
    if not amount.is_finite() or amount < 0:
        raise AmountError("Tutar sıfırdan küçük olamaz.")
    if amount != amount.quantize(_CENT):
        raise AmountError("Tutar en fazla iki ondalık basamak içerebilir.")
    return amount.quantize(_CENT)


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
