"""Benchmark: journal intake (issue 12) against a bare SQLAlchemy Core bulk insert of the same rows, on PostgreSQL.

    .venv/bin/python bench/bench_journal_intake.py                 # 1,000,000 lines (250,000 maddeler)
    .venv/bin/python bench/bench_journal_intake.py --lines 100000  # while developing

Creates its own PostgreSQL database (PORTAL_BENCH_POSTGRES_URL, default postgres@127.0.0.1:5432), migrates it with
the real migrations, writes a CSV of --lines journal lines (4 per madde) under bench/data/, then in the same run, each
side in its own child process (so peak RSS, VmHWM, is that side's own) and on emptied journal tables:
  * bare:   Core ``insert().returning`` of the maddeler and ``executemany`` of their lines in chunks, one
            transaction: the same rows with their values already typed (nothing read, nothing checked);
  * api:    POST /api/v1/…/maddeler through the Flask test client in batches of --batch-lines lines (timed: the
            requests only; building each JSON body is the accounting program's work);
  * upload: the upload operation on the CSV file (kept in the file store, read streaming, every rule checked).
Prints lines/s, each side's ratio to the bare insert (target >= 0.5) and peak RSS (target <= 200 MB); exit 1 when
a target is missed. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("PORTAL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RATIO_TARGET = 0.5
RSS_TARGET_MB = 200
LINES_PER_ENTRY = 4
CHUNK_LINES = 5000
VKN = "4821307561"
YEAR, MONTH = 2026, 11
COLUMNS = ("madde_no", "tarih", "hesap_kodu", "hesap_adi", "alt_hesap_kodu", "alt_hesap_adi", "borc", "alacak",
           "belge_turu", "belge_no", "belge_tarihi", "odeme_sekli", "aciklama")


def entry(number: int) -> tuple[date, list[dict[str, Any]]]:
    """Madde ``number``: a sale, part in cash, with its invoice and VAT — 4 balanced lines."""
    net = Decimal(1000 + number % 9000) + Decimal(number % 100) / 100
    vat = (net * Decimal("0.20")).quantize(Decimal("0.01"))
    day = date(YEAR, MONTH, 1 + number % 30)
    none = dict.fromkeys(("alt_hesap_kodu", "alt_hesap_adi", "borc", "alacak", "belge_turu", "belge_no",
                          "belge_tarihi", "odeme_sekli", "aciklama"))
    return day, [
        {**none, "hesap_kodu": "100", "hesap_adi": "KASA", "borc": Decimal("10.00"), "odeme_sekli": "NAKİT"},
        {**none, "hesap_kodu": "120", "hesap_adi": "ALICILAR", "alt_hesap_kodu": f"120.{number % 500:04d}",
         "alt_hesap_adi": f"Müşteri {number % 500}", "borc": net + vat - Decimal("10.00"), "belge_turu": "invoice",
         "belge_no": f"ANA{YEAR}{number:09d}", "belge_tarihi": day, "aciklama": "Satış"},
        {**none, "hesap_kodu": "600", "hesap_adi": "YURT İÇİ SATIŞLAR", "alacak": net},
        {**none, "hesap_kodu": "391", "hesap_adi": "HESAPLANAN KDV", "alt_hesap_kodu": "391.20",
         "alt_hesap_adi": "KDV %20", "alacak": vat},
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")  # 1.234,56
    return str(value)


def write_csv(path: Path, entries: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("\ufeff" + ";".join(COLUMNS) + "\n")
        for number in range(1, entries + 1):
            day, lines = entry(number)
            for line in lines:
                out.write(";".join([str(number), _cell(day)] + [_cell(line[c]) for c in COLUMNS[2:]]) + "\n")


@contextmanager
def bench_database() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ebelge_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the sides (each runs in a child process: python bench_journal_intake.py --side NAME …) ---------------


def _peak_rss_mb() -> float:
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024


def _app(url: str, instance: str) -> Any:
    from app import create_app

    return create_app({"MODE": "test", "DATABASE_URL": url, "INSTANCE_PATH": instance, "JOBS_URL": "immediate",
                       "API_RATE_LIMIT_PER_MINUTE": 0, "JOURNAL_INLINE_UPLOAD_KB": 10**9, "WTF_CSRF_ENABLED": False})


def side_bare(url: str, instance: str, entries: int, **_: Any) -> dict[str, Any]:
    """What the intake is measured against: the same rows straight into the same tables."""
    from sqlalchemy import create_engine, insert, select

    from app.db import utcnow
    from app.models import JournalBatch, JournalEntry, JournalLine, JournalPeriod, Taxpayer

    engine = create_engine(url)
    entry_table, line_table = JournalEntry.__table__, JournalLine.__table__
    started = time.perf_counter()
    with engine.begin() as connection:
        taxpayer = connection.scalar(select(Taxpayer.id).where(Taxpayer.identifier == VKN))
        period_id = connection.execute(insert(JournalPeriod.__table__).returning(JournalPeriod.__table__.c.id), {
            "taxpayer_id": taxpayer, "branch_code": "", "year": YEAR, "month": MONTH, "state": "acik",
            "entry_count": 0, "line_count": 0, "created_at": utcnow(), "updated_at": utcnow()}).scalar_one()
        batch_id = connection.execute(insert(JournalBatch.__table__).returning(JournalBatch.__table__.c.id), {
            "period_id": period_id, "source": "api", "actor": "bare", "entry_count": 0, "line_count": 0,
            "received_at": utcnow()}).scalar_one()
        pending: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []

        def flush() -> None:
            ids = connection.execute(insert(entry_table).returning(entry_table.c.id, sort_by_parameter_order=True),
                                     [head for head, _ in pending]).scalars().all()
            rows = [{**line, "entry_id": entry_id} for entry_id, (_, lines) in zip(ids, pending) for line in lines]
            connection.execute(insert(line_table), rows)
            pending.clear()

        for number in range(1, entries + 1):
            day, lines = entry(number)
            head = {"period_id": period_id, "batch_id": batch_id, "entry_number": str(number), "entry_date": day,
                    "entered_by": "bare", "comment": "Satış"}
            pending.append((head, [_line_row(period_id, n, line) for n, line in enumerate(lines, 1)]))
            if len(pending) * LINES_PER_ENTRY >= CHUNK_LINES:
                flush()
        if pending:
            flush()
    return {"seconds": time.perf_counter() - started}


def _line_row(period_id: int, number: int, line: dict[str, Any]) -> dict[str, Any]:
    debit = line["borc"]
    return {"period_id": period_id, "line_no": number, "account_main_id": line["hesap_kodu"],
            "account_main_description": line["hesap_adi"], "account_sub_id": line["alt_hesap_kodu"],
            "account_sub_description": line["alt_hesap_adi"], "amount": debit if debit else line["alacak"],
            "side": "D" if debit else "C", "document_type": line["belge_turu"], "document_type_description": None,
            "document_number": line["belge_no"], "document_date": line["belge_tarihi"],
            "payment_method": line["odeme_sekli"], "comment": line["aciklama"]}


def side_api(url: str, instance: str, entries: int, batch_lines: int, token: str, **_: Any) -> dict[str, Any]:
    app = _app(url, instance)
    client = app.test_client()
    path = f"/api/v1/mukellefler/{VKN}/donemler/{YEAR}-{MONTH:02d}/maddeler"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    per_batch = max(1, batch_lines // LINES_PER_ENTRY)
    seconds = 0.0
    for first in range(1, entries + 1, per_batch):
        body = []
        for number in range(first, min(entries, first + per_batch - 1) + 1):
            day, lines = entry(number)
            body.append({"madde_no": str(number), "tarih": day.isoformat(), "aciklama": "Satış",
                         "satirlar": [{k: (str(v) if isinstance(v, (Decimal, date)) else v) for k, v in line.items()
                                       if v is not None} for line in lines]})
        data = json.dumps({"maddeler": body}).encode()
        del body
        started = time.perf_counter()
        answer = client.post(path, data=data, headers=headers, buffered=True)
        seconds += time.perf_counter() - started
        if answer.status_code != 201:
            raise SystemExit(f"API {answer.status_code}: {answer.get_data(as_text=True)[:500]}")
    return {"seconds": seconds}


def side_upload(url: str, instance: str, csv_path: str, **_: Any) -> dict[str, Any]:
    from app.journal.upload import upload
    from app.models import Taxpayer

    app = _app(url, instance)
    with app.test_request_context():
        from app.db import get_session

        taxpayer = get_session().query(Taxpayer).filter_by(identifier=VKN).one()
        started = time.perf_counter()
        with open(csv_path, "rb") as stream:
            outcome = upload(taxpayer, f"{YEAR}-{MONTH:02d}", stream, Path(csv_path).name, "bench")
        seconds = time.perf_counter() - started
    if outcome.result is None:
        raise SystemExit("upload did not import inline")
    return {"seconds": seconds, "lines": outcome.result.line_count}


SIDES = {"bare": side_bare, "api": side_api, "upload": side_upload}


def run_side(name: str, **params: Any) -> dict[str, Any]:
    answer = subprocess.run([sys.executable, __file__, "--side", name, "--params", json.dumps(params)],
                            capture_output=True, text=True, check=False)
    if answer.returncode != 0:
        raise SystemExit(f"{name} failed:\n{answer.stdout[-2000:]}\n{answer.stderr[-4000:]}")
    return json.loads(answer.stdout.strip().splitlines()[-1])


def empty_journal(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE journal_line, journal_entry, journal_batch, journal_period CASCADE"))
    engine.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE journal_line, journal_entry"))
    engine.dispose()


def prepare(url: str, instance: str) -> str:
    from app.journal.api_keys import create_key
    from app.migrate import upgrade
    from app.models import Taxpayer

    upgrade(url)
    app = _app(url, instance)
    with app.test_request_context():
        from app.db import get_session

        session = get_session()
        taxpayer = Taxpayer(identifier=VKN, unvan="Anadolu Tekstil Sanayi ve Ticaret A.Ş.")
        session.add(taxpayer)
        session.commit()
        token = create_key(taxpayer, "bench", "yazma", None, "bench").token
    app.extensions["ebelge.db"].engine.dispose()
    return token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--batch-lines", type=int, default=10_000, help="lines per API post")
    parser.add_argument("--side", choices=sorted(SIDES), help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side:
        result = SIDES[args.side](**json.loads(args.params))
        result["rss_mb"] = _peak_rss_mb()
        print(json.dumps(result))
        return 0
    entries = args.lines // LINES_PER_ENTRY
    lines = entries * LINES_PER_ENTRY
    data = ROOT / "bench" / "data"
    data.mkdir(exist_ok=True)
    csv_path = data / f"yevmiye-{lines}.csv"
    if not csv_path.exists():
        write_csv(csv_path, entries)
    print(f"{lines:,} satır ({entries:,} madde), CSV {csv_path.stat().st_size / 1024**2:.0f} MB")
    with bench_database() as url, tempfile.TemporaryDirectory() as instance:
        token = prepare(url, instance)
        params = {"url": url, "instance": instance, "entries": entries, "batch_lines": args.batch_lines,
                  "token": token, "csv_path": str(csv_path)}
        results = {}
        for name in ("bare", "api", "upload"):
            empty_journal(url)
            results[name] = run_side(name, **params)
    bare_rate = lines / results["bare"]["seconds"]
    failed = False
    for name, result in results.items():
        rate = lines / result["seconds"]
        ratio = rate / bare_rate
        ok = name == "bare" or ratio >= RATIO_TARGET
        ok_rss = result["rss_mb"] <= RSS_TARGET_MB or name == "bare"
        failed |= not (ok and ok_rss)
        print(f"{name:7s} {result['seconds']:8.1f} s {rate:10,.0f} satır/s  oran {ratio:4.2f}"
              f"{'' if ok else ' (hedef >= 0.5)'}  tepe RSS {result['rss_mb']:6.1f} MB"
              f"{'' if ok_rss else ' (hedef <= 200)'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
