"""GİB's yevmiye rules checked while streaming (issue 16): each broken rule is refused, named in GİB's words.

Each case breaks one rule of a good file written by the core writer (which never writes a broken one) and
expects the reader's code and a phrase of the message. Before issue 16 every one of these files read as good.
"""

from __future__ import annotations

import re

import pytest

from app.formats.xbrl.errors import YevmiyeErrorCode as Code
from app.formats.xbrl.model import Branch
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary
from tests.formats.test_xbrl_yevmiye_reader import refusal, yevmiye_bytes

GOOD = yevmiye_bytes(count=5)  # maddeler 101-105 dated 03-01, 03-07, 03-13, 03-19, 03-25; lines 301-315
GC = 'contextRef="journal_context"'


def first(old: str, new: str) -> tuple[str, str, int]:
    return old, new, 1


def every(old: str, new: str) -> tuple[str, str, int]:
    return old, new, -1


CASES = [
    # the three: unbalanced maddeler, a uniqueID of another period, dates running backwards
    ("line amounts do not balance", first(">1000.00<", ">1010.00<"), Code.UNBALANCED,
     "gl-bus:totalCredit değeri, gl-cor:entryDetail elemanı içerisindeki gl-cor:debitCreditCode değeri 'C' ve ya "
     "'credit' olan gl-cor:amount değerlerinin toplamına eşit olmalıdır. Dosyada: totalCredit 1180.00, alacak "
     "kalemleri toplamı 1190.00"),
    ("header totals differ", first(">1180.00</gl-bus:totalCredit>", ">1190.00</gl-bus:totalCredit>"), Code.UNBALANCED,
     "gl-bus:totalDebit elemanının değeri gl-bus:totalCredit elemanının değerine eşit olmalıdır"),
    ("uniqueID of another month", first("YEV202403000001", "YEV202404000001"), Code.UNIQUE_ID,
     "gl-cor:uniqueID elemanındaki dönem bilgisi ile gl-cor:periodCoveredStart elemanındaki dönem bilgisi aynı"),
    ("uniqueID too short", first("YEV202403000001", "YEV2024030001"), Code.UNIQUE_ID, "15 karakterden"),
    ("uniqueID of a kebir", first("YEV202403000001", "KEB202403000001"), Code.UNIQUE_ID, "'YEV' değeri ile başlamalıdır"),
    ("dates run backwards", every("2024-03-13", "2024-03-05"), Code.DATE_ORDER,
     "103 numaralı madde (dosyadaki 3. madde, 5. satır): Yevmiye defteri tarihe göre sıralı olmalıdır. Dosyada: "
     "2024-03-07 tarihli maddeden sonra 2024-03-05"),
    ("a madde outside the period", every("2024-03-25", "2024-04-02"), Code.OUT_OF_PERIOD,
     "gl-cor:enteredDate elemanın değeri 2024-03-01 ile 2024-03-31 değerleri arasında olmalıdır"),
    # document info
    ("period over two months", first(f"<gl-cor:periodCoveredEnd {GC}>2024-03-31", f"<gl-cor:periodCoveredEnd {GC}>2024-04-30"),
     Code.GIB_RULE, "ay bilgisi ile periodCoveredEnd elemanındaki ay bilgisi aynı olmalıdır"),
    ("created before the period ended", first(f"<gl-cor:creationDate {GC}>2024-04-10", f"<gl-cor:creationDate {GC}>2024-03-30"),
     Code.GIB_RULE, "gl-cor:creationDate elemanı gl-cor:periodCoveredEnd elemanından büyük veya eşit olmalıdır"),
    ("no source application", first(">e-Belge Portal<", "> <"), Code.GIB_RULE, "gl-bus:sourceApplication zorunlu"),
    # company information
    ("no web site", first(f"<gl-bus:entityWebSite><gl-bus:webSiteURL {GC}>https://www.ornek.com.tr</gl-bus:webSiteURL>"
                          "</gl-bus:entityWebSite>", ""), Code.GIB_RULE, "gl-bus:entityWebSite zorunlu bir elemandır"),
    ("fiscal year ends before it starts", first("2024-12-31</gl-bus:fiscalYearEnd>", "2023-12-31</gl-bus:fiscalYearEnd>"),
     Code.GIB_RULE, "gl-bus:fiscalYearEnd elemanı gl-bus:fiscalYearStart elemanından büyük olmalıdır"),
    ("company name of a person", first(">Kurum Unvanı<", ">Adı Soyadı<"), Code.GIB_RULE,
     "'Kurum Unvanı' olan bir tane gl-bus:organizationIdentifiers"),
    # maddeler
    ("entered by one letter", first(">Muhasebe Servisi<", ">M<"), Code.GIB_RULE, "en az iki karakter"),
    # lines
    ("line numbers skip", first(f"<gl-cor:lineNumber {GC}>302<", f"<gl-cor:lineNumber {GC}>304<"), Code.COUNTER_GAP,
     "gl-cor:lineNumber müteselsil bir değere sahip olmalıdır. Dosyada: 301 numaralı satırdan sonra 304"),
    ("line of another madde",
     first('unitRef="countable">101</gl-cor:lineNumberCounter>', 'unitRef="countable">102</gl-cor:lineNumberCounter>'),
     Code.GIB_RULE, "gl-cor:lineNumberCounter elemanının değeri bir üst düzeydeki gl-cor:entryNumberCounter"),
    ("posted on another day", first(f"<gl-cor:postingDate {GC}>2024-03-01", f"<gl-cor:postingDate {GC}>2024-03-02"),
     Code.GIB_RULE, "gl-cor:postingDate elemanının değeri bir üst düzeydeki gl-cor:enteredDate"),
    ("two-character account", first(">120</gl-cor:accountMainID>", ">12</gl-cor:accountMainID>"), Code.GIB_RULE,
     "gl-cor:accountMainID zorunlu bir elemandır ve 3 ya da 4 karakter olmalıdır"),
    ("sub-account of another account", first(">120.001<", ">121.001<"), Code.GIB_RULE,
     "gl-cor:accountSubID (alt hesap numarası) elemanı gl-cor:accountMainID (ana hesap numarası) değeri ile başlamalıdır"),
    ("zero amount", first(">180.00</gl-cor:amount>", ">0.00</gl-cor:amount>"), Code.GIB_RULE,
     "gl-cor:amount elemanı 0'dan büyük bir değer almalıdır"),
    ("three decimals", first(">180.00</gl-cor:amount>", ">180.001</gl-cor:amount>"), Code.GIB_RULE,
     "gl-cor:amount virgülden sonra 2 haneden fazla olamaz"),
    ("negative amount", first(">180.00</gl-cor:amount>", ">-180.00</gl-cor:amount>"), Code.GIB_RULE,
     "gl-cor:amount virgülden sonra 2 haneden fazla olamaz"),
    ("neither debit nor credit", first(">D</gl-cor:debitCreditCode>", ">B</gl-cor:debitCreditCode>"), Code.GIB_RULE,
     "gl-cor:debitCreditCode 'D' (borç) ya da 'C' (alacak) olmalıdır"),
    ("reference to another fiş", first(f"<gl-cor:documentReference {GC}>F00000101", f"<gl-cor:documentReference {GC}>F00000999"),
     Code.GIB_RULE, "gl-cor:documentReference elemanının değeri bir üst düzeydeki gl-cor:entryNumber"),
    ("invoice without its number", first(f"<gl-cor:documentNumber {GC}>ORN2024000000101</gl-cor:documentNumber>", ""),
     Code.GIB_RULE, "'invoice' (fatura) olması durumunda gl-cor:documentNumber ve gl-cor:documentDate"),
    ("unknown document type", first(">invoice<", ">fatura<"), Code.GIB_RULE, "gl-cor:documentType XBRL GL'nin belge türlerinden"),
    ("decimals not INF", first('decimals="INF" unitRef="try">1180.00</gl-cor:amount>',
                                'decimals="2" unitRef="try">1180.00</gl-cor:amount>'),
     Code.GIB_RULE, "Belge içerisindeki 'decimals' nitelikleri 'INF' değerini almalıdır"),
]


