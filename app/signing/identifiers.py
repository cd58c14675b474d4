"""Turkish tax identifiers: VKN (10 digits, companies) and TCKN (11 digits, persons).

Pure functions used by the certificate parser, the demo PKI and the Taxpayer model.
Algorithms as documented in GIB-FORMATS.md §8.
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


def is_valid_vkn_or_tckn(value: str) -> bool:
    """True for a valid VKN (10 digits) or TCKN (11 digits)."""
    return is_valid_vkn(value) or is_valid_tckn(value)


def identifier_kind(value: str) -> str | None:
    """'VKN', 'TCKN' or None when the value is neither."""
    if is_valid_vkn(value):
        return "VKN"
    if is_valid_tckn(value):
        return "TCKN"
    return None
