"""Fixtures for Defter Dönemleri and the deadline warnings: e-Defter settings, periods and files written as rows,
and the portal's day pinned (the clock the pages read)."""

from __future__ import annotations

from datetime import date
from typing import Callable

import pytest
from sqlalchemy.orm import Session

from app.models import (
    BeratPeriod,
    CreationState,
    DefterCreation,
    DefterFile,
    DefterFileKind,
    EdefterBranch,
    EdefterSettings,
    JournalPeriod,
    JournalPeriodState,
    PeriodKind,
    Taxpayer,
)


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    """Pin the portal's day (``app.clock.today``, which every page and the office home read)."""

    def pin(day: date) -> None:
        monkeypatch.setattr("app.clock.today", lambda: day)

    return pin


def settings_row(taxpayer: Taxpayer, *, first_use: date, quarterly: bool = False) -> EdefterSettings:
    """Firma Ayarları of a calendar-year company (or person) in İzmir."""
    return EdefterSettings(
        taxpayer_id=taxpayer.id, period_kind=PeriodKind.TAKVIM, fiscal_year_start=date(2026, 1, 1),
        fiscal_year_end=date(2026, 12, 31), first_use_date=first_use, founded_on=date(2009, 5, 12),
        berat_period=BeratPeriod.UC_AYLIK if quarterly else BeratPeriod.AYLIK, split_size_mb=200,
        gib_application_done=True, compatible_software_set=True, name=taxpayer.unvan, building_number="12",
        street="Atatürk Caddesi", city="İzmir", postal_code="35210", country="Türkiye", phone="0232 123 45 67",
        email="muhasebe@example.com.tr", website="", nace_code="13.20", nace_description="Dokuma")


@pytest.fixture
def on_edefter(db_session: Session) -> Callable[..., EdefterSettings]:
    """Save a taxpayer's Firma Ayarları as rows: calendar year, monthly berats unless ``quarterly``."""

    def save(taxpayer: Taxpayer, *, first_use: date = date(2025, 1, 1), quarterly: bool = False,
             branches: tuple[tuple[str, str], ...] = ()) -> EdefterSettings:
        settings = settings_row(taxpayer, first_use=first_use, quarterly=quarterly)
        db_session.add(settings)
        for code, name in branches:
            db_session.add(EdefterBranch(taxpayer_id=taxpayer.id, code=code, name=name))
        db_session.commit()
        return settings

    return save


@pytest.fixture
def period_row(db_session: Session) -> Callable[..., JournalPeriod]:
    """A journal period in ``state``; with ``files`` a signed creation whose parts have those sizes."""

    def make(taxpayer: Taxpayer, year: int, month: int, state: JournalPeriodState = JournalPeriodState.OPEN, *,
             branch_code: str = "", entries: int = 10, files: dict[DefterFileKind, int] | None = None,
             job_id: int | None = None) -> JournalPeriod:
        period = JournalPeriod(taxpayer_id=taxpayer.id, branch_code=branch_code, year=year, month=month, state=state,
                               entry_count=entries, line_count=entries * 3)
        db_session.add(period)
        db_session.flush()
        if files is not None or job_id is not None:
            creation = DefterCreation(taxpayer_id=taxpayer.id, period_id=period.id, state=CreationState.SIGNED,
                                      max_part_bytes=200 * 1024 * 1024, job_id=job_id)
            db_session.add(creation)
            db_session.flush()
            for kind, size in (files or {}).items():
                db_session.add(DefterFile(
                    taxpayer_id=taxpayer.id, creation_id=creation.id, kind=kind, part_index=0,
                    file_name=f"{taxpayer.identifier}-{year}{month:02d}-{kind.value}-000000.xml",
                    unique_id=f"X{year}{month:02d}{kind.value}", unsigned_size=size, signed_size=size))
        db_session.commit()
        return period

    return make


def visible_text(markup: str) -> str:
    import html
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def row_text(markup: str, row_id: str) -> str:
    import re

    found = re.search(rf'<tr id="{row_id}">(.*?)</tr>', markup, flags=re.S)
    assert found is not None, f"no row {row_id}"
    return visible_text(found.group(1))