@pytest.mark.parametrize(("name", "change", "code", "phrase"), CASES, ids=[case[0] for case in CASES])
def test_a_broken_gib_rule_is_refused_and_named(name, change, code, phrase) -> None:
    old, new, count = change
    text = GOOD.decode()
    assert old in text, f"{name}: the good file has no {old!r}"
    broken = text.replace(old, new, count).encode()
    error = refusal(broken)
    assert error.code is code, error.message
    assert phrase in " ".join(error.message.split()), error.message
    assert error.message.startswith(("Yevmiye dosyası GİB'in e-Defter kurallarına uymuyor", "Yevmiye madde numaraları"))


def test_a_madde_of_one_line_is_refused() -> None:
    text = GOOD.decode()
    # drop the two credit lines of madde 101 and make its totals match the one line left: still not a madde
    header = re.search(r"<gl-cor:entryHeader>.*?</gl-cor:entryHeader>", text, flags=re.S).group(0)
    details = re.findall(r"<gl-cor:entryDetail>.*?</gl-cor:entryDetail>", header, flags=re.S)
    lonely = header.replace(details[1], "").replace(details[2], "").replace(
        ">1180.00</gl-bus:totalCredit>", ">0.00</gl-bus:totalCredit>").replace(
        ">1180.00</gl-bus:totalDebit>", ">0.00</gl-bus:totalDebit>")
    error = refusal(text.replace(header, lonely).encode())
    assert error.code is Code.UNBALANCED or "en az iki gl-cor:entryDetail" in error.message


def test_a_branch_number_must_have_four_digits() -> None:
    data = yevmiye_bytes(count=2, branch=Branch("0001", "İzmir")).replace(b">0001<", b">001<", 1)
    assert "Şube no 4 haneli sayısal bir değer olmalıdır" in refusal(data).message


def test_the_good_file_keeps_every_rule() -> None:
    import io

    summary = read_yevmiye_summary(io.BytesIO(GOOD))
    assert (summary.first_entry_counter, summary.last_entry_counter, summary.last_line_number) == (101, 105, "315")
