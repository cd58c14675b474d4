"""The home page in a real browser: menu visible, htmx loaded from the portal."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_page_shows_the_menu_with_htmx_from_the_app(live_server, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Ana menü")
    for label in ("Ana Sayfa", "İptal/İtiraz Portalı", "Faturalar", "Yönetim", "e-Defter"):
        expect(menu.get_by_text(label)).to_be_visible()
    assert page.evaluate("window.htmx && window.htmx.version").startswith("2.0.")
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_keyboard_user_can_skip_to_the_content(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_text("İçeriğe geç")).to_be_focused()
