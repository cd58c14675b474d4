"""Spreadsheet imports: an uploaded file (or the CLI's) is kept in the file store, then read streaming and taken
whole or refused whole; a large upload runs as a job with a progress bar (decision note 0102)."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, Iterator

from flask import current_app

from app.db import database
from app.jobs import JobContext, JobKind, submit
from app.journal.intake import Arrival, BatchResult, ingest
from app.journal.periods import parse_period, period_name
from app.journal.problems import JournalRefused
from app.journal.readers import CsvSource, XlsxSource, source_for
from app.journal.rules import PeriodBounds
from app.models import Job, JournalSource, Taxpayer
from app.storage import CHUNK_SIZE, FileTooLarge, file_store

IMPORT_KIND = "yevmiye_yukleme"
ACCEPTED_SUFFIXES = (".csv", ".txt", ".xlsx")


@dataclass(frozen=True)
class UploadOutcome:
    result: BatchResult | None = None
    job: Job | None = None


def _checked_name(file_name: str | None) -> str:
    name = "".join(char for char in (file_name or "") if char.isprintable())  # a NUL never reaches a column
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    if not name:
        raise JournalRefused("Yüklenecek dosyayı seçiniz.")
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        raise JournalRefused("Yalnızca CSV (.csv) ya da Excel (.xlsx) dosyası yüklenebilir.")
    return name


@contextmanager
def _opened(file_name: str, sha256: str) -> Iterator[CsvSource | XlsxSource]:
    """The stored file's reader: CSV straight from the store, XLSX from a seekable temporary copy (a zip)."""
    with file_store().open(sha256) as stored:
        if not file_name.lower().endswith(".xlsx"):
            yield source_for(file_name, lambda: stored)
            return
        with tempfile.TemporaryFile() as copy:
            shutil.copyfileobj(stored, copy, CHUNK_SIZE)
            copy.seek(0)
            yield source_for(file_name, lambda: copy)


def import_stored(taxpayer_id: int, bounds: PeriodBounds, file_name: str, sha256: str, arrival: Arrival,
                  job: JobContext | None = None) -> BatchResult:
    size = file_store().size(sha256)
    with _opened(file_name, sha256) as source:
        progress = None
        # SQLite: the import's unit holds the only write lock, so a progress row could not be written meanwhile.
        if job is not None and database().engine.dialect.name != "sqlite":
            def progress(entries: int, lines: int) -> None:
                done = source.position / ((source.size if isinstance(source, XlsxSource) else size) or 1)
                written = f"{entries:,} madde, {lines:,} satır yazıldı…".replace(",", ".")
                job.progress(5 + int(90 * min(done, 1)), written)
        return ingest(taxpayer_id, bounds, source.entries(), arrival, progress)


def store_upload(stream: IO[bytes] | BinaryIO, file_name: str | None) -> tuple[str, str, int]:
    name = _checked_name(file_name)
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    try:
        stored = file_store().put(stream, max_bytes=limit)
    except FileTooLarge:
        raise JournalRefused(f"Dosya en fazla {current_app.config['MAX_UPLOAD_MB']} MB olabilir.") from None
    if stored.size == 0:
        raise JournalRefused("Dosya boş; ilk satır sütun başlıkları olmalıdır.")
    return name, stored.sha256, stored.size


def upload(taxpayer: Taxpayer, period_text: str, stream: IO[bytes], file_name: str | None, actor: str) -> UploadOutcome:
    """Import an uploaded file now (small) or as a job (large); a refusal names every bad row."""
    bounds = parse_period(period_text)
    name, sha256, size = store_upload(stream, file_name)
    if size <= current_app.config["JOURNAL_INLINE_UPLOAD_KB"] * 1024:
        arrival = Arrival(JournalSource.UPLOAD, actor, file_name=name)
        return UploadOutcome(result=import_stored(taxpayer.id, bounds, name, sha256, arrival))
    job = submit(IMPORT_KIND, taxpayer.id, f"Yevmiye yükleme: {name} ({period_name(bounds)})",
                 {"dosya": name, "sha256": sha256, "donem": period_name(bounds), "gonderen": actor})
    return UploadOutcome(job=job)


def run_import(job: JobContext) -> dict[str, Any]:
    """The job: read the stored file and take it whole; a refusal is the job's answer (with every bad row)."""
    params = job.params
    bounds = parse_period(params["donem"])
    job.progress(2, "Dosya okunuyor…")
    arrival = Arrival(JournalSource.UPLOAD, params["gonderen"], file_name=params["dosya"],
                      idempotency_key=f"is-{job.job_id}", request_hash=params["sha256"])
    try:
        result = import_stored(job.taxpayer_id or 0, bounds, params["dosya"], params["sha256"], arrival, job)
    except JournalRefused as refused:
        return {"kabul": False, "mesaj": refused.message, "donem": params["donem"],
                "hatalar": [problem.text for problem in refused.problems], "fazla": refused.more}
    return {"kabul": True, "donem": result.period, "donem_id": result.period_id, "madde": result.entry_count,
            "satir": result.line_count, "dosya": params["dosya"]}


IMPORT = JobKind(IMPORT_KIND, run_import, max_attempts=2, result_template="yevmiye/_job_result.html")


def import_path(taxpayer_id: int, bounds: PeriodBounds, path: str, actor: str) -> BatchResult:
    """The CLI's import: a file on disk, read streaming, taken whole or refused whole."""
    name = _checked_name(path)
    with open(path, "rb") as handle:
        source = source_for(name, lambda: handle)
        return ingest(taxpayer_id, bounds, source.entries(), Arrival(JournalSource.CLI, actor, file_name=name))
