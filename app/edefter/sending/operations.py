"""Sending a period to GİB (SPEC D6; decision note 0150), for the web, the API and the periodic retry task.

- ``start_sending(taxpayer, period, requested_by) -> Job``: one ``DefterSubmission`` per YB/KB berat and the DR
  (a fresh Idempotency-Key each), the period Gönderildi, the sending job submitted. Pressed again ("Tekrar
  Gönder"): failed and waiting files go again now, each with its own key (GİB never sees a second submission
  of a file), approved ones never; while a job sends, the same job is answered.
- ``send_period(job)``: the job. Files go in GİB's order (yevmiye berats, kebir berats, DR), one at a time; a
  berat's approval brings GİB's sealed berat, whose seal, sealer and content are checked before it is stored.
  GİB's refusal: the file Hata with GİB's text, the period Hata. GİB away or slow: the file waits
  (``next_attempt_at``, backoff) and ``retry_due_submissions`` (every 5 minutes) starts the job again.
- All approved: the period GİB Onaylandı, and frozen.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select

from app.db import get_session, utcnow
from app.edefter.creation.operations import creation_of
from app.edefter.sending import queries
from app.edefter.sending.refusals import SealRefused, SendingRefused
from app.edefter.sending.seal import check_sealed_berat
from app.gib.errors import GibError, GibRejected
from app.gib_access import gib_client
from app.jobs import JobContext, JobKind, submit
from app.models import DefterCreation, DefterFile, DefterFileKind, Job, JournalPeriod, JournalPeriodState, Taxpayer
from app.models.defter_file import CreationState
from app.models.defter_submission import DefterSubmission, SubmissionState
from app.storage import StorageError, file_store
from app.unit_of_work import release_reads, unit_of_work

log = logging.getLogger(__name__)

SEND_KIND = "edefter_gonderim"
FROZEN = "GİB onaylı dönem değiştirilemez, yeniden gönderilemez."
# GİB's refusals that mean "not now" (the same change arrived twice at once): tried again with the same key.
PASSING_REFUSALS = frozenset({"9006"})
_KIND_CODES = {DefterFileKind.YEVMIYE_BERAT: "YB", DefterFileKind.KEBIR_BERAT: "KB", DefterFileKind.DEFTER_RAPORU: "DR"}


def _label(period: JournalPeriod) -> str:
    return period.label  # "2024/01", as the Defter Oluştur pages name it


def _active_job(rows: list[DefterSubmission]) -> Job | None:
    session = get_session()
    for job_id in {row.job_id for row in rows if row.job_id is not None}:
        job = session.get(Job, job_id, populate_existing=True)  # the engine updates jobs with bulk statements
        if job is not None and job.active:
            return job
    return None


def start_sending(taxpayer: Taxpayer, period: JournalPeriod, requested_by: str,
                  idempotency_key: str | None = None) -> Job:
    """Send the period's berats and DR (again, for what failed or waits); the running job when one is under way.
    ``idempotency_key`` (the API's header): the same key answers with the job it started, starting nothing."""
    # Hashed, not cut to the column's 120 characters: two long keys alike at the start stay two requests.
    job_key = (f"api-gonder-{period.id}-{hashlib.sha256(idempotency_key.encode()).hexdigest()}"
               if idempotency_key else None)
    if job_key is not None:
        earlier = get_session().scalar(select(Job).where(Job.taxpayer_id == taxpayer.id, Job.idempotency_key == job_key))
        if earlier is not None:
            return earlier
    if period.taxpayer_id != taxpayer.id:
        raise SendingRefused("Dönem bulunamadı.")
    if period.state is JournalPeriodState.APPROVED:
        raise SendingRefused(f"{_label(period)}: {FROZEN}")
    creation = creation_of(period)
    if creation is None or creation.state is not CreationState.SIGNED or period.state not in (
            JournalPeriodState.SIGNED, JournalPeriodState.SENT, JournalPeriodState.FAILED):
        raise SendingRefused(f"{_label(period)} dönemi henüz imzalanmadı; GİB'e yalnızca imzalanmış defterlerin "
                             "beratları ve defter raporu gönderilebilir.")
    running = _active_job(queries.submissions_of(period))
    if running is not None:
        return running
    period_id, creation_id = period.id, creation.id
    with unit_of_work() as work:
        period = work.session.scalars(select(JournalPeriod).where(JournalPeriod.id == period_id).with_for_update()
                                      .execution_options(populate_existing=True)).one()
        if period.state is JournalPeriodState.APPROVED:
            raise SendingRefused(f"{_label(period)}: {FROZEN}")
        # Checked again under the lock: a re-creation (which locks the period too) may have begun meanwhile.
        creation = work.session.get(DefterCreation, creation_id, populate_existing=True)
        if creation is None or creation.state is not CreationState.SIGNED or period.state not in (
                JournalPeriodState.SIGNED, JournalPeriodState.SENT, JournalPeriodState.FAILED):
            raise SendingRefused(f"{_label(period)} dönemi bu arada değişti (yeniden oluşturuluyor ya da "
                                 "imzalanıyor); imzalandıktan sonra gönderiniz.")
        running = _active_job(list(work.session.scalars(
            select(DefterSubmission).where(DefterSubmission.period_id == period_id))))
        if running is not None:
            return running
        rows = _prepare_rows(work.session, taxpayer, creation_id, period_id, requested_by)
        if not rows:
            raise SendingRefused(f"{_label(period)} döneminin gönderilecek dosyası kalmadı.")
        period.state = JournalPeriodState.SENT
        period.updated_at = utcnow()
        work.record("edefter_gonderim_baslatildi", taxpayer_id=taxpayer.id, object_type="defter_donemi",
                    object_id=period_id, donem=f"{period.year:04d}-{period.month:02d}",
                    dosyalar=[row.id for row in rows], isteyen=requested_by[:200])
        row_ids = [row.id for row in rows]
        title = f"e-Defter GİB'e gönderim {_label(period)}"
    job = submit(SEND_KIND, taxpayer.id, title, {"period_id": period_id},
                 idempotency_key=job_key or f"edefter-gonderim-{period_id}-{uuid.uuid4().hex}")
    _own(row_ids, job.id)
    # The job changes rows in its own session (and may already be done): the caller reads them afresh.
    get_session().expire_all()
    return job


def _prepare_rows(session: Any, taxpayer: Taxpayer, creation_id: int, period_id: int,
                  requested_by: str) -> list[DefterSubmission]:
    """A row for every berat and the DR not yet at GİB; failed and waiting rows made due now. Returns the rows
    to send."""
    files = session.scalars(select(DefterFile).where(
        DefterFile.creation_id == creation_id, DefterFile.kind.in_(tuple(_KIND_CODES)),
        DefterFile.signed_key.is_not(None))).all()
    files = sorted(files, key=lambda file: (queries.SEND_ORDER.index(file.kind), file.part_index))
    existing = {row.file_id: row for row in session.scalars(
        select(DefterSubmission).where(DefterSubmission.period_id == period_id)).all()}
    due: list[DefterSubmission] = []
    now = utcnow()
    for file in files:
        row = existing.get(file.id)
        if row is None:
            row = DefterSubmission(taxpayer_id=taxpayer.id, period_id=period_id, creation_id=creation_id,
                                   file_id=file.id, kind=file.kind, part_index=file.part_index,
                                   state=SubmissionState.WAITING, idempotency_key=f"edefter-{uuid.uuid4().hex}",
                                   attempts=0, requested_by=requested_by[:200], created_at=now, updated_at=now)
            session.add(row)
        elif row.state is SubmissionState.APPROVED:
            continue
        elif row.state is SubmissionState.FAILED:
            # The same file again, so the same key: GİB answers a key once whatever it said (note 0150).
            row.state, row.attempts, row.gib_code = SubmissionState.WAITING, 0, None
        row.next_attempt_at = None
        row.requested_by = requested_by[:200]
        row.updated_at = now
        due.append(row)
    session.flush()
    return due


def _own(row_ids: list[int], job_id: int) -> None:
    """The new job owns the waiting rows, all or none: when another job still queued or running holds one of
    them, that job sends the period and the new one, finding it taken, ends (``_claim``). Never some rows to
    each, or each job would stop at the other's row and leave the rest unsent."""
    with unit_of_work() as work:
        rows = [row for row in work.session.scalars(
            select(DefterSubmission).where(DefterSubmission.id.in_(row_ids)).with_for_update()
            .execution_options(populate_existing=True)) if row.state is SubmissionState.WAITING]
        if any(_owned_by_another(work.session, row, job_id) for row in rows):
            return
        for row in rows:
            row.job_id = job_id


def _owned_by_another(session: Any, row: DefterSubmission, job_id: int) -> bool:
    if row.job_id is None or row.job_id == job_id:
        return False
    owner = session.get(Job, row.job_id, populate_existing=True)
    return owner is not None and owner.active


def _claim(row_id: int, job_id: int) -> bool | None:
    """Take the row for this try: True; None when it is no longer waiting (look again); False when another
    job that is still queued or running owns it (a double click, two workers, the periodic retry racing
    "Tekrar Gönder"): that job sends it, this one stops, so one file is never in flight twice."""
    with unit_of_work() as work:
        row = work.session.scalars(select(DefterSubmission).where(DefterSubmission.id == row_id).with_for_update()
                                   .execution_options(populate_existing=True)).one()
        if row.state is not SubmissionState.WAITING:
            return None
        if _owned_by_another(work.session, row, job_id):
            return False
        row.attempts += 1
        row.job_id = job_id
        row.updated_at = utcnow()
        return True


# ---- the job ------------------------------------------------------------------------------------------------


def _backoff(attempts: int) -> timedelta:
    cap = max(1, int(current_app.config["EDEFTER_SEND_MAX_DELAY_MINUTES"]))
    return timedelta(minutes=min(cap, 2 ** max(0, attempts - 1)))


def _next(period_id: int, now: datetime) -> tuple[int, str, str, int, str, str] | None:
    """The next file to send (in GİB's order), or None when one before it failed or still waits its turn."""
    session = get_session()
    period = session.get(JournalPeriod, period_id)
    assert period is not None
    for row in queries.submissions_of(period):
        if row.state is SubmissionState.APPROVED:
            continue
        if row.state is not SubmissionState.WAITING:
            return None
        if row.next_attempt_at is not None and row.next_attempt_at > now:
            return None
        file = session.get(DefterFile, row.file_id)
        assert file is not None and file.signed_key is not None
        return row.id, file.file_name, file.signed_key, row.part_index, row.idempotency_key, _KIND_CODES[row.kind]
    return None


def send_period(job: JobContext) -> dict[str, Any]:
    """The job: send the period's due files one by one in GİB's order; record each answer in its own unit."""
    period_id = int(job.params["period_id"])
    with unit_of_work(write=False) as work:
        period = work.session.get(JournalPeriod, period_id)
        if period is None or period.taxpayer_id != job.taxpayer_id:
            raise SendingRefused("Dönem bulunamadı.")
        taxpayer = work.session.get(Taxpayer, period.taxpayer_id)
        assert taxpayer is not None
        identifier, period_text = taxpayer.identifier, f"{period.year:04d}-{period.month:02d}"
        total = len(queries.submissions_of(period))
    sent, busy = 0, False
    while True:
        with unit_of_work(write=False):
            found = _next(period_id, utcnow())
        if found is None:
            break
        row_id, name, signed_key, part_index, key, code = found
        claimed = _claim(row_id, job.job_id)
        if claimed is None:
            continue
        if not claimed:
            busy = True
            break
        job.progress(5 + 90 * sent // max(1, total), f"{name} GİB'e gönderiliyor…")
        try:
            with file_store().open(signed_key) as reader:
                signed = reader.read()
        except StorageError as error:  # the store away: the file waits like for GİB
            _unreachable(row_id, error.message)
            break
        release_reads()
        client = gib_client()
        try:
            answer = client.submit_edefter_file(name, signed, idempotency_key=key)
            sealed = None
            if answer.approval is not None:
                sealed = answer.approval.approved_berat or client.approved_berat(answer.approval.filename)
        except GibRejected as refusal:
            if refusal.code in PASSING_REFUSALS or refusal.http_status >= 500:
                _unreachable(row_id, refusal.message)  # GİB asks to try again: the same key, later
            else:
                _refused(row_id, refusal.code, refusal.text)
            break
        except GibError as error:
            _unreachable(row_id, error.message)
            break
        finally:
            client.close()
        if answer.approval is not None:
            assert sealed is not None
            try:
                checked = check_sealed_berat(sealed, signed, identifier=identifier, period=period_text, kind=code,
                                             part=part_index + 1)
            except SealRefused as refusal:
                _refused(row_id, None, refusal.message)
                break
            try:
                stored = file_store().put(io.BytesIO(sealed))
            except StorageError as error:  # GİB has it; the same key brings the same sealed berat next time
                _unreachable(row_id, error.message)
                break
            # The name from the sealed facts just matched with ours, never the answer's free text: it becomes a
            # download name and a member of the package's zip.
            _approved(row_id, approval_no=checked.approved.approval_id, at=answer.received_at,
                      name=checked.approved.info.approved_filename, key=stored.sha256, size=stored.size,
                      signer=checked.signer)
        else:
            _approved(row_id, approval_no=answer.acceptance_id or "", at=answer.received_at, name=None, key=None,
                      size=None, signer=None)
        sent += 1
    state = _settle(period_id)
    result: dict[str, Any] = {"gonderilen": sent, "durum": state.value}
    if busy:
        result["baska_is"] = True  # another job of this period was sending: it carries on
    if state is JournalPeriodState.APPROVED:
        result["arsiv"] = _keep_in_archive(period_id)
    return result


def _keep_in_archive(period_id: int) -> str:
    """The approved period's files go to the e-Defter Arşivi (D8: kept with GİB's berats, charged by size). Its
    own unit of work: short kontör leaves the approval as it is and the archive offers "Arşive Al" later."""
    from app.edefter.archive.periods import keep_approved_period
    from app.refusals import Refused

    try:
        release_reads()
        keeping = keep_approved_period(period_id)
    except Refused as refusal:
        return f"Arşive alınamadı: {refusal.message}"
    except Exception:  # noqa: BLE001 - GİB's approval stands whatever happens here; the archive offers "Arşive Al"
        log.exception("GİB onaylı dönem %s arşive alınamadı", period_id)
        return "Arşive alınamadı (beklenmeyen hata); e-Defter Arşivi'nde 'Arşive Al' ile yeniden deneyiniz."
    return f"{keeping.state.label}: {keeping.reason}" if keeping.reason else keeping.state.label


def _approved(row_id: int, *, approval_no: str, at: datetime, name: str | None, key: str | None, size: int | None,
              signer: str | None) -> None:
    with unit_of_work() as work:
        row = work.session.get(DefterSubmission, row_id)
        assert row is not None
        if row.state is SubmissionState.APPROVED:
            return  # a twin delivery recorded it (GİB answered both with the same approval)
        row.state = SubmissionState.APPROVED
        row.sent_at = row.sent_at or at
        row.approval_no, row.approved_at = approval_no[:80], at
        row.approved_file_name, row.approved_key, row.approved_size = name, key, size
        row.approved_sha256, row.seal_signer = key, (signer or None) and signer[:250]
        row.gib_code, row.gib_message, row.next_attempt_at = None, None, None
        row.updated_at = utcnow()
        work.record("edefter_gib_onayladi", taxpayer_id=row.taxpayer_id, object_type="defter_gonderimi",
                    object_id=row.id, tur=row.kind.value, parca=row.part_index, onay_no=row.approval_no,
                    onayli_berat=name, sha256=key)


def _refused(row_id: int, code: str | None, text: str) -> None:
    """GİB (or the seal check) said no: the file and the period Hata, with the text as it came."""
    with unit_of_work() as work:
        row = work.session.get(DefterSubmission, row_id)
        assert row is not None
        if row.state is SubmissionState.APPROVED:
            return  # GİB approved it through another try: a late refusal (e.g. 3003) changes nothing
        row.state = SubmissionState.FAILED
        row.gib_code, row.gib_message = code, text[:2000]
        row.next_attempt_at = None
        row.updated_at = utcnow()
        period = work.session.get(JournalPeriod, row.period_id)
        assert period is not None
        period.state = JournalPeriodState.FAILED
        period.updated_at = utcnow()
        work.record("edefter_gib_reddetti", taxpayer_id=row.taxpayer_id, object_type="defter_gonderimi",
                    object_id=row.id, result="hata", tur=row.kind.value, parca=row.part_index, kod=code,
                    mesaj=text[:500])


def _unreachable(row_id: int, message: str) -> None:
    """GİB could not be reached or did not answer: try again later (backoff), or give up after the last try."""
    limit = max(1, int(current_app.config["EDEFTER_SEND_MAX_ATTEMPTS"]))
    with unit_of_work() as work:
        row = work.session.get(DefterSubmission, row_id)
        assert row is not None
        if row.state is not SubmissionState.WAITING:
            return
        row.gib_message = message[:2000]
        row.updated_at = utcnow()
        if row.attempts >= limit:
            # The client's text promises a later try; after the last one, say what the user must do instead.
            row.gib_message = (f"{message.split(';')[0].rstrip('.')[:1800]}. {row.attempts} otomatik deneme "
                               "tükendi; bağlantı düzeldiğinde 'Tekrar Gönder' ile yeniden gönderiniz.")
            row.state, row.next_attempt_at = SubmissionState.FAILED, None
            period = work.session.get(JournalPeriod, row.period_id)
            assert period is not None
            period.state = JournalPeriodState.FAILED
            period.updated_at = utcnow()
        else:
            row.next_attempt_at = utcnow() + _backoff(row.attempts)
        work.record("edefter_gonderim_ulasilamadi", taxpayer_id=row.taxpayer_id, object_type="defter_gonderimi",
                    object_id=row.id, result="hata", deneme=row.attempts, sonraki=row.next_attempt_at,
                    mesaj=message[:300])


def _settle(period_id: int) -> JournalPeriodState:
    """Every file approved: the period GİB Onaylandı (frozen from now on)."""
    with unit_of_work() as work:
        period = work.session.get(JournalPeriod, period_id)
        assert period is not None
        rows = list(work.session.scalars(select(DefterSubmission).where(DefterSubmission.period_id == period_id)))
        if rows and period.state is not JournalPeriodState.APPROVED and all(
                row.state is SubmissionState.APPROVED for row in rows):
            period.state = JournalPeriodState.APPROVED
            period.updated_at = utcnow()
            work.record("edefter_donem_gib_onayli", taxpayer_id=period.taxpayer_id, object_type="defter_donemi",
                        object_id=period.id, donem=f"{period.year:04d}-{period.month:02d}", dosya=len(rows))
        return period.state


ORPHAN_AFTER = timedelta(minutes=10)


def retry_due_submissions() -> int:
    """The periodic task: start the sending job again for every period whose waiting file's time has come.
    Returns how many jobs were started (one per period; one already running is left alone)."""
    now = utcnow()
    with unit_of_work(write=False) as work:
        # Due: a try after GİB was away whose time has come, or a file left waiting with no next try because its
        # job was given up (a worker killed too often) or never queued; quiet for a while, so a job being started
        # this minute is not raced.
        orphaned = DefterSubmission.next_attempt_at.is_(None) & (DefterSubmission.updated_at <= now - ORPHAN_AFTER)
        due = work.session.scalars(select(DefterSubmission).where(
            DefterSubmission.state == SubmissionState.WAITING,
            or_(DefterSubmission.next_attempt_at <= now, orphaned)).order_by(DefterSubmission.id)).all()
        by_period: dict[int, DefterSubmission] = {}
        for row in due:
            by_period.setdefault(row.period_id, row)
        plans = []
        for period_id, row in by_period.items():
            period = work.session.get(JournalPeriod, period_id)
            if period is None or _active_job(queries.submissions_of(period)) is not None:
                continue
            # One job per period and try, however many schedulers run this at the same minute.
            # The due time, not the attempt count: "Tekrar Gönder" after a Hata resets the count, and an old
            # job's key would answer with that finished job, leaving the file waiting for ever.
            # An orphan is named after the job that left it, so a second rescue after another given-up job is new.
            due_at = (row.next_attempt_at.strftime("%Y%m%d%H%M%S%f") if row.next_attempt_at
                      else f"yetim-{row.job_id or 0}")
            plans.append((row.taxpayer_id, period_id, f"edefter-gonderim-{period_id}-{row.id}-{due_at}",
                          _label(period), [r.id for r in queries.submissions_of(period)
                                           if r.state is SubmissionState.WAITING]))
    for taxpayer_id, period_id, key, label, row_ids in plans:
        job = submit(SEND_KIND, taxpayer_id, f"e-Defter GİB'e gönderim {label} (otomatik tekrar)",
                     {"period_id": period_id}, idempotency_key=key)
        _own(row_ids, job.id)
    return len(plans)


SEND = JobKind(SEND_KIND, send_period, max_attempts=2, retry_when_gib_away=False,
               result_template="defter/_send_result.html")
