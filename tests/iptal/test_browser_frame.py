"""The page frame in Chromium (issue 15): a message from the last action goes away with the next htmx action,
and the breadcrumb and Hesabım are where a clerk looks for them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in, watch_csp

pytestmark = pytest.mark.browser


def test_an_old_message_is_cleared_by_the_next_htmx_action(live_server, browser, demo_pki):
    anadolu = next(t for t in demo_pki.tokens if t.key == "anadolu")
    context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    try:
        page = context.new_page()
        violations = watch_csp(page)
        log_in(page, live_server.url, anadolu)
        page.goto(live_server.url + "/FaturaIptal/talepler")
        page.get_by_role("button", name="Seçilen Talepleri Sil").click()  # nothing ticked
        warning = page.locator("#flash-area").get_by_text("Silmek istediğiniz talepleri seçiniz.")
        expect(warning).to_be_visible()
        page.get_by_role("button", name="Listele").click()  # an htmx action: the lists are swapped in place
        expect(warning).to_have_count(0)
        expect(page.get_by_role("heading", name="İptal Edilmesini Talep Ettiğiniz Faturalar")).to_be_visible()

        nav = page.get_by_role("navigation", name="Ana menü")
        nav.get_by_role("link", name="Hesabım").click()
        expect(nav.get_by_role("link", name="Hesabım")).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("navigation", name="Bulunduğunuz yer")).to_contain_text("Hesabım")
        assert violations == [], violations
    finally:
        context.close()
