"""Berat deadlines after Tebliğ 5 (GIB-FORMATS §9): monthly and quarterly, companies and persons, December, weekends,
holidays entered by an administrator, and GİB's extensions entered the same way."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.edefter.deadlines import berat_deadline
from app.edefter.deadlines.calendar import CalendarRefused, add_extension, add_holiday, deadline_of
from app.models import AuditEvent, ExtensionScope, Taxpayer


@pytest.mark.parametrize(
    ("year", "month", "quarterly", "corporate", "legal", "due"),
    [
        (2026, 1, False, True, date(2026, 5, 14), date(2026, 5, 14)),  # Thursday
        (2026, 1, False, False, date(2026, 5, 10), date(2026, 5, 11)),  # Sunday → Monday
        (2026, 7, False, True, date(2026, 11, 14), date(2026, 11, 16)),  # Saturday → Monday
        (2026, 8, False, True, date(2026, 12, 14), date(2026, 12, 14)),
        (2026, 9, False, True, date(2027, 1, 14), date(2027, 1, 14)),  # across the year
        (2026, 12, False, True, date(2027, 5, 14), date(2027, 5, 14)),  # December: 14 May
        (2026, 12, False, False, date(2027, 4, 10), date(2027, 4, 12)),  # December, persons: 10 April (Saturday)
        (2026, 2, True, True, date(2026, 6, 14), date(2026, 6, 15)),  # Q1 → June
        (2026, 5, True, False, date(2026, 9, 10), date(2026, 9, 10)),  # Q2 → September
        (2026, 9, True, True, date(2026, 12, 14), date(2026, 12, 14)),  # Q3 → December
        (2026, 10, True, True, date(2027, 5, 14), date(2027, 5, 14)),  # Q4 as December
    ],
)
def test_the_legal_date_and_the_working_day(year, month, quarterly, corporate, legal, due):
    deadline = berat_deadline(year, month, quarterly=quarterly, corporate=corporate)
    assert (deadline.legal_date, deadline.due) == (legal, due)
    assert (deadline.due == deadline.legal_date) == (deadline.moved_because is None)


def test_quarterly_periods_cover_their_quarter():
    deadline = berat_deadline(2026, 5, quarterly=True, corporate=True)
    assert (deadline.period_start, deadline.period_end) == (date(2026, 4, 1), date(2026, 6, 30))


def test_a_fixed_holiday_and_a_weekend_after_it_move_the_date_together():
    # 2027-04-10 is a Saturday; a declared holiday on Monday 12th pushes it to Tuesday 13th.
    deadline = berat_deadline(2026, 12, quarterly=False, corporate=False, holidays=[(date(2027, 4, 12), "Bayram")])
    assert deadline.due == date(2027, 4, 13)
    assert deadline.moved_because == "10.04.2027 hafta sonu"
    # June 2026's berats are due 14 October; its secondary copy 15 days later would be 29 October, Cumhuriyet Bayramı.
    assert berat_deadline(2026, 6, quarterly=False, corporate=True).secondary_copy_due == date(2026, 10, 30)


def test_the_secondary_copy_is_fifteen_days_after_on_a_working_day():
    deadline = berat_deadline(2026, 12, quarterly=False, corporate=True)
    assert deadline.secondary_copy_due == date(2027, 5, 31)  # 29 May is a Saturday


def test_holidays_and_extensions_entered_by_an_administrator_take_effect(app, db_session, taxpayer_factory):
    company = taxpayer_factory("4821307561", "ANADOLU TEKSTİL A.Ş.")
    person = taxpayer_factory("10000000146", "Ali Veli")
    db_session.commit()
    with app.app_context():
        assert deadline_of(company, 2026, 1).due == date(2026, 5, 14)
        add_holiday(date(2026, 5, 14), "Örnek ilan edilmiş tatil")
        moved = deadline_of(company, 2026, 1)
        assert moved.due == date(2026, 5, 15) and "Örnek ilan edilmiş tatil" in moved.moved_because
        add_extension(2026, 1, ExtensionScope.CORPORATE, date(2026, 6, 1), "VUK-200/2026-1 sayılı duyuru")
        extended = deadline_of(company, 2026, 1)
        assert extended.due == date(2026, 6, 1) and "VUK-200/2026-1" in extended.moved_because
        assert deadline_of(person, 2026, 1).due == date(2026, 5, 11)  # the extension was for companies only
        with pytest.raises(CalendarRefused, match="zaten"):
            add_extension(2026, 1, ExtensionScope.CORPORATE, date(2026, 6, 5), "ikinci")
        with pytest.raises(CalendarRefused, match="zaten tatil"):
            add_holiday(date(2026, 5, 14), "yine")
    db_session.expire_all()
    actions = db_session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "takvim")).all()
    assert sorted(actions) == ["berat_suresi_uzatildi", "resmi_tatil_eklendi"]


def test_the_takvim_commands(app, db_session, taxpayer_factory):
    taxpayer_factory("4821307561", "ANADOLU TEKSTİL A.Ş.")
    db_session.commit()
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["takvim", "berat-suresi", "4821307561", "2026-07"])
    assert shown.exit_code == 0, shown.output
    assert "Berat yükleme son günü: 16.11.2026 (yasal süre 14.11.2026; 14.11.2026 hafta sonu)" in shown.output
    added = runner.invoke(args=["takvim", "sure-uzat", "2026-07", "--yeni-sure", "30.11.2026",
                                "--duyuru", "VUK-201 sayılı duyuru"])
    assert added.exit_code == 0 and "30.11.2026 olarak kaydedildi" in added.output
    assert "Berat yükleme son günü: 30.11.2026" in runner.invoke(
        args=["takvim", "berat-suresi", "4821307561", "2026-07"]).output
    bad = runner.invoke(args=["takvim", "tatil-ekle", "31.02.2026", "Yanlış"])
    assert bad.exit_code != 0 and "bir tarih değil" in bad.output
    unknown = runner.invoke(args=["takvim", "berat-suresi", "1111111111", "2026-07"])
    assert unknown.exit_code != 0 and "kayıtlı değil" in unknown.output
    assert db_session.scalar(select(Taxpayer).where(Taxpayer.identifier == "4821307561")) is not None


def test_the_nearest_berat_is_the_oldest_overdue_then_the_next_due(app, db_session, client, login_as, party):
    from tests.edefter.conftest import settings_form

    from app.edefter.deadlines.calendar import nearest_berats
    from app.models import JournalPeriod, JournalPeriodState

    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    assert client.post("/edefter/firma-ayarlari", data=settings_form(ilk_gecis_tarihi="2024-04-01")).status_code == 303
    today = date(2026, 12, 2)
    with app.app_context():
        overdue = nearest_berats([anadolu.taxpayer], today)[anadolu.taxpayer.id]
    assert (overdue.label, overdue.deadline.due) == ("11/2025", date(2026, 3, 16))  # 14 March 2026 was a Saturday
    assert overdue.days_left(today) < 0
    for year, month in [(2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 8)]:
        db_session.add(JournalPeriod(taxpayer_id=anadolu.taxpayer.id, branch_code="", year=year, month=month,
                                     state=JournalPeriodState.SENT))
    db_session.commit()
    with app.app_context():
        upcoming = nearest_berats([anadolu.taxpayer], today)[anadolu.taxpayer.id]
    assert (upcoming.label, upcoming.deadline.due, upcoming.days_left(today)) == ("08/2026", date(2026, 12, 14), 12)

