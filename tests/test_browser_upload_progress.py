"""Uploads show a progress bar (issue 15): a plain file form is sent with the page's script, which draws a
<progress> while the file travels and then shows the server's answer as the page (here: Faturalar's refusal of a
file that is no invoice). The upload is slowed down in Chromium so the bar can be seen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in, watch_csp

pytestmark = pytest.mark.browser


def test_a_file_upload_shows_its_progress_and_then_the_answer(live_server, browser, demo_pki, tmp_path):
    anadolu = next(t for t in demo_pki.tokens if t.key == "anadolu")
    not_an_invoice = tmp_path / "fatura.xml"
    not_an_invoice.write_bytes(b"<?xml version='1.0'?><Belge>" + b"<Satir>x</Satir>" * 40_000 + b"</Belge>")  # ~640 kB
    context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    try:
        page = context.new_page()
        violations = watch_csp(page)
        log_in(page, live_server.url, anadolu)
        page.goto(live_server.url + "/faturalar/yukle")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1,
                                                        "uploadThroughput": 160 * 1024})
        page.get_by_label("Fatura dosyası (.xml veya .zip)").set_input_files(str(not_an_invoice))
        page.get_by_role("button", name="Yükle").click()
        bar = page.locator("#yukleme-formu progress.upload-progress")
        expect(bar).to_be_visible()
        expect(page.get_by_role("button", name="Yükle")).to_be_disabled()  # no second upload meanwhile
        # the server's answer replaces the page: Faturalar's own message, the form ready again
        expect(page.locator("#form-hatasi")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("button", name="Yükle")).to_be_enabled()
        assert page.url.endswith("/faturalar/yukle")
        assert violations == [], violations
    finally:
        context.close()
