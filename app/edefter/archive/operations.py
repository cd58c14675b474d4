"""e-Defter Arşivi operations: take an upload (checked in the request when small, by a job when large), keep each
file that passes, and keep the company's own approved periods (decision notes 0160, 0161).

Each file is decided in its own unit of work: the MB of kontör are taken and the entry written together, its bytes
having been put in the content-addressed store just before (no lock held while hundreds of MB are copied), so
what is charged is stored; a kill leaves at most a stored file no entry names. A rerun of a killed job continues
after the last committed member (``processed``). The slow checks run before the unit, with no database lock held.
"""

from __future__ import annotations

import logging
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Callable

from flask import current_app
from sqlalchemy import select, update

from app.cards import trust_anchors
from app.db import get_session, utcnow
from app.edefter.archive import rules
from app.edefter.archive.members import Member, is_zip, opened
from app.edefter.archive.reading import Context, Examined, examine
from app.edefter.company import queries as company
from app.formatting import local_today
from app.jobs.engine import current_engine
from app.jobs.kinds import JobContext, JobKind
from app.jobs.submit import submit
from app.kontor.queries import balance_of, balances
from app.kontor.rules import KontorRefused, megabytes
from app.kontor.spending import Purse
from app.models import Job, Taxpayer
from app.models.edefter_archive import (
    ArchiveOrigin,
    ArchiveUploadStatus,
    ArchiveVerdict,
    EdefterArchiveEntry,
    EdefterArchiveUpload,
    EdefterArchiveVerdict,
)
from app.models.kontor import KontorUnit
from app.storage import FileTooLarge, StorageError, file_store
from app.unit_of_work import release_reads, unit_of_work

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


# --- the request: keep the upload, check it now or queue the job --------------------------------------------------


def parse_period(text: str) -> tuple[int, int] | None:
    """The optional "Dönem" of the form (YYYY-MM); ArchiveRefused when it is not one."""
    text = (text or "").strip()
    if not text:
        return None
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12 or len(parts[0]) != 4:
        raise rules.ArchiveRefused("Dönem YYYY-AA biçiminde olmalıdır (ör. 2023-12).")
    return int(parts[0]), int(parts[1])


