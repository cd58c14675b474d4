"""A batch of journal entries taken whole or refused whole, streamed into the tables (decision note 0100).

Whatever the source (an API post, a CSV/XLSX upload, the CLI), entries arrive as ``RawEntry`` values one after
another; each is checked by ``app.journal.rules`` and written in chunks with Core ``executemany`` (no ORM object
per line), all inside ONE unit of work. The first broken rule stops the writing but not the checking (up to
``MAX_PROBLEMS`` are named); at the end any problem rolls the whole unit back, so nothing of a refused batch is
stored. Memory stays bounded by the chunk size and the set of madde numbers already seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping

from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import get_session, utcnow
from app.journal.periods import drop_if_unused, ensure_period, locked_period, period_name, refuse_unless_open
from app.journal.problems import MAX_PROBLEMS, JournalRefused, PeriodNotFound, Place, Problem
from app.journal.rules import PeriodBounds, check_balance, check_head, check_line
from app.models import JournalBatch, JournalEntry, JournalLine, JournalPeriod, JournalSource
from app.unit_of_work import unit_of_work

CHUNK_LINES = 5000
_ENTRIES = JournalEntry.__table__
_LINES = JournalLine.__table__
_BATCHES = JournalBatch.__table__


@dataclass
class RawEntry:
    """One madde as it arrived: its own fields and its lines, each with its place for the messages."""

    head: Mapping[str, Any]
    place: Place
    lines: list[tuple[Mapping[str, Any], Place]]
    problems: list[Problem] = field(default_factory=list)  # what the reader already found wrong


@dataclass(frozen=True)
class Arrival:
    source: JournalSource
    actor: str  # "API anahtarı: Muhasebe", a person's name, "Komut satırı"
    api_key_id: int | None = None
    idempotency_key: str | None = None
    request_hash: str | None = None
    file_name: str | None = None


@dataclass(frozen=True)
class BatchResult:
    batch_id: int
    period_id: int
    period: str
    entry_count: int
    line_count: int
    received_at: datetime
    replayed: bool = False


Progress = Callable[[int, int], None]  # (entries, lines) written so far


class _Writer:
    """Buffers checked entries and writes them a chunk at a time; looks up madde numbers already in the period."""

    def __init__(self, session: Session, period_id: int, batch_id: int, look_up: bool) -> None:
        self.session, self.period_id, self.batch_id, self.look_up = session, period_id, batch_id, look_up
        self.postgresql = session.get_bind().dialect.name == "postgresql"
        self.entries: list[dict[str, Any]] = []
        self.lines: list[list[dict[str, Any]]] = []
        self.places: list[Place] = []
        self.buffered_lines = 0
        self.entry_count = self.line_count = 0

    def add(self, entry: dict[str, Any], lines: list[dict[str, Any]], place: Place) -> None:
        self.entries.append(entry)
        self.lines.append(lines)
        self.places.append(place)
        self.buffered_lines += len(lines)

    def flush(self, problems: list[Problem], write: bool) -> None:
        """Name the madde numbers the period already holds; write the chunk while nothing is wrong."""
        if not self.entries:
            return
        numbers = [entry["entry_number"] for entry in self.entries]
        taken = self._taken(numbers) if self.look_up else set()
        for number, place in zip(numbers, self.places):
            if number in taken and len(problems) < MAX_PROBLEMS:
                problems.append(place.problem(f"Madde no {number[:50]} bu dönemde zaten kayıtlı (daha önce "
                                              "gönderilmiş); aynı madde ikinci kez alınmaz.", "madde_no"))
        if write and not problems:
            ids = self.session.execute(
                insert(_ENTRIES).returning(_ENTRIES.c.id, sort_by_parameter_order=True), self.entries
            ).scalars().all()
            rows = []
            for entry_id, lines in zip(ids, self.lines):
                for number, line in enumerate(lines, 1):
                    line["entry_id"], line["line_no"] = entry_id, number
                    rows.append(line)
            self.session.execute(insert(_LINES), rows)
            self.entry_count += len(ids)
            self.line_count += len(rows)
        self.entries, self.lines, self.places, self.buffered_lines = [], [], [], 0


    def _taken(self, numbers: list[str]) -> set[str]:
        """The numbers the period already holds. On PostgreSQL the look-up is told to use ix_journal_entry_number:
        inside a long transaction the planner's statistics still describe the table as it was (often nearly
        empty) and a sequential scan per chunk made a large batch quadratic. Only this one query is affected."""
        query = select(JournalEntry.entry_number).where(JournalEntry.period_id == self.period_id,
                                                        JournalEntry.entry_number.in_(set(numbers)))
        if not self.postgresql:
            return set(self.session.scalars(query))
        self.session.execute(text("SET LOCAL enable_seqscan = off"))
        try:
            return set(self.session.scalars(query))
        finally:
            self.session.execute(text("SET LOCAL enable_seqscan = on"))


def _check_entry(raw: RawEntry, bounds: PeriodBounds, period_id: int, batch_id: int, actor: str,
                 problems: list[Problem]) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    before = len(problems)
    problems.extend(raw.problems)
    head = check_head(raw.head, raw.place, bounds, problems)
    lines = []
    for values, place in raw.lines:
        line = check_line(values, place, problems)
        if line is not None:
            line["period_id"] = period_id
            lines.append(line)
    check_balance(lines, len(raw.lines), raw.place, problems)
    if len(problems) > before:
        return None
    comment = head.comment or next((line["comment"] for line in lines if line["comment"]), "") or ""
    entry = {"period_id": period_id, "batch_id": batch_id, "entry_number": head.number, "entry_date": head.day,
             "entered_by": (head.entered_by or actor)[:100], "comment": comment[:500]}
    return entry, lines


def ingest(taxpayer_id: int, bounds: PeriodBounds, entries: Iterable[RawEntry], arrival: Arrival,
           progress: Progress | None = None) -> BatchResult:
    """Take the batch whole (its entries in the period, the period's counts, an audit entry) or raise
    ``JournalRefused`` naming its problems, having stored nothing. A retry with the same Idempotency-Key answers
    with the first batch (``replayed``); the same key with another body is refused."""
    period_id = ensure_period(taxpayer_id, bounds)
    try:
        return _ingest(taxpayer_id, bounds, period_id, entries, arrival, progress)
    except IntegrityError:
        # A concurrent post with the same Idempotency-Key won the race: answer as its retry.
        replay = _replay(get_session(), period_id, arrival)
        if replay is None:
            raise
        return replay
    except PeriodNotFound:
        # A refused batch removed the month it had opened just before this one locked it (the entries may be a
        # stream read once, so this batch is not replayed here): the sender retries, as after any 409.
        raise JournalRefused("Dönem bu sırada başka bir gönderimle değişti; gönderimi yeniden deneyiniz.",
                             status=409) from None
    except JournalRefused:
        drop_if_unused(period_id)
        raise


def _replay(session: Session, period_id: int, arrival: Arrival) -> BatchResult | None:
    if arrival.idempotency_key is None:
        return None
    batch = session.scalars(select(JournalBatch).where(JournalBatch.period_id == period_id,
                                                       JournalBatch.idempotency_key == arrival.idempotency_key)
                            .execution_options(populate_existing=True)).one_or_none()
    if batch is None:
        return None
    if batch.request_hash != arrival.request_hash:
        raise JournalRefused("Bu Idempotency-Key daha önce başka içerikli bir gönderimde kullanıldı; yeni bir "
                             "gönderim için yeni bir anahtar kullanınız.", status=422)
    period = session.get(JournalPeriod, period_id)
    return BatchResult(batch.id, period_id, period_name(period), batch.entry_count, batch.line_count,
                       batch.received_at, replayed=True)


def _ingest(taxpayer_id: int, bounds: PeriodBounds, period_id: int, entries: Iterable[RawEntry],
            arrival: Arrival, progress: Progress | None) -> BatchResult:
    with unit_of_work() as work:
        session = work.session
        period = locked_period(session, period_id)
        replay = _replay(session, period_id, arrival)
        if replay is not None:
            return replay
        refuse_unless_open(period)
        received_at = utcnow()
        batch_id = session.execute(insert(_BATCHES).returning(_BATCHES.c.id), {
            "period_id": period_id, "source": arrival.source, "actor": arrival.actor[:200],
            "idempotency_key": arrival.idempotency_key, "request_hash": arrival.request_hash,
            "file_name": (arrival.file_name or None) and arrival.file_name[:255], "api_key_id": arrival.api_key_id,
            "entry_count": 0, "line_count": 0, "received_at": received_at,
        }).scalar_one()
        # An empty period can only meet a number twice inside the batch itself (the ``seen`` set below).
        writer = _Writer(session, period_id, batch_id, look_up=period.entry_count > 0)
        problems: list[Problem] = []
        more = 0
        seen: set[str] = set()
        for raw in entries:
            if len(problems) >= MAX_PROBLEMS:
                more += 1
                continue
            checked = _check_entry(raw, bounds, period_id, batch_id, arrival.actor, problems)
            if checked is None:
                continue
            entry, lines = checked
            if entry["entry_number"] in seen:
                problems.append(raw.place.problem(f"Madde no {entry['entry_number'][:50]} bu gönderimde iki kez "
                                                  "geçiyor; bir maddenin satırları art arda yazılmalıdır.", "madde_no"))
                continue
            seen.add(entry["entry_number"])
            writer.add(entry, lines, raw.place)
            if writer.buffered_lines >= CHUNK_LINES:
                writer.flush(problems, write=True)
                if progress is not None and not problems:
                    progress(writer.entry_count, writer.line_count)
        writer.flush(problems, write=True)
        if problems:
            raise JournalRefused(_refusal_summary(len(problems), more), problems[:MAX_PROBLEMS], more)
        if writer.entry_count == 0:
            raise JournalRefused("Gönderimde hiç yevmiye maddesi yok.")
        session.execute(update(_BATCHES).where(_BATCHES.c.id == batch_id)
                        .values(entry_count=writer.entry_count, line_count=writer.line_count))
        session.execute(update(JournalPeriod.__table__).where(JournalPeriod.id == period_id).values(
            entry_count=JournalPeriod.entry_count + writer.entry_count,
            line_count=JournalPeriod.line_count + writer.line_count, updated_at=received_at))
        work.record("yevmiye_kayitlari_alindi", taxpayer_id=taxpayer_id, actor=arrival.actor[:200],
                    object_type="yevmiye_gonderimi", object_id=batch_id, donem=period_name(bounds),
                    kaynak=arrival.source.value, madde=writer.entry_count, satir=writer.line_count,
                    dosya=arrival.file_name)
        return BatchResult(batch_id, period_id, period_name(bounds), writer.entry_count, writer.line_count,
                           received_at)


def _refusal_summary(count: int, more: int) -> str:
    total = f"{count}{'+' if more else ''}"
    return (f"Gönderim reddedildi: {total} hata bulundu ve hiçbir kayıt alınmadı. Hataları düzeltip gönderimin "
            "tamamını yeniden gönderiniz.")
