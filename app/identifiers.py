"""Turkish tax identifiers for the portal: validation with a Turkish reason, demo/test helpers.

The check-digit rules themselves live in ``app.signing.identifiers`` (the certificate parser
needs them without the rest of the portal).
"""

from __future__ import annotations

from app.signing.identifiers import is_valid_tckn, is_valid_vkn, tckn_check_digits, vkn_check_digit

__all__ = ["InvalidIdentifier", "is_valid_tckn", "is_valid_vkn", "kind_of_identifier", "make_tckn", "make_vkn"]


class InvalidIdentifier(ValueError):
    """An identifier that is not a valid VKN or TCKN; ``str(exc)`` is the Turkish message."""

    @property
    def message(self) -> str:
        return str(self)


def kind_of_identifier(value: str) -> str:
    """Return "VKN" or "TCKN" for a valid identifier; raise InvalidIdentifier with the reason."""
    value = value or ""
    if not (value.isascii() and value.isdigit()):
        raise InvalidIdentifier("VKN/TCKN yalnızca rakamlardan oluşmalıdır.")
    if len(value) == 10:
        if not is_valid_vkn(value):
            raise InvalidIdentifier(f"{value} geçerli bir vergi kimlik numarası değil (kontrol hanesi tutmuyor).")
        return "VKN"
    if len(value) == 11:
        if value[0] == "0":
            raise InvalidIdentifier("T.C. kimlik numarası 0 ile başlayamaz.")
        if not is_valid_tckn(value):
            raise InvalidIdentifier(f"{value} geçerli bir T.C. kimlik numarası değil (kontrol haneleri tutmuyor).")
        return "TCKN"
    raise InvalidIdentifier("VKN 10, TCKN 11 haneli olmalıdır.")


def make_vkn(first_nine: str) -> str:
    """Complete nine digits into a valid VKN (demo data, tests)."""
    return first_nine + vkn_check_digit(first_nine)


def make_tckn(first_nine: str) -> str:
    """Complete nine digits (first not 0) into a valid TCKN (demo data, tests)."""
    return first_nine + tckn_check_digits(first_nine)
