"""Turkish tax identifiers: VKN (10 digits, companies) and TCKN (11 digits, persons).

The check-digit rules are GİB's (VKN) and the population registry's (TCKN).
"""

from __future__ import annotations


class InvalidIdentifier(ValueError):
    """An identifier that is not a valid VKN or TCKN; ``str(exc)`` is the Turkish message."""

    @property
    def message(self) -> str:
        return str(self)


def vkn_check_digit(first_nine: str) -> int:
    total = 0
    for i, char in enumerate(first_nine):
        t = (int(char) + 9 - i) % 10
        if t == 9:
            p = 9
        elif t == 0:
            p = 0
        else:
            p = (t * 2 ** (9 - i)) % 9
        total += p
    return (10 - total % 10) % 10


def tckn_check_digits(first_nine: str) -> tuple[int, int]:
    d = [int(c) for c in first_nine]
    tenth = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    eleventh = (sum(d) + tenth) % 10
    return tenth, eleventh


def is_valid_vkn(value: str) -> bool:
    return len(value) == 10 and value.isascii() and value.isdigit() and int(value[9]) == vkn_check_digit(value[:9])


def is_valid_tckn(value: str) -> bool:
    if len(value) != 11 or not (value.isascii() and value.isdigit()) or value[0] == "0":
        return False
    return (int(value[9]), int(value[10])) == tckn_check_digits(value[:9])


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
    return first_nine + str(vkn_check_digit(first_nine))


def make_tckn(first_nine: str) -> str:
    """Complete nine digits (first not 0) into a valid TCKN (demo data, tests)."""
    tenth, eleventh = tckn_check_digits(first_nine)
    return f"{first_nine}{tenth}{eleventh}"
