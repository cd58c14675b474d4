"""The creation job: write the period's yevmiye and kebir parts, check them, store them — without the PIN.

Each part is written to a temporary file as canonical bytes (its signing digest known when it ends), checked
against GİB's rules, and put into the file store; the rows keep keys, sizes, digests, counts and numbering. A
madde that breaks a rule is listed (up to ``MAX_PROBLEMS``) and the period fails: nothing half-made is kept.
Running the job again replaces what an earlier run wrote (idempotent).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import delete, select

from app.db import database, utcnow
from app.edefter.creation import journal
from app.edefter.creation.checks import check_part
from app.edefter.creation.naming import file_name
from app.edefter.creation.prerequisites import check_settings
from app.edefter.creation.refusals import CreationRefused
from app.formats.xbrl.defter_stream import WrittenPart, write_kebir_parts, write_yevmiye_parts
from app.formats.xbrl.model import CompanyInfo, DocumentInfo, JournalEntry
from app.formats.xbrl.rules import LedgerWriteError, check_journal_entry
from app.jobs import JobContext
from app.models import DefterCreation, DefterFile, DefterFileKind, JournalPeriod, JournalPeriodState, Taxpayer
from app.models.defter_file import CreationState
from app.storage import file_store
from app.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

MAX_PROBLEMS = 50
PREPARE_KIND = "edefter_olustur"


def part_max_bytes() -> int:
    return max(4, int(current_app.config["EDEFTER_PART_MAX_KB"])) * 1024


class _Checked:
    """Passes on the maddeler that keep GİB's rules, renumbered without gaps; collects the ones that do not."""

    def __init__(self, entries: Iterator[JournalEntry], document: DocumentInfo) -> None:
        self._entries = entries
        self._document = document
        self.problems: list[str] = []
        self.count = 0

    def __iter__(self) -> Iterator[JournalEntry]:
        counter: int | None = None
        for entry in self._entries:
            counter = entry.counter if counter is None else counter
            try:
                check_journal_entry(replace(entry, counter=counter), self._document)
            except LedgerWriteError as error:
                if len(self.problems) < MAX_PROBLEMS:
                    self.problems.append(f"Fiş {entry.number_text}: {error}")
                continue
            self.count += 1
            yield replace(entry, counter=counter)
            counter += 1


def prepare_period(job: JobContext) -> dict[str, Any]:
    """The handler (JobKind ``edefter_olustur``): params ``creation_id``."""
    creation_id = int(job.params["creation_id"])
    with unit_of_work(write=False) as work:
        creation = work.session.get(DefterCreation, creation_id)
        if creation is None or creation.taxpayer_id != job.taxpayer_id:
            raise CreationRefused("Defter oluşturma kaydı bulunamadı.")
        period = work.session.get(JournalPeriod, creation.period_id)
        taxpayer = work.session.get(Taxpayer, creation.taxpayer_id)
        assert period is not None and taxpayer is not None
        try:
            company = check_settings(taxpayer, period.branch_code)
        except CreationRefused as refusal:
            failed: CreationRefused | None = refusal
        else:
            failed = None
        start, end = journal.period_bounds(period.year, period.month)
        document = DocumentInfo(start, end, max(utcnow().date(), end), source_application="e-Belge Portal")
        first_counter, first_line, max_bytes = creation.first_entry_counter, creation.first_line_number, creation.max_part_bytes
        names = (taxpayer.identifier, period.year, period.month, period.branch_code)
        period_id = period.id
    if failed is not None:
        _fail(creation_id, period_id, failed.message, [])
        raise failed
    return _prepare(job, creation_id, period_id, company, document, first_counter, first_line, max_bytes, names)


