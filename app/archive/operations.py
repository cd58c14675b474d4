"""Belge Saklama operations: take an upload, run its import as a job in batches, each batch one unit of work.

A batch's documents, their Kullanım movements, its verdicts and the import's counters commit together (decision
note 0091): a worker killed mid-way leaves whole batches only, so what is stored is charged and what is charged is
stored, and a rerun continues after the last committed member (``ArchiveImport.processed``). The bytes go to the
content-addressed store before the batch's transaction: a file without a row is never listed nor charged, and
the rerun puts the same bytes under the same name again.
"""

from __future__ import annotations

import logging
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import func, select, update

from app.archive import rules
from app.bulk_insert import insert_rows
from app.archive.checking import Candidate, Refusal
from app.archive.members import Member, opened
from app.archive.pool import Checking, Setup, anchors_der, worker_count
from app.cards import trust_anchors
from app.db import get_session, utcnow
from app.formatting import local_today
from app.jobs.kinds import JobContext, JobKind
from app.jobs.submit import submit
from app.kontor.rules import KontorRefused, charge, unit_for
from app.kontor.spending import Piece, Purse
from app.models import ArchivedDocument, ArchiveImport, ImportStatus, ImportVerdict, Taxpayer, Verdict
from app.models.kontor import KontorUnit
from app.storage import FileTooLarge, file_store
from app.unit_of_work import release_reads, unit_of_work

log = logging.getLogger(__name__)

BATCH = 500  # members per transaction: small enough to lose little on a kill, big enough for the throughput
JOB_KIND = "belge_saklama"


@dataclass
class _BatchResult:
    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    charged: int = 0
    verdicts: list[dict[str, Any]] = field(default_factory=list)


# --- the request: keep the upload, queue the job ----------------------------------------------------------------


