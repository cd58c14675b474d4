"""VKN/TCKN check digits (app.identifiers, shared with the Taxpayer model)."""

from __future__ import annotations

import pytest

from app.identifiers import InvalidIdentifier, is_valid_tckn, is_valid_vkn, kind_of_identifier, tckn_check_digits, vkn_check_digit
from app.signing.demo_pki import DEFAULT_DEMO_TAXPAYERS


def identifier_kind(value: str) -> str | None:
    try:
        return kind_of_identifier(value)
    except InvalidIdentifier:
        return None


@pytest.mark.parametrize("vkn", ["9000068418", "3900383669"])  # GİB's test VKN and GİB's own
def test_known_vkns_are_valid(vkn):
    assert is_valid_vkn(vkn) and identifier_kind(vkn) == "VKN"


@pytest.mark.parametrize("tckn", ["10000000146"])
def test_known_tckn_is_valid(tckn):
    assert is_valid_tckn(tckn) and identifier_kind(tckn) == "TCKN"


def test_every_single_digit_change_of_a_vkn_is_caught_by_the_check_digit():
    vkn = "9000068418"
    for position in range(10):
        for digit in "0123456789":
            changed = vkn[:position] + digit + vkn[position + 1 :]
            assert is_valid_vkn(changed) == (changed == vkn)


def test_generated_check_digits_make_valid_identifiers():
    for first_nine in ("123456789", "000000001", "482130756", "999999999"):
        assert is_valid_vkn(first_nine + vkn_check_digit(first_nine))
    for first_nine in ("100000001", "347215908", "999999999"):
        assert is_valid_tckn(first_nine + tckn_check_digits(first_nine))


@pytest.mark.parametrize(
    "value", ["", "900006841", "90000684180", "900006841X", "１２３４５６７８９０", "9000068419", "01234567890", "10000000147"]
)
def test_invalid_values(value):
    assert not is_valid_vkn(value) and not is_valid_tckn(value)
    assert identifier_kind(value) is None


def test_tckn_cannot_start_with_zero():
    with pytest.raises(ValueError, match="sıfır"):
        tckn_check_digits("012345678")


def test_demo_taxpayers_have_valid_identifiers():
    for taxpayer in DEFAULT_DEMO_TAXPAYERS:
        assert identifier_kind(taxpayer.owner_id) == ("VKN" if taxpayer.kind == "mali_muhur" else "TCKN")
