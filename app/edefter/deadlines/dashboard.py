"""Defter Dönemleri (SPEC D11): every period of a fiscal year with its state, counts, file sizes, berat deadline,
secondary-copy date and warning. One fixed set of grouped queries for the whole year, never one per row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app.db import get_session
from app.edefter.deadlines.book import load_book
from app.edefter.deadlines.calendar import scope_of
from app.edefter.deadlines.periods import (
    berat_period_label,
    is_quarterly,
    last_month_of,
    ledgers_of,
    settings_of,
)
from app.edefter.deadlines.rules import Deadline
from app.edefter.deadlines.warnings import OpenWarning, level_of, open_warnings, warning_days
from app.models import (
    DefterCreation,
    DefterFile,
    DefterFileKind,
    DefterSubmission,
    EdefterSettings,
    Job,
    JobStatus,
    JournalPeriod,
    JournalPeriodState,
    SubmissionState,
    Taxpayer,
)
from app.models.deadline_warning import WarningLevel

NO_RECORDS = "Kayıt yok"
_SIZE_GROUPS = {
    DefterFileKind.YEVMIYE: "defter",
    DefterFileKind.KEBIR: "defter",
    DefterFileKind.YEVMIYE_BERAT: "berat",
    DefterFileKind.KEBIR_BERAT: "berat",
    DefterFileKind.DEFTER_RAPORU: "dr",
}


@dataclass(frozen=True)
class FiscalYear:
    start: date
    end: date

    @property
    def key(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        if self.start.month == 1:
            return str(self.start.year)
        return f"{self.start.strftime('%d.%m.%Y')} – {self.end.strftime('%d.%m.%Y')}"

    def months(self) -> list[tuple[int, int]]:
        index = self.start.year * 12 + self.start.month - 1
        return [((index + n) // 12, (index + n) % 12 + 1) for n in range(12)]


def _fiscal_year(settings: EdefterSettings, key: int) -> FiscalYear:
    start = date(key, settings.fiscal_year_start.month, 1)
    after = date(key + (start.month + 11) // 12, (start.month + 11) % 12 + 1, 1)
    return FiscalYear(start, after - timedelta(days=1))


def fiscal_years(settings: EdefterSettings, today: date) -> list[FiscalYear]:
    """From the fiscal year the company started e-Defter in to the one holding today, newest first."""
    def holding(day: date) -> int:
        return day.year if day.month >= settings.fiscal_year_start.month else day.year - 1

    first, current = holding(settings.first_use_date), holding(today)
    return [_fiscal_year(settings, key) for key in range(max(current, first), first - 1, -1)]


@dataclass(frozen=True)
class RunningJob:
    progress: int
    phrase: str


@dataclass(frozen=True)
class PeriodRow:
    """One ledger's month: what the journal and the creation hold, and its berat period's deadline."""

    year: int
    month: int
    ledger_code: str
    ledger_name: str
    berat_label: str
    deadline: Deadline
    period_id: int | None = None
    state: JournalPeriodState | None = None
    gib_message: str | None = None
    entry_count: int = 0
    line_count: int = 0
    sizes: dict[str, int] = field(default_factory=dict)  # "defter", "berat", "dr", "onayli" → bytes
    job: RunningJob | None = None

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @property
    def row_id(self) -> str:
        return f"donem-{self.year}{self.month:02d}-{self.ledger_code or 'merkez'}"

    @property
    def state_label(self) -> str:
        return self.state.label if self.state is not None else NO_RECORDS

    @property
    def approved(self) -> bool:
        return self.state is JournalPeriodState.APPROVED

    def warning(self, today: date, days: int) -> WarningLevel | None:
        return None if self.approved else level_of(self.deadline, today, days)


@dataclass(frozen=True)
class YearOverview:
    settings: EdefterSettings | None
    fiscal_year: FiscalYear | None
    years: list[FiscalYear]
    rows: list[PeriodRow]
    warnings: list[OpenWarning]
    quarterly: bool
    branched: bool
    today: date
    warning_days: int

    @property
    def running(self) -> bool:
        return any(row.job is not None for row in self.rows)


def year_overview(taxpayer: Taxpayer, key: int | None, today: date) -> YearOverview:
    """The fiscal year ``key`` (its start year; None: the one holding today) of the taxpayer's periods."""
    settings = settings_of([taxpayer.id]).get(taxpayer.id)
    warnings = open_warnings([taxpayer.id], today).get(taxpayer.id, [])
    days = warning_days()
    if settings is None:
        return YearOverview(None, None, [], [], warnings, False, False, today, days)
    years = fiscal_years(settings, today)
    chosen = years[0] if key is None else next((year for year in years if year.key == key), None)
    if chosen is None:
        return YearOverview(settings, None, years, [], warnings, is_quarterly(settings), False, today, days)
    ledgers = ledgers_of([taxpayer.id])[taxpayer.id]
    rows = _rows(taxpayer, settings, chosen, ledgers)
    return YearOverview(settings, chosen, years, rows, warnings, is_quarterly(settings), len(ledgers) > 1, today, days)