def start_import(taxpayer: Taxpayer, filename: str, stream: BinaryIO) -> ArchiveImport:
    """Keep the uploaded file in the store and queue its import; the job does the rest."""
    filename = rules.clean_name(filename or "").rsplit("/", 1)[-1] or "belge.xml"
    if not filename.lower().endswith((".xml", ".zip")):
        raise rules.ArchiveRefused("Yalnızca .xml belge ya da belgelerin .zip arşivi yüklenebilir.")
    release_reads()
    try:
        kept = file_store().put(stream, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except FileTooLarge:
        raise rules.ArchiveRefused("Dosya yükleme sınırından büyük.") from None
    if kept.size == 0:
        raise rules.ArchiveRefused("Dosya boş.")
    with unit_of_work() as work:
        upload = ArchiveImport(taxpayer_id=taxpayer.id, filename=filename, sha256=kept.sha256, size=kept.size,
                               status=ImportStatus.SIRADA)
        work.session.add(upload)
        work.session.flush()
        work.record("belge_saklama_yuklendi", taxpayer_id=taxpayer.id, object_type="belge_saklama_yuklemesi",
                    object_id=upload.id, dosya=filename, boyut=kept.size)
    job = submit(JOB_KIND, taxpayer.id, f"Belge Saklama: {filename}", {"yukleme": upload.id},
                 idempotency_key=f"belge-saklama-{upload.id}")
    with unit_of_work() as work:
        work.session.execute(update(ArchiveImport).where(ArchiveImport.id == upload.id).values(job_id=job.id))
    upload.job_id = job.id
    return upload


# --- the job ----------------------------------------------------------------------------------------------------


def run_import(job: JobContext) -> dict[str, Any]:
    """Import the upload named in the job, continuing after what an earlier run committed."""
    import_id = int(job.params["yukleme"])
    session = get_session()
    upload = session.get(ArchiveImport, import_id, populate_existing=True)
    if upload is None or upload.taxpayer_id != job.taxpayer_id:
        raise rules.ArchiveRefused("Yükleme bulunamadı.")
    taxpayer = session.get(Taxpayer, upload.taxpayer_id)
    assert taxpayer is not None
    store = file_store()
    path = store.verified_path(upload.sha256)  # type: ignore[attr-defined]
    today = local_today()
    setup = Setup(anchors_der(trust_anchors()), taxpayer.identifier, today, None)
    # Batches are checked (and their bytes made durable) beside this process while it commits the earlier ones, in
    # order; a bounded number in flight keeps memory at a few batches (decision note 0095).
    checking: Checking | None = None
    in_flight: deque[_Pending] = deque()
    try:
        with opened(path, upload.filename, upload.processed) as (total, members):
            # One batch (a single document, a small zip) is checked in this process: a checking process would take
            # longer to start than the batch to check.
            workers = worker_count(current_app.config["ARCHIVE_CHECK_WORKERS"]) if total - upload.processed > BATCH else 1
            checking = Checking(workers, setup, store)
            _mark_running(upload.id, total)
            start = upload.processed
            job.progress(_percent(start, total), f"{start}/{total} belge işlendi.")
            batch: list[Member] = []
            for member in members:
                if member.position < start:
                    continue
                batch.append(member)
                if len(batch) >= BATCH:
                    in_flight.append(_Pending(batch[0].position, batch[-1].position + 1, checking.submit(batch)))
                    batch = []
                    if len(in_flight) > checking.in_flight:
                        _commit(job, taxpayer, upload.id, in_flight.popleft(), today, total)
            if batch:
                in_flight.append(_Pending(batch[0].position, batch[-1].position + 1, checking.submit(batch)))
            while in_flight:
                _commit(job, taxpayer, upload.id, in_flight.popleft(), today, total)
    except rules.ArchiveRefused as refused:
        if checking is not None:
            checking.close()
        _finish(upload.id, ImportStatus.HATA, refused.message)
        raise
    finally:
        if checking is not None:
            checking.close()  # a batch not committed leaves at most files without rows (0091)
    done = _finish(upload.id, ImportStatus.TAMAMLANDI, None)
    return {"yukleme": done.id, "mukellef": done.taxpayer_id, "toplam": done.total, "saklandi": done.stored_count, "zaten": done.duplicate_count,
            "reddedildi": done.refused_count, "kontor": done.charged}


def _percent(done: int, total: int) -> int:
    return min(99, done * 100 // total) if total else 0


def _mark_running(import_id: int, total: int) -> None:
    with unit_of_work() as work:
        work.session.execute(update(ArchiveImport).where(ArchiveImport.id == import_id)
                             .values(status=ImportStatus.SURUYOR, total=total))


def _finish(import_id: int, status: ImportStatus, error: str | None) -> ArchiveImport:
    with unit_of_work() as work:
        upload = work.session.get(ArchiveImport, import_id, populate_existing=True)
        assert upload is not None
        if upload.status is not ImportStatus.TAMAMLANDI:
            upload.status, upload.error, upload.finished_at = status, error, utcnow()
            work.record("belge_saklama_tamamlandi" if status is ImportStatus.TAMAMLANDI else "belge_saklama_hata",
                        taxpayer_id=upload.taxpayer_id, object_type="belge_saklama_yuklemesi", object_id=upload.id,
                        result="ok" if status is ImportStatus.TAMAMLANDI else "hata", saklandi=upload.stored_count,
                        zaten=upload.duplicate_count, reddedildi=upload.refused_count, kontor=upload.charged)
        return upload


@dataclass
class _Pending:
    """A batch being checked (its verdicts, once its accepted bytes are durable in the store)."""

    first: int
    end: int
    checked: Future


def _commit(job: JobContext, taxpayer: Taxpayer, import_id: int, batch: _Pending, today: date, total: int) -> int:
    """Once the batch's bytes are durable, its transaction; returns the position after it."""
    checked = batch.checked.result()  # raises the checker's or the store's error: nothing of this batch is committed
    counts = _commit_batch(taxpayer, import_id, checked, batch.first, batch.end, today)
    job.progress(_percent(batch.end, total), f"{batch.end}/{total} belge işlendi; {counts.stored_count} saklandı, "
                                              f"{counts.duplicate_count} zaten saklanıyordu, "
                                              f"{counts.refused_count} reddedildi.")
    return batch.end


def _commit_batch(taxpayer: Taxpayer, import_id: int, checked: list[Candidate | Refusal], first: int, end: int,
                  today: date) -> ArchiveImport:
    with unit_of_work() as work:
        upload = work.session.scalars(select(ArchiveImport).where(ArchiveImport.id == import_id)
                                      .with_for_update().execution_options(populate_existing=True)).one()
        if upload.processed != first:  # another run committed this batch already
            return upload
        result = store_candidates(work, taxpayer, checked, today, import_id=import_id)
        if result.verdicts:
            insert_rows(work.session, ImportVerdict.__table__, [{"import_id": import_id, **v} for v in result.verdicts])
        upload.processed = end
        upload.stored_count += result.stored
        upload.duplicate_count += result.duplicates
        upload.refused_count += result.refused
        upload.charged += result.charged
        if result.stored:
            work.record("belgeler_saklandi", taxpayer_id=taxpayer.id, object_type="belge_saklama_yuklemesi",
                        object_id=import_id, saklandi=result.stored, kontor=result.charged, uyeler=f"{first}-{end - 1}")
        return upload


def store_candidates(work: Any, taxpayer: Taxpayer, checked: list[Candidate | Refusal], today: date, *,
                     import_id: int | None = None) -> _BatchResult:
    """Inside the caller's unit: duplicates, labels, kontör; insert the documents and their movements."""
    session = work.session
    result = _BatchResult()
    candidates = [item for item in checked if isinstance(item, Candidate)]
    known = _known(taxpayer.id, candidates)
    active = rules.active_storage_products(taxpayer.id)
    purses: dict[KontorUnit, Purse] = {}
    units: dict[str, KontorUnit] = {}
    accepted: list[tuple[Candidate, KontorUnit, list[Piece]]] = []
    for item in checked:
        if isinstance(item, Refusal):
            result.verdicts.append(_verdict(item.position, item.filename, Verdict.REDDEDILDI, item.reason))
            result.refused += 1
            continue
        document = item.document
        key = (document.product, document.ettn)
        if key in known:
            same = known[key][1] == item.sha256
            result.verdicts.append(_verdict(item.position, item.filename, Verdict.ZATEN_VAR if same else Verdict.REDDEDILDI,
                                            rules.DUPLICATE if same else rules.other_content(document.ettn),
                                            known[key][0] if same else None))
            if same:
                result.duplicates += 1
            else:
                result.refused += 1
            continue
        if document.product not in active:
            result.verdicts.append(_verdict(item.position, item.filename, Verdict.REDDEDILDI,
                                            rules.label_inactive(document.product)))
            result.refused += 1
            continue
        if document.product not in units:
            units[document.product] = unit_for(document.product, origin=rules.opening_origin(
                taxpayer.id, document.product) if document.product == "earsiv" else None)
        unit = units[document.product]
        if unit not in purses:
            purses[unit] = Purse(session, taxpayer.id, unit, today)
        amount = charge(unit, item.size)
        pieces = purses[unit].take(amount)
        if pieces is None:
            refusal = KontorRefused(unit, amount, purses[unit].available)
            result.verdicts.append(_verdict(item.position, item.filename, Verdict.REDDEDILDI, refusal.message))
            result.refused += 1
            continue
        accepted.append((item, unit, pieces))
        known[key] = (0, item.sha256)  # a repeat later in the same batch is a duplicate
    if accepted:
        moment = utcnow()  # one moment for the documents that commit together
        # One executemany, then the ids by (product, ETTN) — unique per taxpayer. RETURNING with the rows' order
        # made SQLite run one statement per row.
        before = session.scalar(select(func.max(ArchivedDocument.id))) or 0
        insert_rows(session, ArchivedDocument.__table__, [_row(taxpayer, item, sum(p.amount for p in pieces), import_id,
                                                              moment) for item, _, pieces in accepted])
        stored = _inserted(import_id, before) if import_id is not None else \
            _known(taxpayer.id, [item for item, _, _ in accepted])
        ids = [stored[(item.document.product, item.document.ettn)][0] for item, _, _ in accepted]
        for document_id, (item, _, _) in zip(ids, accepted):  # repeats inside the batch point at it
            known[(item.document.product, item.document.ettn)] = (document_id, item.sha256)
        for unit, purse in purses.items():
            purse.commit_to([(document_id, pieces) for document_id, (item, u, pieces) in zip(ids, accepted) if u is unit],
                            note="Belge Saklama")
        for document_id, (item, _, pieces) in zip(ids, accepted):
            result.verdicts.append(_verdict(item.position, item.filename, Verdict.SAKLANDI, "", document_id))
            result.stored += 1
            result.charged += sum(p.amount for p in pieces)
    _point_repeats_at_documents(result, known, candidates)
    result.verdicts.sort(key=lambda v: v["position"])
    return result


def _point_repeats_at_documents(result: _BatchResult, known: dict, candidates: list[Candidate]) -> None:
    by_position = {item.position: item for item in candidates}
    for verdict in result.verdicts:
        item = by_position.get(verdict["position"])
        if verdict["verdict"] is Verdict.ZATEN_VAR and verdict["document_id"] in (None, 0) and item is not None:
            verdict["document_id"] = known[(item.document.product, item.document.ettn)][0] or None


def _verdict(position: int, filename: str, verdict: Verdict, reason: str, document_id: int | None = None) -> dict:
    return {"position": position, "filename": filename[:250], "verdict": verdict, "reason": reason,
            "document_id": document_id}


def _known(taxpayer_id: int, candidates: list[Candidate]) -> dict[tuple[str, str], tuple[int, str]]:
    """Documents already stored under the candidates' (product, ETTN): their id and hash."""
    keys = {(c.document.product, c.document.ettn) for c in candidates}
    products = sorted({product for product, _ in keys})
    ettns = sorted({ettn for _, ettn in keys})
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for start in range(0, len(ettns), 500):
        # Plain INs on the unique (taxpayer, product, ETTN) index: cheaper to compile and run than a tuple IN.
        rows = get_session().execute(
            select(ArchivedDocument.product, ArchivedDocument.ettn, ArchivedDocument.id, ArchivedDocument.sha256)
            .where(ArchivedDocument.taxpayer_id == taxpayer_id, ArchivedDocument.product.in_(products),
                   ArchivedDocument.ettn.in_(ettns[start:start + 500])))
        for product, ettn, document_id, sha256 in rows:
            if (product, ettn) in keys:
                found[(product, ettn)] = (document_id, sha256)
    return found


def _inserted(import_id: int, before: int) -> dict[tuple[str, str], tuple[int, str]]:
    """The rows this transaction just inserted for the import: its rows with an id above the largest before the
    insert. Ids only grow, and no other transaction inserts for this import (its row is locked FOR UPDATE), so
    these are exactly the batch's; one range read on the import's index instead of a lookup per ETTN."""
    rows = get_session().execute(
        select(ArchivedDocument.product, ArchivedDocument.ettn, ArchivedDocument.id, ArchivedDocument.sha256)
        .where(ArchivedDocument.import_id == import_id, ArchivedDocument.id > before))
    return {(product, ettn): (document_id, sha256) for product, ettn, document_id, sha256 in rows}


def _row(taxpayer: Taxpayer, item: Candidate, charged: int, import_id: int | None, moment: Any) -> dict[str, Any]:
    document = item.document
    return {
        "taxpayer_id": taxpayer.id, "product": document.product, "document_type": document.document_type,
        "ettn": document.ettn, "number": document.number, "issue_date": document.issue_date,
        "sender_identifier": document.sender.identifier, "sender_name": document.sender.name,
        "receiver_identifier": document.receiver.identifier, "receiver_name": document.receiver.name,
        "outgoing": document.sender.identifier == taxpayer.identifier, "filename": item.filename.rsplit("/", 1)[-1],
        "sha256": item.sha256, "size": item.size, "signer_identifier": item.signer_identifier,
        "signer_name": item.signer_name, "certificate_serial": item.certificate_serial,
        "signing_time": item.signing_time, "charged": charged, "import_id": import_id, "stored_at": moment,
    }


def _present(result: dict[str, Any]) -> dict[str, Any]:
    """The result with the balance as it is now (the widget shows the kontör going down)."""
    from app.kontor.queries import balances

    taxpayer_id = result.get("mukellef")
    return {**result, "bakiye": balances(int(taxpayer_id)) if taxpayer_id else []}


IMPORT = JobKind(JOB_KIND, run_import, result_template="saklama/_job_result.html", present=_present)
