"""The training room in Chromium (issue 18): the trainer prepares three trainees, a trainee asks to cancel an
invoice, the trainer moves the clock by 8 days, the partner can no longer approve, the trainer resets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.formatting import format_amount
from app.models import Invoice, Trainee
from tests.fixtures.browser import LiveServer, log_in, serve, watch_csp
from tests.test_pages_width import STICKING_OUT

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Card:
    label: str
    pin: str
    owner_name: str


@pytest.fixture
def training_server(tmp_path, demo_pki, training_simulator) -> Iterator[LiveServer]:
    """The portal (own SQLite file, CSRF on) talking to the training simulator, on a real socket."""
    from app.migrate import upgrade
    from tests.conftest import make_test_app
    from tests.databases import sqlite_url

    url = sqlite_url(tmp_path)
    upgrade(url)
    app = make_test_app(url, tmp_path / "instance", demo_pki, WTF_CSRF_ENABLED=True, GIB_URL=training_simulator.base_url)
    server, thread, base_url = serve(app)
    yield LiveServer(app, base_url)
    server.shutdown()
    thread.join(5)
    app.extensions["ebelge.db"].engine.dispose()


def test_trainer_prepares_moves_the_clock_and_resets(training_server, browser, demo_pki):
    base = training_server.url
    contexts = [browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul") for _ in range(3)]
    violations: list[str] = []
    try:
        trainer, seller_page, buyer_page = (context.new_page() for context in contexts)
        for page in (trainer, seller_page, buyer_page):
            violations += watch_csp(page)

        log_in(trainer, base, demo_pki.token("ayse"))
        trainer.get_by_role("link", name="Eğitim").click()
        trainer.get_by_label("Kursiyer sayısı").fill("3")
        trainer.get_by_role("button", name="Sınıfı Hazırla").click()
        expect(trainer.locator("#hazirlik-durumu")).to_contain_text("Tamamlandı")
        expect(trainer.locator("#hazirlik-durumu")).to_contain_text("3 kursiyer kartı hazır.")
        expect(trainer.locator("#ilerleme tbody tr")).to_have_count(3)
        class_page = trainer.url
        for path in (base + "/egitim/", class_page):  # the trainer's pages fit 800 px like every other page
            trainer.set_viewport_size({"width": 800, "height": 900})
            trainer.goto(path)
            found = trainer.evaluate(STICKING_OUT)
            assert found["scrollWidth"] <= found["width"] + 1, (path, found)
        trainer.set_viewport_size({"width": 1280, "height": 900})

        with training_server.app.app_context():
            from app.db import get_session
            from app.formatting import local_today

            session = get_session()
            seller, buyer = session.scalars(select(Trainee).order_by(Trainee.position).limit(2)).all()
            invoice = session.scalars(select(Invoice).where(
                Invoice.sender_identifier == seller.identifier,
                Invoice.delivered_on == local_today() - timedelta(days=3))).one()

        # The trainee asks to cancel an invoice delivered three days ago (inside the 8 days).
        log_in(seller_page, base, Card(seller.token_label, seller.card_pin, seller.unvan))
        seller_page.goto(base + "/FaturaIptal/talep")
        seller_page.get_by_label("Fatura No").fill(invoice.number)
        seller_page.get_by_label("Ödenecek Tutar").fill(format_amount(invoice.payable_amount))
        seller_page.get_by_label("İşlem Sahibini Seçiniz").select_option(label="Satıcı")
        seller_page.get_by_label("Sertifika").select_option(seller.token_label)
        seller_page.get_by_role("button", name="Talep Oluştur").click()
        seller_page.get_by_label("Şifre").fill(seller.card_pin)
        seller_page.get_by_role("button", name="Onayla").click()
        expect(seller_page.get_by_text("başarıyla oluşturul", exact=False).first).to_be_visible()

        # The trainer moves the clock by 8 days: every page says so.
        trainer.get_by_role("button", name="+8 gün").click()
        expect(trainer.locator("#egitim-saati-bandi")).to_contain_text("8 gün ileri")
        expect(trainer.locator("#ilerleme #kursiyer-1 [data-egzersiz='talep']")).to_have_text("✓ Yaptı")

        # The partner can no longer approve.
        log_in(buyer_page, base, Card(buyer.token_label, buyer.card_pin, buyer.unvan))
        expect(buyer_page.locator("#egitim-saati-bandi")).to_be_visible()
        buyer_page.goto(base + "/FaturaIptal/talepler")
        incoming = buyer_page.locator("#gelen")
        expect(incoming).to_contain_text(invoice.number)
        incoming.get_by_label(f"{invoice.number} seç").check()
        buyer_page.get_by_label("Sertifika").select_option(buyer.token_label)
        buyer_page.get_by_role("button", name="Fatura İptal Et").click()
        buyer_page.get_by_label("Şifre").fill(buyer.card_pin)
        buyer_page.get_by_role("button", name="Onayla").click()
        expect(buyer_page.get_by_text("8 gün geçtiği için iptal onayı yapılamaz", exact=False)).to_be_visible()

        # The trainer resets: the clock is real again and the request is gone.
        trainer.get_by_label("Kursiyerlerin bütün çalışmalarının silineceğini anlıyorum.").check()
        trainer.get_by_role("button", name="Sınıfı Sıfırla").click()
        expect(trainer.get_by_text("Sınıf hazırlık hâline döndü.", exact=False)).to_be_visible()
        expect(trainer.locator("#egitim-saati-bandi")).to_have_count(0)
        expect(trainer.locator("#ilerleme #kursiyer-1 [data-egzersiz='talep']")).to_have_text("—")
        # The partner logged in 8 days "later": after the reset that counts for nothing either.
        expect(trainer.locator("#ilerleme #kursiyer-2 [data-egzersiz='giris']")).to_have_text("—")
        log_in(buyer_page, base, Card(buyer.token_label, buyer.card_pin, buyer.unvan))
        buyer_page.goto(base + "/FaturaIptal/talepler")
        expect(buyer_page.locator("#gelen")).not_to_contain_text(invoice.number)
        assert violations == [], violations
    finally:
        for context in contexts:
            context.close()
