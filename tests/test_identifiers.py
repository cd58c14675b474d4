"""VKN/TCKN check digits, as GİB and the population registry define them."""

import pytest

from app.identifiers import InvalidIdentifier, is_valid_tckn, is_valid_vkn, kind_of_identifier, make_tckn, make_vkn
from app.models import Taxpayer, TaxpayerKind


@pytest.mark.parametrize("vkn", ["9000068418", "3900383669", make_vkn("123456789"), make_vkn("000000001")])
def test_valid_vkn(vkn):
    assert is_valid_vkn(vkn)
    assert kind_of_identifier(vkn) == "VKN"


@pytest.mark.parametrize("tckn", ["10000000146", make_tckn("120000001"), make_tckn("987654321")])
def test_valid_tckn(tckn):
    assert is_valid_tckn(tckn)
    assert kind_of_identifier(tckn) == "TCKN"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9000068419", "kontrol hanesi"),
        ("3900383660", "kontrol hanesi"),
        ("10000000147", "kontrol haneleri"),
        ("10000000156", "kontrol haneleri"),
        ("01234567890", "0 ile başlayamaz"),
        ("900006841", "10, TCKN 11 haneli"),
        ("900006841800", "10, TCKN 11 haneli"),
        ("90000684A8", "yalnızca rakam"),
        ("９０００068418", "yalnızca rakam"),  # full-width digits are not digits here
        ("", "yalnızca rakam"),
    ],
)
def test_invalid_identifiers_are_refused_with_the_reason(value, message):
    with pytest.raises(InvalidIdentifier, match=message):
        kind_of_identifier(value)


def test_taxpayer_kind_follows_the_identifier():
    assert Taxpayer(identifier="9000068418", unvan="A").kind is TaxpayerKind.TUZEL
    assert Taxpayer(identifier="10000000146", unvan="B").kind is TaxpayerKind.GERCEK


def test_taxpayer_refuses_a_wrong_identifier():
    with pytest.raises(InvalidIdentifier):
        Taxpayer(identifier="1234567891", unvan="X")