def start_upload(taxpayer: Taxpayer, filename: str, stream: BinaryIO, period: str = "") -> EdefterArchiveUpload:
    """Keep the uploaded file in the store and check it: in this request when small, else by a job."""
    filename = rules.clean_name(filename or "").rsplit("/", 1)[-1] or "defter.xml"
    if not filename.lower().endswith((".xml", ".zip")):
        raise rules.ArchiveRefused("Yalnızca XBRL/XML (.xml) e-Defter dosyası ya da bunların .zip arşivi "
                                   "yüklenebilir.")
    expected = parse_period(period)
    rules.require_storage()
    _require_balance(taxpayer)
    release_reads()
    try:
        kept = file_store().put(stream, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except FileTooLarge:
        raise rules.ArchiveRefused("Dosya yükleme sınırından büyük.") from None
    except StorageError as error:
        raise rules.ArchiveRefused(f"{rules.STORAGE_UNREACHABLE}: {error.message}") from None
    if kept.size == 0:
        raise rules.ArchiveRefused("Dosya boş.")
    with unit_of_work() as work:
        upload = EdefterArchiveUpload(taxpayer_id=taxpayer.id, filename=filename, sha256=kept.sha256, size=kept.size,
                                      expected_year=expected[0] if expected else None,
                                      expected_month=expected[1] if expected else None,
                                      status=ArchiveUploadStatus.SIRADA)
        work.session.add(upload)
        work.session.flush()
        work.record("edefter_arsivi_yuklendi", taxpayer_id=taxpayer.id, object_type="edefter_arsivi_yuklemesi",
                    object_id=upload.id, dosya=filename, boyut=kept.size)
    if _immediate(upload):
        process_upload(upload.id, lambda percent, phrase: None)
        get_session().refresh(upload)
        return upload
    job = submit(rules.JOB_KIND, taxpayer.id, f"e-Defter Arşivi: {filename}", {"yukleme": upload.id},
                 idempotency_key=f"edefter-arsivi-{upload.id}")
    with unit_of_work() as work:
        work.session.execute(update(EdefterArchiveUpload).where(EdefterArchiveUpload.id == upload.id)
                             .values(job_id=job.id))
    upload.job_id = job.id
    return upload


# An upload still "Sırada"/"Sürüyor" this long after it arrived, with no job waiting or running for it, was left
# behind (the request or worker checking it was killed, or its job was never queued): the page offers to go on.
STUCK_AFTER = timedelta(minutes=10)


def is_stuck(upload: EdefterArchiveUpload, job: Job | None, now: datetime | None = None) -> bool:
    unfinished = upload.status in (ArchiveUploadStatus.SIRADA, ArchiveUploadStatus.SURUYOR)
    return unfinished and (job is None or not job.active) and (now or utcnow()) - upload.created_at >= STUCK_AFTER


def resume_upload(taxpayer: Taxpayer, upload_id: int) -> EdefterArchiveUpload:
    """"Kontrolü Sürdür": check a left-behind upload again by a job, from after the last member it committed."""
    with unit_of_work() as work:
        upload = work.session.scalars(select(EdefterArchiveUpload).where(
            EdefterArchiveUpload.id == upload_id, EdefterArchiveUpload.taxpayer_id == taxpayer.id)
            .with_for_update().execution_options(populate_existing=True)).one_or_none()
        if upload is None:
            raise rules.ArchiveRefused("Yükleme bulunamadı.")
        job = work.session.get(Job, upload.job_id) if upload.job_id else None
        if not is_stuck(upload, job):
            raise rules.ArchiveRefused("Bu yüklemenin denetimi sürüyor ya da tamamlandı; yeniden başlatılamaz.")
        work.record("edefter_arsivi_surduruldu", taxpayer_id=taxpayer.id, object_type="edefter_arsivi_yuklemesi",
                    object_id=upload.id, islenen=upload.processed)
        previous = upload.job_id or 0
    # Named after the job that left it: pressing twice gives the same job, a later rescue a new one.
    job = submit(rules.JOB_KIND, taxpayer.id, f"e-Defter Arşivi: {upload.filename} (sürdürülüyor)",
                 {"yukleme": upload.id}, idempotency_key=f"edefter-arsivi-{upload.id}-surdur-{previous}")
    with unit_of_work() as work:
        work.session.execute(update(EdefterArchiveUpload).where(EdefterArchiveUpload.id == upload.id)
                             .values(job_id=job.id))
    upload.job_id = job.id
    return upload


def _immediate(upload: EdefterArchiveUpload) -> bool:
    """Small uploads are checked in the request (one or a few files); the rest by a job with progress (in the
    request too where the job kind is not installed: slower, never lost)."""
    if rules.JOB_KIND not in current_engine().kinds:
        return True
    if upload.size > rules.IMMEDIATE_BYTES:
        return False
    if not is_zip(upload.filename):
        return True
    path = _stored_path(upload.sha256)
    try:
        with opened(path, upload.filename, rules.max_file_bytes()) as (total, _members):
            if total > rules.IMMEDIATE_MEMBERS:
                return False
        with zipfile.ZipFile(path) as archive:  # a few MB of zip may inflate to GBs: judge by what it declares
            return sum(info.file_size for info in archive.infolist()) <= rules.IMMEDIATE_BYTES
    except (rules.ArchiveRefused, zipfile.BadZipFile, OSError, ValueError):
        return True  # a broken zip: process_upload refuses it now and the upload says why (not "Sırada" forever)


def _require_balance(taxpayer: Taxpayer) -> None:
    """An empty MB balance refuses the upload with the seed's sentence before anything is stored."""
    if balance_of(taxpayer.id, KontorUnit.MB).remaining <= 0:
        raise KontorRefused(KontorUnit.MB, 1, 0)


def _stored_path(sha256: str) -> Path:
    return file_store().verified_path(sha256)  # type: ignore[attr-defined]


# --- checking an upload (the job, or the request for a small one) -------------------------------------------------


def run_upload(job: JobContext) -> dict[str, Any]:
    """The job: check and keep the upload named in its parameters, continuing after what a killed run committed."""
    upload = process_upload(int(job.params["yukleme"]), job.progress, taxpayer_id=job.taxpayer_id)
    return {"yukleme": upload.id, "mukellef": upload.taxpayer_id, "toplam": upload.total,
            "saklandi": upload.stored_count, "zaten": upload.duplicate_count, "reddedildi": upload.refused_count,
            "kontor": upload.charged}


def process_upload(upload_id: int, progress: Progress, *, taxpayer_id: int | None = None) -> EdefterArchiveUpload:
    session = get_session()
    upload = session.get(EdefterArchiveUpload, upload_id, populate_existing=True)
    if upload is None or (taxpayer_id is not None and upload.taxpayer_id != taxpayer_id):
        raise rules.ArchiveRefused("Yükleme bulunamadı.")
    taxpayer = session.get(Taxpayer, upload.taxpayer_id)
    assert taxpayer is not None
    expected = (upload.expected_year, upload.expected_month) if upload.expected_year and upload.expected_month else None
    context = context_for(taxpayer, expected)
    release_reads()
    try:
        source = _stored_path(upload.sha256)
        with opened(source, upload.filename, context.max_bytes, upload.processed) as (total, members):
            _mark_running(upload.id, total)
            for member in members:
                verdict = _check(member, context)
                _keep(taxpayer, upload.id, member, verdict)
                done = member.position + 1
                progress(min(99, done * 100 // max(total, 1)), f"{done}/{total} dosya işlendi.")
    except (rules.ArchiveRefused, StorageError) as refused:
        message = refused.message if isinstance(refused, rules.ArchiveRefused) else \
            f"{rules.STORAGE_UNREACHABLE}: {refused.message}"
        _finish(upload.id, ArchiveUploadStatus.HATA, message)
        raise rules.ArchiveRefused(message) from None
    return _finish(upload.id, ArchiveUploadStatus.TAMAMLANDI, None)


def context_for(taxpayer: Taxpayer, expected: tuple[int, int] | None = None) -> Context:
    return Context(owner_id=taxpayer.identifier, branch_codes=frozenset(b.code for b in company.branches_of(taxpayer)),
                   anchors=trust_anchors(), today=local_today(), max_bytes=rules.max_file_bytes(),
                   xsd_dir=str(current_app.config.get("EDEFTER_XSD_DIR") or ""), expected=expected)


def _check(member: Member, context: Context) -> Examined | str:
    """The member's checks (no database): what it is, or why it is refused."""
    if member.path is None:
        return member.problem or "Dosya okunamadı."
    try:
        return examine(member.path, context)
    except rules.FileRefused as refused:
        return refused.message


def _keep(taxpayer: Taxpayer, upload_id: int, member: Member, verdict: Examined | str) -> None:
    """One member's unit of work: its verdict, and for a file that passed its entry and kontör. Its bytes are put in
    the store before the unit (hundreds of MB are copied with no database lock held); a rollback or a kill leaves
    at most a stored file no entry names, never a charge without a file."""
    sha256 = _stored_before(taxpayer, member.path, verdict) if not isinstance(verdict, str) else None
    with unit_of_work() as work:
        upload = work.session.scalars(select(EdefterArchiveUpload).where(EdefterArchiveUpload.id == upload_id)
                                      .with_for_update().execution_options(populate_existing=True)).one()
        if upload.processed != member.position:  # another run decided it already
            return
        row = EdefterArchiveVerdict(upload_id=upload_id, position=member.position, filename=member.filename[:250],
                                    verdict=ArchiveVerdict.REDDEDILDI, reason="")
        if isinstance(verdict, str):
            row.reason = verdict
            upload.refused_count += 1
        else:
            assert sha256 is not None
            row.kind = verdict.kind
            outcome = keep_file(work, taxpayer, verdict, Path(member.filename).name, sha256,
                                origin=ArchiveOrigin.UPLOAD, upload_id=upload_id)
            if isinstance(outcome, str):
                row.reason = outcome
                upload.refused_count += 1
            else:
                entry, charged = outcome
                row.entry_id = entry.id
                if charged:
                    row.verdict = ArchiveVerdict.SAKLANDI
                    upload.stored_count += 1
                    upload.charged += charged
                else:
                    row.verdict, row.reason = ArchiveVerdict.ZATEN_VAR, "Aynı dosya arşivde zaten var; kontör düşülmedi."
                    upload.duplicate_count += 1
        work.session.add(row)
        upload.processed = member.position + 1


def _stored_before(taxpayer: Taxpayer, path: Path | None, examined: Examined) -> str:
    """The member's hash, its bytes put in the store unless they are there already or the balance plainly cannot
    pay for them (then the unit refuses it and nothing is left behind)."""
    assert path is not None
    sha256 = _sha256_of(path)
    store = file_store()
    affordable = balance_of(taxpayer.id, KontorUnit.MB).remaining >= megabytes(examined.size)
    release_reads()
    if affordable and not store.exists(sha256):
        kept = store.put(path)
        assert kept.sha256 == sha256, "the file changed while it was being archived"
    return sha256


def keep_file(work: Any, taxpayer: Taxpayer, examined: Examined, file_name: str, sha256: str, *,
              origin: ArchiveOrigin, upload_id: int | None = None,
              period_id: int | None = None) -> tuple[EdefterArchiveEntry, int] | str:
    """Inside the caller's unit: the existing entry (free) or a new one with its MB taken; the kontör refusal's
    sentence when the balance does not cover it. The bytes are in the store already under ``sha256``."""
    existing = _entry_with(work, taxpayer.id, sha256)
    if existing is not None:
        return existing, 0
    purse = Purse(work.session, taxpayer.id, KontorUnit.MB, local_today())
    # Asked again under the balance's lock: a concurrent upload of the same bytes may have kept them meanwhile.
    existing = _entry_with(work, taxpayer.id, sha256)
    if existing is not None:
        return existing, 0
    amount = megabytes(examined.size)
    pieces = purse.take(amount)
    if pieces is None:
        return KontorRefused(KontorUnit.MB, amount, purse.available).message
    if not file_store().exists(sha256):  # the balance looked short before the unit (MB loaded meanwhile)
        return "Dosya belge deposuna yazılmadı (kontör bakiyesi o an yetersizdi); dosyayı yeniden yükleyiniz."
    entry = EdefterArchiveEntry(
        taxpayer_id=taxpayer.id, kind=examined.kind, origin=origin, year=examined.year, month=examined.month,
        branch_code=examined.branch_code, part=examined.part, unique_id=examined.unique_id, file_name=file_name[:250],
        sha256=sha256, size=examined.size, signer_identifier=examined.signer_identifier,
        signer_name=examined.signer_name, certificate_serial=examined.certificate_serial,
        signing_time=examined.signing_time, checks=examined.checks[:500],
        last_entry_counter=examined.last_entry_counter, charged=amount, upload_id=upload_id, period_id=period_id,
        stored_at=utcnow())
    work.session.add(entry)
    work.session.flush()
    purse.commit_to([(None, pieces)], note=f"e-Defter Arşivi: {file_name}"[:250])
    work.record("edefter_arsive_alindi", taxpayer_id=taxpayer.id, object_type="edefter_arsivi", object_id=entry.id,
                tur=examined.kind.value, donem=f"{examined.year:04d}-{examined.month:02d}", dosya=file_name[:120],
                boyut=examined.size, kontor_mb=amount, sha256=sha256)
    return entry, amount


def _entry_with(work: Any, taxpayer_id: int, sha256: str) -> EdefterArchiveEntry | None:
    return work.session.scalar(select(EdefterArchiveEntry).where(EdefterArchiveEntry.taxpayer_id == taxpayer_id,
                                                                 EdefterArchiveEntry.sha256 == sha256)
                               .execution_options(populate_existing=True))


def _sha256_of(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _mark_running(upload_id: int, total: int) -> None:
    with unit_of_work() as work:
        unfinished = EdefterArchiveUpload.status != ArchiveUploadStatus.TAMAMLANDI  # a rerun leaves it finished
        work.session.execute(update(EdefterArchiveUpload).where(EdefterArchiveUpload.id == upload_id, unfinished)
                             .values(status=ArchiveUploadStatus.SURUYOR, total=total))


def _finish(upload_id: int, status: ArchiveUploadStatus, error: str | None) -> EdefterArchiveUpload:
    with unit_of_work() as work:
        upload = work.session.get(EdefterArchiveUpload, upload_id, populate_existing=True)
        assert upload is not None
        if upload.status is not ArchiveUploadStatus.TAMAMLANDI:
            upload.status, upload.error, upload.finished_at = status, error, utcnow()
            work.record("edefter_arsivi_tamamlandi" if error is None else "edefter_arsivi_hata",
                        taxpayer_id=upload.taxpayer_id, object_type="edefter_arsivi_yuklemesi", object_id=upload.id,
                        result="ok" if error is None else "hata", saklandi=upload.stored_count,
                        zaten=upload.duplicate_count, reddedildi=upload.refused_count, kontor_mb=upload.charged)
        return upload


def _present(result: dict[str, Any]) -> dict[str, Any]:
    """The result with the balance as it is now (the widget shows the MB going down)."""
    taxpayer_id = result.get("mukellef")
    return {**result, "bakiye": balances(int(taxpayer_id)) if taxpayer_id else []}


UPLOAD = JobKind(rules.JOB_KIND, run_upload, result_template="defter_arsivi/_job_result.html", present=_present)
