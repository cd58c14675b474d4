"""Defter Dönemleri in Chromium: a period's row follows its running job and shows "GİB Onaylandı" without a reload;
the polling stops once nothing runs."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.db import get_session
from app.formatting import local_today
from app.models import (
    BeratPeriod,
    CreationState,
    DefterCreation,
    EdefterSettings,
    Job,
    JobStatus,
    JournalPeriod,
    JournalPeriodState,
    PeriodKind,
    Taxpayer,
)
from app.unit_of_work import unit_of_work
from tests.fixtures.browser import log_in

pytestmark = pytest.mark.browser


def test_the_row_follows_the_job_without_a_reload(live_server, page: Page, demo_pki):  # type: ignore[no-untyped-def]
    anadolu = demo_pki.token("anadolu")
    log_in(page, live_server.url, anadolu)
    year = local_today().year
    with live_server.app.app_context():
        taxpayer = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == anadolu.owner_id))
        with unit_of_work() as work:
            work.session.add(EdefterSettings(
                taxpayer_id=taxpayer.id, period_kind=PeriodKind.TAKVIM, fiscal_year_start=date(year, 1, 1),
                fiscal_year_end=date(year, 12, 31), first_use_date=date(year, 1, 1), founded_on=date(2009, 5, 12),
                berat_period=BeratPeriod.AYLIK, split_size_mb=200, gib_application_done=True,
                compatible_software_set=True, name=taxpayer.unvan, building_number="12", street="Atatürk Caddesi",
                city="İzmir", postal_code="35210", country="Türkiye", phone="0232 123 45 67",
                email="muhasebe@example.com.tr", website="", nace_code="13.20", nace_description="Dokuma"))
            job = Job(taxpayer_id=taxpayer.id, kind="edefter_gonder", title=f"{year}/01 beratları GİB'e gönderiliyor",
                      status=JobStatus.CALISIYOR, progress=50, phrase="Yevmiye beratı gönderiliyor")
            period = JournalPeriod(taxpayer_id=taxpayer.id, branch_code="", year=year, month=1,
                                   state=JournalPeriodState.SENT, entry_count=12, line_count=36)
            work.session.add_all([job, period])
            work.session.flush()
            work.session.add(DefterCreation(taxpayer_id=taxpayer.id, period_id=period.id, state=CreationState.SIGNED,
                                            max_part_bytes=1024, job_id=job.id))
            job_id, period_id = job.id, period.id

    page.goto(live_server.url + "/defter-donemleri/")
    expect(page.get_by_role("heading", name="e-Defter > Defter Dönemleri")).to_be_visible()
    row = page.locator(f"#donem-{year}01-merkez")
    expect(row).to_contain_text("Gönderildi")
    expect(row).to_contain_text("İşlem sürüyor: %50")

    with live_server.app.app_context():
        with unit_of_work() as work:
            done = work.session.get(Job, job_id)
            done.status, done.progress = JobStatus.TAMAMLANDI, 100
            work.session.get(JournalPeriod, period_id).state = JournalPeriodState.APPROVED

    expect(row).to_contain_text("GİB Onaylandı")  # swapped in by the poll, no reload
    expect(row).not_to_contain_text("İşlem sürüyor")
    expect(page.locator("#defter-donemleri")).not_to_have_attribute("hx-trigger", "every 2s")
