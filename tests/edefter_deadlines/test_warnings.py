"""The daily deadline warnings: raised once per taxpayer, period and level (near → past), audited, closed when GİB
approves the period; shown on Defter Dönemleri, the taxpayer's home pages and the office home."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.edefter.deadlines import warnings as deadline_warnings
from app.edefter.deadlines.warnings import raise_daily_warnings
from app.models import AuditEvent, JournalPeriod, JournalPeriodState
from app.models.deadline_warning import DeadlineWarning, WarningLevel
from tests.authorisations.conftest import accountant, grant  # noqa: F401  (fixtures)
from tests.edefter_deadlines.conftest import visible_text

DAY = date(2026, 12, 8)  # June (due 14.10) and July (16.11) past, August (14.12) six days away


def warnings_of(db_session, taxpayer_id: int) -> list[tuple[str, str, bool]]:
    db_session.expire_all()
    return sorted((row.period_label, row.level.value, row.closed_at is None) for row in db_session.scalars(
        select(DeadlineWarning).where(DeadlineWarning.taxpayer_id == taxpayer_id)))


def audit_count(db_session, taxpayer_id: int, action: str) -> int:
    return db_session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.taxpayer_id == taxpayer_id, AuditEvent.action == action))


def approve(db_session, taxpayer_id: int, year: int, month: int) -> None:
    db_session.expire_all()
    period = db_session.scalar(select(JournalPeriod).where(JournalPeriod.taxpayer_id == taxpayer_id,
                                                           JournalPeriod.year == year, JournalPeriod.month == month))
    period.state = JournalPeriodState.APPROVED
    db_session.commit()


def test_near_and_past_warnings_are_raised_once(app, db_session, party, on_edefter, period_row):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 6, 1))
    period_row(anadolu.taxpayer, 2026, 7, JournalPeriodState.APPROVED)
    period_row(anadolu.taxpayer, 2026, 6, JournalPeriodState.SIGNED)
    tid = anadolu.taxpayer.id
    with app.app_context():
        first = raise_daily_warnings(DAY)
        second = raise_daily_warnings(DAY)
    assert (first.raised, second.raised, second.closed) == (2, 0, 0)
    assert warnings_of(db_session, tid) == [("06/2026", "gecti", True), ("08/2026", "yaklasti", True)]
    assert audit_count(db_session, tid, "berat_suresi_uyarisi") == 2
    # A week later August has passed too: "past" replaces "near" (closed, not deleted).
    with app.app_context():
        later = raise_daily_warnings(date(2026, 12, 15))
    assert (later.raised, later.closed) == (1, 1)
    assert warnings_of(db_session, tid) == [("06/2026", "gecti", True), ("08/2026", "gecti", True),
                                            ("08/2026", "yaklasti", False)]


def test_an_approved_period_gets_no_warning_and_an_approval_closes_one(app, client, db_session, party, on_edefter,
                                                                     period_row, login_as, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 6, 1))
    period_row(anadolu.taxpayer, 2026, 6, JournalPeriodState.SENT)
    tid = anadolu.taxpayer.id
    with app.app_context():
        raise_daily_warnings(DAY)
    assert [label for label, _, _ in warnings_of(db_session, tid)] == ["06/2026", "07/2026", "08/2026"]
    today_is(DAY)
    login_as(anadolu.taxpayer)
    shown = visible_text(client.get("/defter-donemleri/").get_data(as_text=True))
    assert "06/2026 dönemi beratlarının yükleme süresi 14.10.2026 tarihinde doldu (55 gün geçti)" in shown
    assert "08/2026 dönemi beratlarının yükleme süresi 14.12.2026 tarihinde doluyor (6 gün kaldı)" in shown
    approve(db_session, tid, 2026, 6)
    # The page leaves it out at once; the next run closes it, with an audit entry.
    assert "06/2026 dönemi beratlarının" not in visible_text(client.get("/defter-donemleri/").get_data(as_text=True))
    with app.app_context():
        result = raise_daily_warnings(DAY)
    assert (result.raised, result.closed) == (0, 1)
    assert ("06/2026", "gecti", False) in warnings_of(db_session, tid)
    assert audit_count(db_session, tid, "berat_suresi_uyarisi_kapandi") == 1


def test_a_worker_that_decided_before_another_committed_raises_nothing_twice(app, db_session, party, on_edefter,
                                                                            monkeypatch):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 6, 1))
    with app.app_context():
        assert raise_daily_warnings(DAY).raised == 3
    # The second worker read before the first committed: it thinks everything is still to do. Under the lock
    # on the taxpayer it reads the rows again and finds them.
    monkeypatch.setattr(deadline_warnings, "_changes", lambda *args: True)
    with app.app_context():
        assert raise_daily_warnings(DAY).raised == 0
    assert len(warnings_of(db_session, anadolu.taxpayer.id)) == 3
    assert audit_count(db_session, anadolu.taxpayer.id, "berat_suresi_uyarisi") == 3
    db_session.add(DeadlineWarning(taxpayer_id=anadolu.taxpayer.id, period_year=2026, period_month=8,
                                   period_label="08/2026", level=WarningLevel.NEAR, due=date(2026, 12, 14),
                                   raised_on=DAY))
    with pytest.raises(IntegrityError):  # and the database refuses a second row for the same level
        db_session.flush()
    db_session.rollback()


def test_quarterly_and_person_deadlines_and_the_configured_days(app, db_session, party, on_edefter):
    ayse = party("ayse")  # a person: the 10th
    on_edefter(ayse.taxpayer, first_use=date(2026, 1, 1), quarterly=True)
    app.config["BERAT_WARNING_DAYS"] = 14
    with app.app_context():
        raise_daily_warnings(date(2026, 8, 28))  # Q2 is due 10 September: 13 days, near with 14
    assert warnings_of(db_session, ayse.taxpayer.id) == [("01–03/2026", "gecti", True),
                                                         ("04–06/2026", "yaklasti", True)]


def test_the_takvim_uyarilar_command(app, db_session, party, on_edefter):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 6, 1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["takvim", "uyarilar", "--gun", "08.12.2026"])
    assert result.exit_code == 0, result.output
    assert "1 mükellef denetlendi: 3 yeni uyarı" in result.output
    assert "0 yeni uyarı" in runner.invoke(args=["takvim", "uyarilar", "--gun", "08.12.2026"]).output


def test_the_home_pages_show_the_nearest_deadline_and_the_warnings(app, client, db_session, party, on_edefter,
                                                                  login_as, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 6, 1))
    with app.app_context():
        raise_daily_warnings(DAY)
    today_is(DAY)
    login_as(anadolu.taxpayer)
    for path in ("/", "/hesabim"):
        shown = visible_text(client.get(path).get_data(as_text=True))
        assert "e-Defter Berat Yükleme Süresi" in shown, path
        assert "06/2026 dönemi berat yükleme süresi geçti (14.10.2026)" in shown, path
        assert "08/2026 dönemi beratlarının yükleme süresi 14.12.2026 tarihinde doluyor (6 gün kaldı)" in shown, path


def test_the_office_home_marks_a_client_with_a_warning(app, client, db_session, party, on_edefter, login_as,
                                                       today_is, accountant, grant):  # noqa: F811
    from tests.authorisations.test_office_home import row_of

    anadolu, ege = party("anadolu"), party("ege")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 6, 1))
    on_edefter(ege.taxpayer, first_use=date(2026, 11, 1))  # nothing due before January
    with app.app_context():
        raise_daily_warnings(DAY)
    _, ayse_person = accountant
    grant(anadolu, ayse_person)
    grant(ege, ayse_person)
    today_is(DAY)
    login_as(ayse_person)
    home = client.get("/").get_data(as_text=True)
    assert "3 dönem için berat süresi uyarısı" in row_of(home, "Anadolu Tekstil")
    assert "uyarısı" not in row_of(home, "Ege")


def test_the_workers_daily_task_raises_them_at_seven(app, db_session, party, on_edefter, today_is):
    from datetime import datetime

    from app.jobs.engine import current_engine

    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 6, 1))
    today_is(DAY)
    with app.app_context():
        huey = current_engine().huey
    task = next(t for t in huey._registry.periodic_tasks if t.name.endswith("berat_suresi_uyarilari"))
    assert task.validate_datetime(datetime(2026, 12, 8, 7, 0)) and not task.validate_datetime(datetime(2026, 12, 8, 8, 0))
    task.execute()
    task.execute()  # a second worker's scheduler firing the same minute
    assert [label for label, _, _ in warnings_of(db_session, anadolu.taxpayer.id)] == ["06/2026", "07/2026", "08/2026"]


def test_the_daily_run_reads_in_a_fixed_number_of_queries_after_a_write(app, db_session, taxpayer_factory,
                                                                        on_edefter):
    """A taxpayer whose warnings change commits mid-batch; the taxpayers after it (with warnings already raised)
    must not each be read again row by row."""
    from sqlalchemy import event

    first, second, *others = [taxpayer_factory() for _ in range(5)]
    db_session.commit()
    engine = app.extensions["ebelge.db"].engine

    def selects_of_a_run() -> int:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            with app.app_context():
                assert raise_daily_warnings(DAY).raised == 3  # the newcomer's June, July and August
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return sum(1 for statement in statements if statement.lstrip().upper().startswith("SELECT"))

    on_edefter(others[0], first_use=date(2026, 6, 1))
    with app.app_context():
        raise_daily_warnings(DAY)
    on_edefter(first, first_use=date(2026, 6, 1))  # processed first: its unit commits before the others are seen
    with_one_after = selects_of_a_run()
    for taxpayer in others[1:]:
        on_edefter(taxpayer, first_use=date(2026, 6, 1))
    with app.app_context():
        raise_daily_warnings(DAY)
    on_edefter(second, first_use=date(2026, 6, 1))
    assert selects_of_a_run() == with_one_after


def test_an_extension_entered_after_the_run_takes_effect_on_the_warnings_at_once(app, client, db_session, party,
                                                                                  on_edefter, login_as, today_is):
    from app.edefter.deadlines.calendar import add_extension
    from app.models import ExtensionScope

    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2026, 6, 1))
    with app.app_context():
        raise_daily_warnings(DAY)  # August near (14.12.2026)
        add_extension(2026, 8, ExtensionScope.CORPORATE, date(2026, 12, 31), "VUK-303 sayılı duyuru")
        add_extension(2026, 7, ExtensionScope.CORPORATE, date(2026, 12, 10), "VUK-304 sayılı duyuru")
    today_is(DAY)
    login_as(anadolu.taxpayer)
    for path in ("/defter-donemleri/", "/"):
        shown = visible_text(client.get(path).get_data(as_text=True))
        assert "08/2026 dönemi beratlarının" not in shown, path  # 23 days left now: no longer near
        # July was past; the extension gives it two more days, and the warning says so before the next run.
        assert "07/2026 dönemi beratlarının yükleme süresi 10.12.2026 tarihinde doluyor (2 gün kaldı)" in shown, path
        assert "06/2026 dönemi beratlarının yükleme süresi 14.10.2026 tarihinde doldu" in shown, path
