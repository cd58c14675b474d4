"""No page shows a raw code (issue 15): audit kinds, results, GİB states and identifiers have Turkish names.

Walks every argument-free GET page (tests/pages.py) logged in as a taxpayer with demo data, an itiraz and a
cancellation on record, on both databases. A failure names the page and the code, so whoever owns the page can
fix it."""

from __future__ import annotations

import re

from app.audit.labels import ACTION_LABELS, OBJECT_LABELS, RESULT_LABELS
from app.demo import load_demo_data
from app.formatting import format_amount
from app.models import CancellationStatus, Invoice, JobStatus
from tests.iptal.conftest import draft_from
from tests.pages import argument_free_pages, visible_text

SNAKE_CASE = re.compile(r"(?<![\w./:@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])")


def internal_codes() -> set[str]:
    codes = {code for code in (*ACTION_LABELS, *OBJECT_LABELS, *RESULT_LABELS) if "_" in code}
    codes |= {"giris", "ok", "OZEL", "GIBPORTAL", "OZELENTEGRASYON", "SATICI", "ALICI", "mali_muhur", "e_imza"}
    codes |= {status.value for status in CancellationStatus} | {status.value for status in JobStatus}
    return codes


def raw_codes_on(text: str, codes: set[str]) -> list[str]:
    found = {match.group(0) for match in SNAKE_CASE.finditer(text)}
    found |= {code for code in codes if re.search(rf"(?<![\w./:@-]){re.escape(code)}(?![\w./:@-])", text)}
    if "İmza geçerli: İmza geçerli" in text:
        found.add("a doubled 'İmza geçerli:'")
    return sorted(found)


def make_records(client, login_as, party, invoice_factory) -> None:
    """A cancellation and an objection on record, so the lists and İşlem Geçmişi have rows of each kind."""
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    for kind, invoice in (("", invoice_factory(seller, buyer)), ("itiraz/", invoice_factory(seller, buyer))):
        form = seller.card(islem_sahibi="SATICI", fatura_no=invoice.number, tutar=format_amount(invoice.payable_amount),
                           belge_no="T-1", belge_tarihi=invoice.delivered_on.isoformat(), yontem="kep")
        confirm = client.post(f"/FaturaIptal/{kind}talep", data=form)
        assert confirm.status_code == 200, confirm.get_data(as_text=True)[:300]
        final = client.post(f"/FaturaIptal/{kind}talep/onayla",
                            data={"taslak": draft_from(confirm.get_data(as_text=True)), "sifre": seller.token.pin})
        assert final.status_code == 303


def test_no_page_shows_a_raw_code(app, client, login_as, party, invoice_factory, db_session):
    with app.app_context():
        list(load_demo_data())
    make_records(client, login_as, party, invoice_factory)
    codes = internal_codes()
    problems, walked = [], 0
    for path in argument_free_pages(app):
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        walked += 1
        for code in raw_codes_on(visible_text(response.get_data(as_text=True)), codes):
            problems.append(f"{path}: {code}")
    assert walked >= 15, f"only {walked} pages answered 200"
    assert problems == [], "raw codes on pages (page: code):\n" + "\n".join(problems)


def test_the_checker_finds_codes():
    codes = internal_codes()
    assert raw_codes_on("Sonuç: ok · İşlem: iptal_talebi_olusturuldu · Tip: OZEL", codes) == [
        "OZEL", "iptal_talebi_olusturuldu", "ok"]
    assert raw_codes_on("İşlem Başarılı · Onay Bekliyor · https://x.test/a_b c@d_e.com", codes) == []
    assert raw_codes_on("İmza geçerli: İmza geçerli: belge", codes) == ["a doubled 'İmza geçerli:'"]
