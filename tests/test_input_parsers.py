"""Every parser of user text answers any text with a value or a Turkish refusal, never another exception (issue 16).

Hypothesis feeds arbitrary text (and a fixed hostile corpus) to the amount, date, VKN/TCKN, invoice number and
record-id parsers and to the form field reader the e-Defter screens use.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.edefter.company.forms import FieldReader, FormInvalid, parse_date
from app.formatting import AmountError, format_amount, parse_amount, parse_record_id
from app.identifiers import InvalidIdentifier, kind_of_identifier, make_tckn, make_vkn
from app.invoices.queries import InvoiceFilter
from app.iptal.rules import check_invoice_number
from app.refusals import Refused

PROPERTY = settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE = [
    "", " ", "1e26", "1E+26", "9" * 27, "9" * 5000, "NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "-0",
    "-7.840,80", "+5", "0x10", "1_000", "../../etc/passwd", "a\x00b", "\x00", "٣٤٥", "１２３", "7.840,80\n",
    "\n7840", "7,840.80", "1.2.3", ",", ".", "TL", "100 TL", "' OR 1=1 --", "<script>", "\ud800", "🙂" * 100,
    "x" * 100_000, "31.02.2024", "2024-02-30", "0000-00-00", "99.99.9999", "2024-W01-1",
]

# Text a person can read as Turkish: a Turkish letter or one of the words our refusals end with.
_TURKISH = re.compile(r"[çğıöşüÇĞİÖŞÜ]|olmalı|değil|olamaz|olabilir|giriniz|seçiniz|tutmuyor|en fazla|en az")


def assert_turkish(message: str) -> None:
    assert isinstance(message, str) and message.strip(), "a refusal without a message"
    assert _TURKISH.search(message), f"not a Turkish message: {message!r}"
    assert "\x00" not in message and len(message) < 400  # never the user's whole hostile text echoed back


def text_strategy() -> st.SearchStrategy[str]:
    amounts = st.from_regex(r"-?[0-9]{0,30}([.,][0-9]{0,5}){0,3}( ?TL)?", fullmatch=True)
    return st.one_of(st.text(), amounts, st.sampled_from(HOSTILE), st.text(alphabet="0123456789.,-eE+ ", max_size=40))


@PROPERTY
@given(text_strategy())
@example("1e26")
@example("9" * 27)
@example("NaN")
@example("Infinity")
def test_parse_amount_gives_an_amount_or_a_turkish_refusal(text: str) -> None:
    try:
        amount = parse_amount(text)
    except AmountError as refusal:
        assert_turkish(refusal.message)
        return
    assert isinstance(amount, Decimal) and amount.is_finite() and amount >= 0
    assert amount == amount.quantize(Decimal("0.01"))
    assert len(str(amount).partition(".")[0]) <= 16  # fits Numeric(18, 2)
    assert parse_amount(format_amount(amount)) == amount  # what the portal writes, it reads back


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e26", "geçerli bir tutar değil"),
        ("9" * 27, "Tutar çok büyük"),
        ("9" * 5000, "Tutar çok büyük"),
        ("NaN", "geçerli bir tutar değil"),
        ("Infinity", "geçerli bir tutar değil"),
        ("-5", "sıfırdan küçük olamaz"),
        ("0,001", "iki ondalık"),
        ("", "boş olamaz"),
    ],
)
def test_amount_refusals_name_the_mistake(text: str, expected: str) -> None:
    with pytest.raises(AmountError, match=expected):
        parse_amount(text)


@pytest.mark.parametrize(("text", "value"), [("7.840,80", "7840.80"), ("7840.80", "7840.80"), ("1.000", "1000.00"),
                                             ("12 TL", "12.00"), ("9999999999999999,99", "9999999999999999.99")])
def test_amounts_people_type_are_read(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@PROPERTY
@given(text_strategy())
def test_record_ids_are_small_positive_ascii_integers_or_nothing(text: str) -> None:
    value = parse_record_id(text)
    assert value is None or (isinstance(value, int) and 0 < value < 2**63)


@PROPERTY
@given(st.one_of(text_strategy(), st.from_regex(r"[0-9]{9,12}", fullmatch=True)))
@example(make_vkn("482130756"))
@example(make_tckn("347215908"))
def test_vkn_tckn_check_gives_the_kind_or_a_turkish_refusal(text: str) -> None:
    try:
        kind = kind_of_identifier(text)
    except InvalidIdentifier as refusal:
        assert_turkish(refusal.message)
        return
    assert kind in {"VKN", "TCKN"}


@PROPERTY
@given(st.one_of(text_strategy(), st.from_regex(r"[A-Za-z0-9ıİ]{3}20[0-9]{11}\s*", fullmatch=True)))
@example("ANA2026000000001")
@example("ana2026000000001\n")
def test_invoice_number_check_gives_the_number_or_a_turkish_refusal(text: str) -> None:
    try:
        number = check_invoice_number(text)
    except Refused as refusal:
        assert_turkish(refusal.message)
        return
    assert re.fullmatch(r"[A-Z0-9]{3}20[0-9]{11}", number)


@PROPERTY
@given(text_strategy())
@example("31.01.2024")
@example("2024-02-30")
def test_form_dates_are_a_date_or_none(text: str) -> None:
    value = parse_date(text)
    assert value is None or isinstance(value, date)


@PROPERTY
@given(st.dictionaries(st.sampled_from(["ad", "tarih", "sayi", "secim"]), text_strategy(), max_size=4))
def test_the_form_field_reader_collects_turkish_messages(form: dict[str, str]) -> None:
    from app.models.edefter import PeriodKind  # an enum the e-Defter forms choose from

    reader = FieldReader(form)
    reader.text("ad", "Unvan", max_length=50)
    reader.date("tarih", "Başlangıç tarihi")
    reader.integer("sayi", "Şube sayısı", 1, 9999)
    reader.choice("secim", "Hesap dönemi türünü", PeriodKind)
    try:
        reader.done()
    except FormInvalid as invalid:
        for message in invalid.errors.values():
            assert_turkish(message)


@PROPERTY
@given(st.dictionaries(st.sampled_from(["yon", "ara", "baslangic", "bitis"]), text_strategy(), max_size=4))
def test_the_invoice_list_filter_reads_any_query_string(args: dict[str, str]) -> None:
    wanted, message = InvoiceFilter.from_args(args)
    assert isinstance(wanted, InvoiceFilter)
    if message is not None:
        assert_turkish(message)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1e26", "geçerli bir tutar değil"), ("9" * 27, "Tutar çok büyük"), ("NaN", "geçerli bir tutar değil"),
     ("Infinity", "geçerli bir tutar değil"), ("-1", "sıfırdan küçük olamaz")],
)
def test_the_cancellation_form_explains_every_odd_amount(client, login_as, party, invoice_factory, typed, expected):
    """Issue 16's 500: "Ödenecek Tutar" 1e26 or 27 digits on the İptal Portalı form (both databases)."""
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    response = client.post("/FaturaIptal/talep", data=seller.card(islem_sahibi="SATICI", fatura_no=invoice.number, tutar=typed))
    assert response.status_code == 422
    assert expected in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_is_refused_in_turkish(client, login_as, party):
    login_as(party("anadolu").taxpayer)
    response = client.post("/edefter/subeler", data={"sube_kodu": "0001", "sube_adi": "Merkez\x00Şube"})
    assert response.status_code == 400
    assert "İstek anlaşılamadı" in response.get_data(as_text=True)


@PROPERTY
@given(prefix=text_strategy(), domain=st.one_of(text_strategy(), st.from_regex(r"[a-z0-9.-]{1,30}", fullmatch=True)))
@example(prefix="default", domain="firma.com.tr")
@example(prefix="usergb", domain="firma.com.tr")
def test_label_prefix_and_domain_give_aliases_or_a_turkish_refusal(prefix: str, domain: str) -> None:
    """Hizmet Aktivasyonu's "Etiket Ön Eki" + "Şirket Alan Adı" (the portal's only alias syntax typed by people)."""
    from app.formats.gib.user_account import ALIAS_PATTERN
    from app.integrator.catalogue import PRODUCTS
    from app.integrator.rules import build_aliases

    for product in PRODUCTS:
        try:
            aliases = build_aliases(product, prefix, domain)
        except Refused as refusal:
            assert refusal.message.strip() and _TURKISH.search(refusal.message)
            continue
        assert aliases and all(ALIAS_PATTERN.match(alias) and len(alias) <= 250 for _, alias in aliases)