def _prepare(job: JobContext, creation_id: int, period_id: int, company: CompanyInfo, document: DocumentInfo,
             first_counter: int, first_line: int, max_bytes: int, names: tuple[str, int, int, str]) -> dict[str, Any]:
    identifier, year, month, branch = names
    folder = Path(tempfile.mkdtemp(prefix="edefter-"))
    session = database().sessions()  # a long read of its own; progress commits elsewhere
    try:
        paths: dict[tuple[str, int], Path] = {}

        def opener(code: str):  # type: ignore[no-untyped-def]
            @contextlib.contextmanager
            def open_part(index: int) -> Iterator[BinaryIO]:
                path = folder / f"{code}-{index}.xml"
                with open(path, "wb", buffering=1024 * 1024) as handle:
                    yield handle
                paths[(code, index)] = path
            return open_part

        job.progress(2, "Yevmiye defteri yazılıyor…")
        total = max(1, _entry_count(session, period_id))
        checked = _Checked(journal.journal_entries(session, period_id, first_counter), document)
        yevmiye = write_yevmiye_parts(
            opener("Y"), company, document, checked, first_entry_counter=first_counter, first_line_number=first_line,
            max_part_bytes=max_bytes,
            progress=lambda done: job.progress(2 + 48 * done // total, f"Yevmiye defteri yazılıyor ({done} madde)…"))
        if checked.problems:
            raise CreationRefused("Dönemin kayıtları GİB kurallarına uymuyor; defter imzalanmadı.", ) from _Problems(
                checked.problems)
        job.progress(50, "Büyük defter (kebir) yazılıyor…")
        kebir = write_kebir_parts(opener("K"), company, document,
                                  journal.ledger_accounts(session, period_id, first_counter),
                                  first_line_number=1, max_part_bytes=max_bytes)
        movements = journal.movements(session, period_id)
        session.close()
        job.progress(75, "Dosyalar GİB kurallarına göre kontrol ediliyor…")
        problems: list[str] = []
        for code, parts in (("Y", yevmiye), ("K", kebir)):
            for part in parts:
                problems += check_part(paths[(code, part.index)], code, identifier, branch)
        if problems:
            raise CreationRefused("Oluşturulan dosyalar GİB kurallarına uymuyor; defter imzalanmadı.") from _Problems(
                problems[:MAX_PROBLEMS])
        job.progress(90, "Dosyalar saklanıyor…")
        stored = {key: file_store().put(path) for key, path in paths.items()}
        _record(creation_id, period_id, yevmiye, kebir, movements, stored, names)
    except CreationRefused as refusal:
        session.close()  # end the long read before writing (it must not outlive the failure's own unit)
        cause = refusal.__cause__
        _fail(creation_id, period_id, refusal.message, cause.problems if isinstance(cause, _Problems) else [])
        raise
    except LedgerWriteError as error:
        session.close()
        _fail(creation_id, period_id, "Defter yazılamadı.", [str(error)])
        raise CreationRefused(f"Defter yazılamadı: {error}") from None
    finally:
        session.close()
        shutil.rmtree(folder, ignore_errors=True)
    return {"yevmiye": len(yevmiye), "kebir": len(kebir), "maddeler": checked.count}


class _Problems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(len(problems))
        self.problems = problems


def _entry_count(session: Any, period_id: int) -> int:
    from sqlalchemy import func

    from app.models import JournalEntry as EntryRow

    return int(session.scalar(select(func.count()).select_from(EntryRow).where(EntryRow.period_id == period_id)) or 0)


def _record(creation_id: int, period_id: int, yevmiye: list[WrittenPart], kebir: list[WrittenPart],
            movements: list[Any], stored: dict[tuple[str, int], Any], names: tuple[str, int, int, str]) -> None:
    identifier, year, month, branch = names
    with unit_of_work() as work:
        creation = work.session.get(DefterCreation, creation_id)
        period = work.session.get(JournalPeriod, period_id)
        assert creation is not None and period is not None
        # Files GİB never approved go with their submissions; an approved one blocks re-creation (prerequisites).
        from app.models import DefterSubmission

        work.session.execute(delete(DefterSubmission).where(DefterSubmission.creation_id == creation_id))
        work.session.execute(delete(DefterFile).where(DefterFile.creation_id == creation_id))
        for code, kind, parts in (("Y", DefterFileKind.YEVMIYE, yevmiye), ("K", DefterFileKind.KEBIR, kebir)):
            for part in parts:
                key = stored[(code, part.index)]
                work.session.add(DefterFile(
                    taxpayer_id=creation.taxpayer_id, creation_id=creation_id, kind=kind, part_index=part.index,
                    file_name=file_name(identifier, year, month, code, part.index + 1, branch),
                    unique_id=part.unique_id, unsigned_key=key.sha256, unsigned_size=key.size,
                    canonical_sha256=part.digest.hex(), entry_count=part.entry_count, line_count=part.line_count,
                    first_entry_counter=part.first_entry_counter, last_entry_counter=part.last_entry_counter,
                    first_line_number=part.first_line_number, last_line_number=part.last_line_number,
                    tax_totals={k: f"{v:.2f}" for k, v in part.tax_totals.items()},
                ))
        creation.state = CreationState.PREPARED
        creation.entry_count = sum(p.entry_count for p in yevmiye)
        creation.line_count = sum(p.line_count for p in yevmiye)
        creation.last_entry_counter = yevmiye[-1].last_entry_counter
        creation.last_line_number = yevmiye[-1].last_line_number
        creation.movements = journal.movements_json(movements)
        creation.problems = []
        creation.error = None
        creation.prepared_at = utcnow()
        period.state = JournalPeriodState.CREATED
        period.updated_at = utcnow()
        work.record("edefter_olusturuldu", taxpayer_id=creation.taxpayer_id, object_type="defter_donemi",
                    object_id=period_id, donem=f"{year:04d}-{month:02d}", sube=branch or None,
                    yevmiye_parca=len(yevmiye), kebir_parca=len(kebir), madde=creation.entry_count,
                    ilk_madde=creation.first_entry_counter, son_madde=creation.last_entry_counter)


def _fail(creation_id: int, period_id: int, message: str, problems: list[str]) -> None:
    with unit_of_work() as work:
        creation = work.session.get(DefterCreation, creation_id)
        period = work.session.get(JournalPeriod, period_id)
        if creation is None or period is None:
            return
        creation.state = CreationState.FAILED
        creation.error = message[:1000]
        creation.problems = problems
        # Back to OPEN: the entries can be corrected (intake accepts changes only while a period is open).
        if period.state in (JournalPeriodState.CREATED, JournalPeriodState.FAILED):
            period.state = JournalPeriodState.OPEN
        work.record("edefter_olusturulamadi", taxpayer_id=creation.taxpayer_id, object_type="defter_donemi",
                    object_id=period_id, result="hata", neden=message[:200], kural_sayisi=len(problems))
