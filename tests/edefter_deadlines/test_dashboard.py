"""Defter Dönemleri: every period of the fiscal year with its state, counts, sizes, berat deadline (Tebliğ 5, weekends,
an administrator's extension), secondary-copy date and warning; only the taxpayer's own; a fixed number of queries;
the htmx fragment that polls while a job runs."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import event

from app.edefter.deadlines.calendar import add_extension
from app.models import (
    DefterCreation,
    DefterFile,
    DefterFileKind,
    DefterSubmission,
    ExtensionScope,
    Job,
    JobStatus,
    JournalPeriodState,
    SubmissionState,
)
from tests.edefter_deadlines.conftest import row_text, visible_text

FILES = {DefterFileKind.YEVMIYE: 2 * 1024 * 1024, DefterFileKind.KEBIR: 1024 * 1024,
         DefterFileKind.YEVMIYE_BERAT: 4096, DefterFileKind.KEBIR_BERAT: 4096, DefterFileKind.DEFTER_RAPORU: 3072}


def page(client, path: str = "/defter-donemleri/?yil=2026", **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_a_companys_monthly_year_with_states_sizes_deadlines_and_warnings(app, client, login_as, party, on_edefter,
                                                                          period_row, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer)
    march = period_row(anadolu.taxpayer, 2026, 3, JournalPeriodState.APPROVED, entries=40, files=FILES)
    period_row(anadolu.taxpayer, 2026, 7, JournalPeriodState.SIGNED, entries=5, files=FILES)
    today_is(date(2026, 12, 8))
    login_as(anadolu.taxpayer)
    shown = page(client)
    assert shown.count('<tr id="donem-2026') == 12
    # January: 14 May 2026, a Thursday; its secondary copy 15 days later.
    assert row_text(shown, "donem-202601-merkez").startswith("01/2026 Kayıt yok")
    assert "14.05.2026 29.05.2026" in row_text(shown, "donem-202601-merkez")
    assert f'href="/defter/{march.id}"' in shown
    approved = row_text(shown, "donem-202603-merkez")
    assert "GİB Onaylandı 40 120 3 MB 8 KB 3 KB 14.07.2026" in approved and "Süre" not in approved
    # June: due 14 October; 29 October (Cumhuriyet Bayramı) moves the secondary copy to the 30th.
    assert "14.10.2026 30.10.2026" in row_text(shown, "donem-202606-merkez")
    # July: 14 November 2026 is a Saturday → Monday 16th; signed but not sent, and the day has passed.
    july = row_text(shown, "donem-202607-merkez")
    assert "İmzalandı 5 15" in july
    assert "16.11.2026 Yasal süre 14.11.2026; 14.11.2026 hafta sonu" in july and "Süre geçti (22 gün)" in july
    # August: 14 December, six days away: near (7 days by default).
    assert "14.12.2026" in row_text(shown, "donem-202608-merkez")
    assert "Son güne 6 gün" in row_text(shown, "donem-202608-merkez")
    assert "Süre" not in row_text(shown, "donem-202609-merkez")  # 14 January 2027
    assert "14.05.2027" in row_text(shown, "donem-202612-merkez")  # December: 14 May


def test_an_extension_an_administrator_entered_moves_the_deadline_on_the_page(app, client, login_as, party,
                                                                              on_edefter, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer)
    today_is(date(2026, 12, 8))
    with app.app_context():
        add_extension(2026, 8, ExtensionScope.CORPORATE, date(2026, 12, 31), "VUK-999/2026-1 sayılı duyuru")
    login_as(anadolu.taxpayer)
    august = row_text(page(client), "donem-202608-merkez")
    assert "31.12.2026 Yasal süre 14.12.2026; GİB duyurusu: VUK-999/2026-1 sayılı duyuru" in august
    assert "Son güne" not in august  # 23 days left now


def test_a_persons_deadlines_are_the_tenth(client, login_as, party, on_edefter, today_is):
    ayse = party("ayse")  # TCKN: gelir vergisi mükellefi
    on_edefter(ayse.taxpayer)
    today_is(date(2026, 6, 1))
    login_as(ayse.taxpayer)
    shown = page(client)
    assert "11.05.2026 Yasal süre 10.05.2026; 10.05.2026 hafta sonu" in row_text(shown, "donem-202601-merkez")
    assert "12.04.2027 Yasal süre 10.04.2027; 10.04.2027 hafta sonu" in row_text(shown, "donem-202612-merkez")


def test_quarterly_berat_periods_and_branches(client, login_as, party, on_edefter, period_row, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, quarterly=True, branches=(("0001", "Bornova Şubesi"),))
    period_row(anadolu.taxpayer, 2026, 2, JournalPeriodState.CREATED, branch_code="0001", entries=7)
    today_is(date(2026, 6, 10))
    login_as(anadolu.taxpayer)
    shown = page(client)
    assert shown.count('<tr id="donem-2026') == 24  # twelve months of the company's ledger and of the branch
    assert "Berat Dönemi" in shown
    # Q1: 14 June 2026 is a Sunday → 15 June; every month of the quarter shares it; five days away.
    for month in ("01", "02", "03"):
        row = row_text(shown, f"donem-2026{month}-merkez")
        assert "01–03/2026" in row and "15.06.2026 Yasal süre 14.06.2026; 14.06.2026 hafta sonu" in row
        assert "Son güne 5 gün" in row
    branch = row_text(shown, "donem-202602-0001")
    assert "0001 Bornova Şubesi 01–03/2026 Oluşturuldu 7 21" in branch
    assert "14.09.2026" in row_text(shown, "donem-202604-merkez")  # Q2 → September


def test_another_taxpayers_periods_are_never_shown(client, login_as, party, on_edefter, period_row, today_is):
    anadolu, ege = party("anadolu"), party("ege")
    on_edefter(anadolu.taxpayer)
    on_edefter(ege.taxpayer)
    period_row(ege.taxpayer, 2026, 5, JournalPeriodState.APPROVED, entries=777)
    today_is(date(2026, 12, 8))
    login_as(anadolu.taxpayer)
    shown = page(client)
    assert row_text(shown, "donem-202605-merkez").startswith("05/2026 Kayıt yok")
    assert "777" not in visible_text(shown)
    assert client.get(f"/mukellef/{ege.taxpayer.id}/defter-donemleri/").status_code == 404


def test_the_year_selector(client, login_as, party, on_edefter, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer, first_use=date(2025, 4, 1))
    today_is(date(2026, 3, 2))
    login_as(anadolu.taxpayer)
    current = page(client, "/defter-donemleri/")
    assert current.count('<tr id="donem-2026') == 12 and '<option value="2025"' in current
    earlier = page(client, "/defter-donemleri/?yil=2025")
    assert earlier.count('<tr id="donem-2025') == 9  # from April, the e-Defter start
    assert "14.08.2025" in row_text(earlier, "donem-202504-merkez")
    wrong = page(client, "/defter-donemleri/?yil=1990")
    assert "hesap dönemi e-Defter kullandığınız dönemler arasında değil" in wrong
    assert wrong.count('<tr id="donem-2026') == 12


def test_without_settings_the_page_says_what_to_do(client, login_as, party):
    login_as(party("anadolu").taxpayer)
    assert "Firma Ayarları" in visible_text(page(client, "/defter-donemleri/"))


def test_a_refused_berat_shows_gibs_text(client, login_as, party, on_edefter, period_row, db_session, today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer)
    period = period_row(anadolu.taxpayer, 2026, 4, JournalPeriodState.FAILED, files=FILES)
    creation = db_session.query(DefterCreation).filter_by(period_id=period.id).one()
    berat = db_session.query(DefterFile).filter_by(creation_id=creation.id, kind=DefterFileKind.YEVMIYE_BERAT).one()
    db_session.add(DefterSubmission(
        taxpayer_id=anadolu.taxpayer.id, period_id=period.id, creation_id=creation.id, file_id=berat.id,
        kind=DefterFileKind.YEVMIYE_BERAT, part_index=0, state=SubmissionState.FAILED, idempotency_key=uuid.uuid4().hex,
        requested_by="test", gib_message="Beratın imzası doğrulanamadı (hata kodu 1100)."))
    db_session.commit()
    today_is(date(2026, 12, 8))
    login_as(anadolu.taxpayer)
    assert "Hata Beratın imzası doğrulanamadı (hata kodu 1100)." in row_text(page(client), "donem-202604-merkez")


def test_the_fragment_polls_while_a_job_of_a_period_runs(client, login_as, party, on_edefter, period_row, db_session,
                                                         today_is):
    anadolu = party("anadolu")
    on_edefter(anadolu.taxpayer)
    job = Job(taxpayer_id=anadolu.taxpayer.id, kind="edefter_olustur", title="e-Defter oluşturma 2026/10",
              status=JobStatus.CALISIYOR, progress=40, phrase="Yevmiye defteri yazılıyor")
    db_session.add(job)
    db_session.flush()
    period_row(anadolu.taxpayer, 2026, 10, JournalPeriodState.OPEN, job_id=job.id)
    today_is(date(2026, 12, 8))
    login_as(anadolu.taxpayer)
    response = client.get("/defter-donemleri/?yil=2026", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]
    assert fragment.lstrip().startswith("{#") is False and "<html" not in fragment
    assert fragment.lstrip().startswith('<section class="panel" id="defter-donemleri"')
    assert 'hx-trigger="every 2s"' in fragment and 'hx-get="/defter-donemleri/?yil=2026"' in fragment
    assert "İşlem sürüyor: %40 — Yevmiye defteri yazılıyor" in row_text(fragment, "donem-202610-merkez")
    job.status, job.progress = JobStatus.TAMAMLANDI, 100
    db_session.commit()
    done = page(client, **{"HX-Request": "true"})
    assert "hx-trigger" not in done.split(">", 1)[0] and "İşlem sürüyor" not in done
    assert "<html" in page(client)  # a plain request gets the whole page


def test_the_year_is_read_in_a_fixed_number_of_queries(app, client, login_as, party, on_edefter, period_row,
                                                       db_session, today_is):
    anadolu = party("anadolu")
    settings = on_edefter(anadolu.taxpayer, first_use=date(2026, 12, 1))
    today_is(date(2026, 12, 8))
    login_as(anadolu.taxpayer)
    engine = app.extensions["ebelge.db"].engine

    def count() -> tuple[int, str]:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            shown = page(client)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements), shown

    period_row(anadolu.taxpayer, 2026, 12, JournalPeriodState.SIGNED, files=FILES)
    one_month, shown = count()
    assert shown.count('<tr id="donem-2026') == 1
    settings.first_use_date = date(2026, 1, 1)
    db_session.commit()
    for month in range(1, 12):
        period_row(anadolu.taxpayer, 2026, month, JournalPeriodState.APPROVED, files=FILES)
    twelve_months, shown = count()
    assert shown.count('<tr id="donem-2026') == 12 and shown.count("GİB Onaylandı") == 11
    assert twelve_months == one_month
