"""Turkish display and input formats for money, dates and timestamps (as on GİB's portals)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from app import clock

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


_FORM_DATE = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_form_date(text: object, field: str = "Tarih") -> date:
    """'29.01.2020' (typed) or '2020-01-29' (a date input's value) -> date; a Turkish ValueError otherwise."""
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise ValueError(f"{field} giriniz (GG.AA.YYYY).")
    turkish, iso = _FORM_DATE.fullmatch(value), _ISO_DATE.fullmatch(value)
    try:
        if turkish:
            return date(int(turkish.group(3)), int(turkish.group(2)), int(turkish.group(1)))
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        pass
    raise ValueError(f"{field} {_shown(value)!r} geçerli bir tarih değil; GG.AA.YYYY biçiminde giriniz.")


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
    """23/11/2020 08:53: the certificate block is shown exactly as GİB's confirmation screen shows it."""
    return value.astimezone(ISTANBUL).strftime("%d/%m/%Y %H:%M")


def format_form_date(value: date | datetime | None) -> str:
    """29.01.2020: dates in forms, confirmations and messages (lists keep GİB's 2020-01-29)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ISTANBUL).date()
    return value.strftime("%d.%m.%Y")


def format_form_timestamp(value: datetime | None) -> str:
    """29.01.2020 14:02 in Istanbul time, for forms and messages."""
    if value is None:
        return ""
    return value.astimezone(ISTANBUL).strftime("%d.%m.%Y %H:%M")


def format_money(value: Decimal | None, currency: str = "TRY") -> str:
    """'7.840,80 TL': an amount in a form or message (TRY is written TL, as on GİB's screens)."""
    if value is None:
        return ""
    return f"{format_amount(value)} {'TL' if currency in ('TRY', 'TL') else currency}"


_PROVIDER_VERSION = re.compile(r"\s+-\s+S([0-9]+)$")


def format_provider(issuer: str) -> str:
    """'… Hizmet Sağlayıcısı - S2' -> '… Hizmet Sağlayıcısı - Sürüm 2', as GİB's certificate block writes it."""
    return _PROVIDER_VERSION.sub(lambda m: f" - Sürüm {m.group(1)}", issuer or "")


def format_serial(serial_hex: str) -> str:
    """A certificate serial in decimal, as GİB shows it (stored and logged in hex)."""
    try:
        return str(int(serial_hex.replace(":", ""), 16))
    except (AttributeError, ValueError):
        return serial_hex or ""


# GİB's codes for registry entries, as the screens name them (no raw code on a page, issue 15).
GIB_CODE_NAMES = {
    "OZEL": "Özel",
    "KAMU": "Kamu",
    "GIBPORTAL": "GİB Portal",
    "ENTEGRASYON": "Entegrasyon",
    "OZELENTEGRASYON": "Özel Entegrasyon",
    "PK": "Posta Kutusu (PK)",
    "GB": "Gönderici Birim (GB)",
}


def format_gib_code(code: str | None) -> str:
    return GIB_CODE_NAMES.get(code or "", code or "")


MONTH_NAMES = ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
               "Aralık")


def format_month(year: int, month: int) -> str:
    """"Ocak 2026": a month as the portal's screens and handouts name it."""
    return f"{MONTH_NAMES[month - 1]} {year}"


def local_today() -> date:
    """Today in Istanbul as the portal sees it (the training clock applied, decision note 0130)."""
    return clock.today()


def register_filters(app) -> None:  # type: ignore[no-untyped-def]
    app.jinja_env.filters.update(
        tutar=format_amount,
        tutar_duz=format_plain_amount,
        tarih=format_date,
        zaman=format_timestamp,
        sertifika_zamani=format_certificate_time,
        tarih_tr=format_form_date,
        zaman_tr=format_form_timestamp,
        para=format_money,
        saglayici=format_provider,
        seri_no=format_serial,
        gib_adi=format_gib_code,
    )
