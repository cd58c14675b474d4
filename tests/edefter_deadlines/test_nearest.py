"""The nearest berat deadline on the home pages agrees with Defter Dönemleri: the same extension when GİB extended
for everyone and for companies, and a branch's unsent month still due."""

from __future__ import annotations

from datetime import date

from app.edefter.deadlines.calendar import add_extension
from app.models import ExtensionScope, JournalPeriodState
from tests.edefter_deadlines.conftest import row_text, visible_text

DAY = date(2026, 12, 8)


def test_the_later_of_two_extensions_on_the_home_page_as_on_defter_donemleri(app, client, login_as, party,
                                                                              on_edefter, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 8, 1))
    with app.app_context():
        add_extension(2026, 8, ExtensionScope.CORPORATE, date(2026, 12, 24), "VUK-301 sayılı duyuru")
        add_extension(2026, 8, ExtensionScope.ALL, date(2026, 12, 31), "VUK-302 sayılı duyuru")
    today_is(DAY)
    login_as(anadolu.taxpayer)
    dashboard = row_text(client.get("/defter-donemleri/").get_data(as_text=True), "donem-202608-merkez")
    assert "31.12.2026 Yasal süre 14.12.2026; GİB duyurusu: VUK-302 sayılı duyuru" in dashboard
    home = visible_text(client.get("/").get_data(as_text=True))
    assert "08/2026 dönemi berat yükleme son günü: 31.12.2026 (23 gün kaldı)" in home


def test_a_branchs_unsent_month_is_still_the_nearest_deadline(app, client, db_session, login_as, party, on_edefter,
                                                             period_row, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 8, 1), branches=(("0001", "Bornova Şubesi"),))
    period_row(anadolu.taxpayer, 2026, 8, JournalPeriodState.SENT)  # the company's own ledger only
    branch = period_row(anadolu.taxpayer, 2026, 8, JournalPeriodState.SIGNED, branch_code="0001")
    today_is(DAY)
    login_as(anadolu.taxpayer)
    home = visible_text(client.get("/").get_data(as_text=True))
    assert "08/2026 dönemi berat yükleme son günü: 14.12.2026 (6 gün kaldı)" in home
    branch.state = JournalPeriodState.SENT
    db_session.commit()
    home = visible_text(client.get("/").get_data(as_text=True))
    assert "09/2026 dönemi berat yükleme son günü: 14.01.2027 (37 gün kaldı)" in home
