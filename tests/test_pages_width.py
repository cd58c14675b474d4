"""Every page fits an 800 px wide window: the page never scrolls sideways (issue 15); a wide table scrolls inside
its panel. Chromium walks every argument-free GET page (tests/pages.py) logged in with a card, with demo data,
a cancellation request and an objection on record. A failure names the page and the elements that stick out."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.cards import card_choice_from
from app.demo import load_demo_data
from app.formatting import local_today
from app.iptal import operations
from app.iptal.forms import TypedRequest
from app.models import Invoice, ObjectionMethod, PartyRole, RequestKind, Taxpayer
from tests.fixtures.browser import log_in
from tests.pages import argument_free_pages

pytestmark = pytest.mark.browser

STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !scrolls(el)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' → ' + Math.round(box.right) + 'px');
    }
    if (out.length >= 4) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, out};
}"""


def records_on_file(app, demo_pki) -> None:
    """Demo data, plus one iptal request and one objection by Anadolu, so the lists have rows with ETTNs."""
    anadolu = next(t for t in demo_pki.tokens if t.key == "anadolu")
    with app.app_context():
        list(load_demo_data())
        from app.db import get_session

        seller = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == anadolu.owner_id))
        invoices = get_session().scalars(select(Invoice).where(
            Invoice.sender_identifier == seller.identifier, Invoice.profile_id == "TEMELFATURA",
            Invoice.delivered_on >= local_today())).all()[:2]
        card = card_choice_from({"surucu": "SoftHSM", "kart": anadolu.label})
        for invoice, kind in zip(invoices, (RequestKind.IPTAL, RequestKind.ITIRAZ)):
            typed = TypedRequest(kind, PartyRole.SATICI, invoice.number, invoice.payable_amount, "NOTER-2026/55",
                                 invoice.delivered_on, ObjectionMethod.NOTER)
            _, plan = operations.prepare_request(seller, typed)
            operations.create_request(seller, plan, str(uuid.uuid4()), card, anadolu.pin)


def test_no_page_scrolls_sideways_at_800_px(live_server, browser, demo_pki):
    records_on_file(live_server.app, demo_pki)
    context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul", viewport={"width": 800, "height": 900})
    problems, walked = [], 0
    try:
        page = context.new_page()
        log_in(page, live_server.url, next(t for t in demo_pki.tokens if t.key == "anadolu"))
        for path in argument_free_pages(live_server.app):
            response = page.goto(live_server.url + path)
            if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            walked += 1
            found = page.evaluate(STICKING_OUT)
            if found["scrollWidth"] > found["width"] + 1:
                problems.append(f"{path}: page is {found['scrollWidth']} px wide; sticking out: {', '.join(found['out'])}")
    finally:
        context.close()
    assert walked >= 15, f"only {walked} pages answered 200"
    assert problems == [], "pages wider than 800 px:\n" + "\n".join(problems)