def _rows(taxpayer: Taxpayer, settings: EdefterSettings, year: FiscalYear,
          ledgers: list[tuple[str, str]]) -> list[PeriodRow]:
    session = get_session()
    quarterly = is_quarterly(settings)
    first_use = date(settings.first_use_date.year, settings.first_use_date.month, 1)
    months = [(y, m) for y, m in year.months() if date(y, m, 1) >= first_use]
    if not months:
        return []
    month_index = JournalPeriod.year * 12 + JournalPeriod.month
    in_year = (JournalPeriod.taxpayer_id == taxpayer.id,
               month_index.between(months[0][0] * 12 + months[0][1], months[-1][0] * 12 + months[-1][1]))
    periods = {(p.branch_code, p.year, p.month): p for p in session.scalars(select(JournalPeriod).where(*in_year))}
    creations = {c.period_id: c for c in session.scalars(
        select(DefterCreation).join(JournalPeriod, JournalPeriod.id == DefterCreation.period_id).where(*in_year))}
    sizes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for creation_id, kind, total in session.execute(
            select(DefterFile.creation_id, DefterFile.kind,
                   func.sum(func.coalesce(DefterFile.signed_size, DefterFile.unsigned_size)))
            .join(DefterCreation, DefterCreation.id == DefterFile.creation_id)
            .join(JournalPeriod, JournalPeriod.id == DefterCreation.period_id)
            .where(DefterFile.taxpayer_id == taxpayer.id, *in_year)
            .group_by(DefterFile.creation_id, DefterFile.kind)):
        sizes[creation_id][_SIZE_GROUPS[kind]] += int(total or 0)
    submissions: dict[int, list[DefterSubmission]] = defaultdict(list)
    for submission in session.scalars(
            select(DefterSubmission).join(JournalPeriod, JournalPeriod.id == DefterSubmission.period_id)
            .where(DefterSubmission.taxpayer_id == taxpayer.id, *in_year).order_by(DefterSubmission.id)):
        submissions[submission.period_id].append(submission)
    running = {job.id: RunningJob(job.progress, job.phrase) for job in session.scalars(
        select(Job).where(Job.taxpayer_id == taxpayer.id,
                          Job.status.in_((JobStatus.BEKLIYOR, JobStatus.CALISIYOR)))
        .execution_options(populate_existing=True))}
    book = load_book(date(*months[0], 1), date(*months[-1], 1))
    scope = scope_of(taxpayer)
    rows = []
    for y, m in months:
        deadline = book.deadline(y, m, quarterly=quarterly, scope=scope)
        label = berat_period_label(y, last_month_of(m, quarterly), quarterly)
        for code, name in ledgers:
            period = periods.get((code, y, m))
            if period is None:
                rows.append(PeriodRow(y, m, code, name, label, deadline))
                continue
            creation = creations.get(period.id)
            sent = submissions.get(period.id, [])
            period_sizes = dict(sizes[creation.id]) if creation is not None else {}
            approved_bytes = sum(s.approved_size or 0 for s in sent if s.state is SubmissionState.APPROVED)
            if approved_bytes:
                period_sizes["onayli"] = approved_bytes
            job_ids = [creation.job_id] if creation is not None and creation.job_id else []
            job_ids += [s.job_id for s in sent if s.job_id]
            job = next((running[job_id] for job_id in job_ids if job_id in running), None)
            rows.append(PeriodRow(y, m, code, name, label, deadline, period.id, period.state,
                                  _failure(period, creation, sent), period.entry_count, period.line_count,
                                  period_sizes, job))
    return rows


def _failure(period: JournalPeriod, creation: DefterCreation | None, sent: list[DefterSubmission]) -> str | None:
    """GİB's text as it came for a file refused at its latest sending, else why the creation failed."""
    latest = {(s.kind, s.part_index): s for s in sent}  # ``sent`` is in id order: a resend replaces the refusal
    refused = [s for s in latest.values() if s.state is SubmissionState.FAILED and s.gib_message]
    if refused:
        return refused[-1].gib_message
    if period.state is JournalPeriodState.FAILED and creation is not None and creation.error:
        return creation.error
    return None
