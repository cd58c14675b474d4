"""Turkish tax identifiers, their one home: VKN (10 digits, companies) and TCKN (11 digits, persons).

Check digits as documented in GIB-FORMATS.md §8, validation with a Turkish reason, demo/test helpers.
A leaf module (no imports of the portal): the certificate parser in ``app.signing`` uses it too.
"""

from __future__ import annotations


def vkn_check_digit(first_nine: str) -> str:
    """Return the tenth (check) digit of a VKN whose first nine digits are given."""
    if len(first_nine) != 9 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("VKN'nin ilk dokuz hanesi rakam olmalıdır")
    total = 0
    for position, char in enumerate(first_nine):
        shifted = (int(char) + 9 - position) % 10
        if shifted == 0:
            weighted = 0
        elif shifted == 9:
            weighted = 9
        else:
            weighted = (shifted * 2 ** (9 - position)) % 9
        total += weighted
    return str((10 - total % 10) % 10)


def is_valid_vkn(value: str) -> bool:
    """True for a 10-digit VKN whose check digit is right."""
    if len(value) != 10 or not value.isascii() or not value.isdigit():
        return False
    return vkn_check_digit(value[:9]) == value[9]


def tckn_check_digits(first_nine: str) -> str:
    """Return the two check digits (10th and 11th) of a TCKN whose first nine digits are given."""
    if len(first_nine) != 9 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("TCKN'nin ilk dokuz hanesi rakam olmalıdır")
    if first_nine[0] == "0":
        raise ValueError("TCKN sıfır ile başlayamaz")
    digits = [int(c) for c in first_nine]
    odd_sum = sum(digits[0:9:2])  # 1st, 3rd, 5th, 7th, 9th
    even_sum = sum(digits[1:8:2])  # 2nd, 4th, 6th, 8th
    tenth = (odd_sum * 7 - even_sum) % 10
    eleventh = (sum(digits) + tenth) % 10
    return f"{tenth}{eleventh}"


def is_valid_tckn(value: str) -> bool:
    """True for an 11-digit TCKN (not starting with 0) whose two check digits are right."""
    if len(value) != 11 or not value.isascii() or not value.isdigit() or value[0] == "0":
        return False
    return tckn_check_digits(value[:9]) == value[9:]


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
