"""e-Defter creation's entry points, for the web, the API (issue 12), the CLI and jobs (stable signatures).

- ``start_creation(taxpayer, period) -> Job``: prerequisites checked (order, GİB's berats, clock, settings,
  state), the creation row made, the job submitted (no PIN; a double click gets the same job);
- ``sign_period(taxpayer, period, module_path, token_label, pin) -> DefterCreation``: every part, berat and the
  DR signed in one card login;
- ``export_period(taxpayer, period, target) -> manifest``: the signed files as a zip with SHA-256 sums.
"""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import select

from app.db import get_session
from app.edefter.creation import prerequisites
from app.edefter.creation.export import write_zip
from app.edefter.creation.prepare import PREPARE_KIND, part_max_bytes, prepare_period
from app.edefter.creation.refusals import CreationRefused, PeriodNotFound
from app.edefter.creation.signing import FINISH_ATTEMPTS, FINISH_KIND, finish_signing, sign_creation
from app.jobs import JobKind, submit
from app.models import DefterCreation, Job, JournalPeriod, Taxpayer
from app.models.defter_file import CreationState
from app.unit_of_work import release_reads, unit_of_work

PREPARE = JobKind(PREPARE_KIND, prepare_period, max_attempts=2, retry_when_gib_away=False,
                  result_template="defter/_job_result.html")
FINISH = JobKind(FINISH_KIND, finish_signing, max_attempts=FINISH_ATTEMPTS, retry_when_gib_away=False,
                 result_template="defter/_finish_result.html")

__all__ = ["FINISH", "PREPARE", "CreationRefused", "PeriodNotFound", "creation_of", "export_period", "find_period",
           "period_by_id", "sign_period", "start_creation"]


def find_period(taxpayer: Taxpayer, year: int, month: int, branch_code: str = "") -> JournalPeriod:
    period = get_session().scalar(select(JournalPeriod).where(
        JournalPeriod.taxpayer_id == taxpayer.id, JournalPeriod.branch_code == branch_code,
        JournalPeriod.year == year, JournalPeriod.month == month))
    if period is None:
        raise PeriodNotFound(f"{month:02d}/{year}")
    return period


def period_by_id(taxpayer: Taxpayer, period_id: int) -> JournalPeriod:
    period = get_session().get(JournalPeriod, period_id)
    if period is None or period.taxpayer_id != taxpayer.id:
        raise PeriodNotFound(str(period_id))
    return period


def creation_of(period: JournalPeriod) -> DefterCreation | None:
    return get_session().scalar(select(DefterCreation).where(DefterCreation.period_id == period.id))


def start_creation(taxpayer: Taxpayer, period: JournalPeriod) -> Job:
    """Check the prerequisites and submit the creation job; the running job when one is under way."""
    current = creation_of(period)
    if current is not None and current.state is CreationState.SIGNING:
        raise CreationRefused(f"{period.month:02d}/{period.year} döneminin imzalı dosyaları şu anda hazırlanıyor; bu "
                              "iş bitmeden dönem yeniden oluşturulamaz.")
    if current is not None and current.state is CreationState.PREPARING and current.job_id is not None:
        job = get_session().get(Job, current.job_id)
        if job is not None and job.active:
            return job
    prerequisites.check_state(period)
    prerequisites.check_settings(taxpayer, period.branch_code)
    numbering = prerequisites.numbering(taxpayer, period)
    period_id, label = period.id, f"{period.month:02d}/{period.year}"
    max_bytes = _part_size(taxpayer)
    release_reads()
    prerequisites.check_gib(taxpayer, period)
    with unit_of_work() as work:
        # Locked as journal intake locks it: entries arriving now wait, or are refused once this commits.
        period = work.session.scalars(select(JournalPeriod).where(JournalPeriod.id == period_id).with_for_update()
                                      .execution_options(populate_existing=True)).one_or_none()
        assert period is not None
        prerequisites.check_state(period)
        creation = work.session.scalar(select(DefterCreation).where(DefterCreation.period_id == period_id))
        if creation is None:
            creation = DefterCreation(taxpayer_id=taxpayer.id, period_id=period_id, movements=[], problems=[],
                                      max_part_bytes=max_bytes)
            work.session.add(creation)
        creation.state = CreationState.PREPARING
        creation.first_entry_counter = numbering.first_entry_counter
        creation.first_line_number = numbering.first_line_number
        creation.max_part_bytes = max_bytes
        creation.error = None
        creation.problems = []
        work.session.flush()
        creation_id = creation.id
        work.record("edefter_olusturma_baslatildi", taxpayer_id=taxpayer.id, object_type="defter_donemi",
                    object_id=period_id, donem=label, ilk_madde=numbering.first_entry_counter)
    job = submit(PREPARE_KIND, taxpayer.id, f"e-Defter oluşturma {label}", {"creation_id": creation_id})
    with unit_of_work() as work:
        creation = work.session.get(DefterCreation, creation_id)
        if creation is not None and creation.job_id != job.id:
            creation.job_id = job.id
    return job


def _part_size(taxpayer: Taxpayer) -> int:
    """Firma Ayarları' "bölme boyutu" (MB), never above the host's PORTAL_EDEFTER_PART_MAX_KB (GİB: 200 MB)."""
    from app.edefter.company.queries import settings_of

    settings = settings_of(taxpayer)
    limit = part_max_bytes()
    if settings is not None and settings.split_size_mb:
        return min(limit, settings.split_size_mb * 1024 * 1024)
    return limit


def sign_period(taxpayer: Taxpayer, period: JournalPeriod, module_path: str, token_label: str | None,
                pin: str) -> DefterCreation:
    """Sign every part, berat and the DR of a prepared period with one login on the card."""
    creation = creation_of(period)
    if creation is None:
        raise CreationRefused("Bu dönemin defterleri henüz oluşturulmadı.")
    prerequisites.check_state(period)
    return sign_creation(taxpayer, period, creation, module_path, token_label, pin)


def export_period(taxpayer: Taxpayer, period: JournalPeriod, target: BinaryIO) -> list[tuple[str, str, int]]:
    """Write the period's signed files and their SHA-256 manifest as a zip to ``target``."""
    creation = creation_of(period)
    if creation is None or creation.taxpayer_id != taxpayer.id:
        raise CreationRefused("Bu dönemin imzalı defterleri yok.")
    return write_zip(creation, target)
