"""Benchmark: the İptal Portalı's list pages on a big PostgreSQL database against a bare route of the same app.

    .venv/bin/python bench/bench_iptal_lists.py [--taxpayers 1000] [--invoices 1000000] [--requests 200000]
                                                [--repeat 30] [--explain] [--keep | --database NAME]

Creates its own database on PostgreSQL (PORTAL_BENCH_POSTGRES_URL, default postgres@127.0.0.1:5432), migrates it
with the real migrations, fills it with invoices and cancellation requests (server-side generate_series), then,
in the same run, times through the Flask test client, logged in as the busiest taxpayer:
/FaturaIptal/talepler (full page) and its htmx fragments ?liste=talep-ettikleriniz and ?liste=gelen, in the
default 10-day view and a one-year range; against a bare route registered on the same app that renders the same
templates with the same number of rows from a Python list. Prints ms per page (median), the ratio (target
<= 2x) and the SQL statements per page (should not depend on the range or the page). Not a test: numbers
depend on the machine. The database is dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask, render_template, request  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.invoices.queries import Direction, InvoiceFilter, InvoiceRow  # noqa: E402
from app.iptal.queries import DateRange  # noqa: E402
from app.cards import installed_drivers, tokens_for  # noqa: E402
from app.formatting import local_today  # noqa: E402
from app.identifiers import make_vkn  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.iptal.words import words_for  # noqa: E402
from app.models import CancellationStatus, Invoice, RequestKind  # noqa: E402
from app.pagination import PAGE_SIZE, Page  # noqa: E402

ADMIN_URL = os.environ.get("PORTAL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BIG_TABLES = ("invoice", "cancellation_request")
BUSY_EVERY = 50  # the busiest taxpayer (id 1) sends every 50th invoice and receives another 50th
DAYS_OF_INVOICES = 730


# --- the database ------------------------------------------------------------------------------


@contextmanager
def bench_database(keep: bool) -> Iterator[str]:
    name = f"ebelge_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    failed = True
    try:
        yield url
        failed = False
    finally:
        if keep and not failed:
            print(f"Veritabanı silinmedi (--keep): {name}")
        else:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


TAXPAYERS_SQL = """
INSERT INTO taxpayer (id, identifier, kind, unvan, created_at) VALUES (:id, :identifier, 'tuzel', :unvan, now())
"""

INVOICES_SQL = """
INSERT INTO invoice (id, ettn, number, profile_id, type_code, issue_date, sender_identifier, sender_name,
                     receiver_identifier, receiver_name, payable_amount, currency, delivered_on, imported_at)
SELECT g.i, md5('fatura-' || g.i)::uuid::text, 'BNC' || to_char(g.d, 'YYYY') || lpad(g.i::text, 9, '0'),
       CASE WHEN g.i % 7 = 3 THEN 'TICARIFATURA' ELSE 'TEMELFATURA' END, 'SATIS', g.d,
       s.identifier, s.unvan, r.identifier, r.unvan, ((g.i * 37) % 1000000) / 100.0 + 10, 'TRY', g.d, now()
FROM (SELECT i, current_date - (i % :days)::int AS d,
             CASE WHEN i % :busy = 0 THEN 1 ELSE 2 + (i * 7919) % (:t - 1) END AS sid,
             CASE WHEN i % :busy = :busy / 2 THEN 1 ELSE 2 + (i * 104729 + 13) % (:t - 1) END AS rid
      FROM generate_series(1::bigint, :n) AS i) AS g
JOIN taxpayer s ON s.id = g.sid
JOIN taxpayer r ON r.id = CASE WHEN g.rid = g.sid THEN 1 + g.rid % :t ELSE g.rid END
"""

# Every step-th invoice gets one request: 3 in 4 asked by the seller; 20 % still pending, 60 % approved,
# 10 % rejected, 10 % withdrawn. Each request carries a signed-document-sized XML, and a decision one when
# decided (the lists load whole rows).
REQUESTS_SQL = """
INSERT INTO cancellation_request (id, submission_id, invoice_id, requester_taxpayer_id, requester_role,
    responder_identifier, decided_by_taxpayer_id, amount, status, requested_at, request_xml,
    request_certificate_serial, decided_at, decision_xml, decision_certificate_serial, deleted_at)
SELECT x.k, md5('talep-' || x.k)::uuid::text, inv.id,
       CASE WHEN x.by_seller THEN s.id ELSE r.id END,
       CASE WHEN x.by_seller THEN 'SATICI' ELSE 'ALICI' END,
       CASE WHEN x.by_seller THEN inv.receiver_identifier ELSE inv.sender_identifier END,
       CASE WHEN x.status IN ('approved', 'rejected') THEN (CASE WHEN x.by_seller THEN r.id ELSE s.id END) END,
       inv.payable_amount, x.status, x.at,
       convert_to('<IptalTalebi no="' || x.k || '">' || :blob || '</IptalTalebi>', 'UTF8'), '5EC0DE01',
       CASE WHEN x.status IN ('approved', 'rejected') THEN LEAST(now(), x.at + interval '1 day') END,
       CASE WHEN x.status IN ('approved', 'rejected')
            THEN convert_to('<IptalKarari no="' || x.k || '">' || :blob || '</IptalKarari>', 'UTF8') END,
       CASE WHEN x.status IN ('approved', 'rejected') THEN '5EC0DE02' END,
       CASE WHEN x.status = 'deleted' THEN LEAST(now(), x.at + interval '2 hours') END
FROM (SELECT k, k * :step AS invoice_id, k % 4 <> 0 AS by_seller,
             CASE WHEN k % 10 < 2 THEN 'pending' WHEN k % 10 < 8 THEN 'approved'
                  WHEN k % 10 = 8 THEN 'rejected' ELSE 'deleted' END AS status,
             LEAST(now() - (k % 50) * interval '1 minute',
                   (current_date - ((k * :step) % :days)::int + 1)::timestamptz + (k % 20) * interval '1 hour') AS at
      FROM generate_series(1::bigint, :r) AS k) AS x
JOIN invoice inv ON inv.id = x.invoice_id
JOIN taxpayer s ON s.identifier = inv.sender_identifier
JOIN taxpayer r ON r.identifier = inv.receiver_identifier
"""

CANCELLED_SQL = """
UPDATE invoice SET cancelled_at = cr.decided_at FROM cancellation_request cr
WHERE cr.invoice_id = invoice.id AND cr.status = 'approved'
"""


def timed(label: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def fill(url: str, taxpayers: int, invoices: int, requests: int, xml_bytes: int) -> None:
    if taxpayers < 3 or requests > invoices:
        raise SystemExit("En az 3 mükellef gerekir ve talep sayısı fatura sayısını aşamaz.")
    engine = create_engine(url)
    blob = base64.b64encode(random.Random(7).randbytes(xml_bytes * 3 // 4)).decode()  # signature-like, incompressible
    rows = [{"id": n, "identifier": make_vkn(str(100_000_000 + n)), "unvan": f"Test Mükellefi {n} A.Ş."}
            for n in range(1, taxpayers + 1)]  # fmt: skip
    with engine.begin() as connection:
        timed(f"{taxpayers} mükellef", lambda: connection.execute(text(TAXPAYERS_SQL), rows))
        timed(f"{invoices} fatura", lambda: connection.execute(
            text(INVOICES_SQL), {"n": invoices, "t": taxpayers, "busy": BUSY_EVERY, "days": DAYS_OF_INVOICES}))
        timed(f"{requests} iptal talebi", lambda: connection.execute(
            text(REQUESTS_SQL), {"r": requests, "step": invoices // requests, "days": DAYS_OF_INVOICES, "blob": blob}))
        timed("onaylanan faturalar iptal edildi", lambda: connection.execute(text(CANCELLED_SQL)))
        for table in ("taxpayer", "invoice", "cancellation_request"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        timed("VACUUM ANALYZE", lambda: connection.execute(text("VACUUM ANALYZE")))
    engine.dispose()


# --- the app and the bare route ------------------------------------------------------------------


@dataclass(frozen=True)
class BareInvoice:
    sender_identifier: str
    receiver_identifier: str
    ettn: str
    number: str
    issue_date: date


@dataclass(frozen=True)
class BareRequest:
    id: int
    invoice: BareInvoice
    amount: Decimal
    requested_at: datetime
    status: CancellationStatus
    decided_at: datetime | None
    decision_xml: bytes | None
    kind: RequestKind = RequestKind.IPTAL

    @property
    def status_label(self) -> str:
        return self.status.label_for(self.kind)


def bare_page(status: CancellationStatus) -> Page[BareRequest]:
    """25 rows shaped like the real ones, from a Python list."""
    now = datetime.now(timezone.utc)
    rows = [
        BareRequest(
            id=n,
            invoice=BareInvoice("1000000001", "2000000002", str(uuid.UUID(int=n)), f"BNC2026{n:09d}", local_today()),
            amount=Decimal("7840.80") + n,
            requested_at=now - timedelta(hours=n),
            status=status,
            decided_at=now if status is CancellationStatus.APPROVED else None,
            decision_xml=b"<karar/>" if status is not CancellationStatus.PENDING else None,
        )
        for n in range(1, PAGE_SIZE + 1)
    ]
    return Page(rows, 1, PAGE_SIZE, 10 * PAGE_SIZE)


def bare_invoice_page(direction: Direction) -> Page[InvoiceRow]:
    """25 invoice rows (transient, never in a session), as the Faturalar list shows them."""
    rows = [
        InvoiceRow(
            Invoice(id=n, ettn=str(uuid.UUID(int=n)), number=f"BNC2026{n:09d}", profile_id="TEMELFATURA",
                    type_code="SATIS", issue_date=local_today() - timedelta(days=n % 5), sender_identifier="1000000001",
                    sender_name="Gönderen A.Ş.", receiver_identifier="2000000002", receiver_name="Alıcı Ltd. Şti.",
                    payable_amount=Decimal("7840.80") + n, currency="TRY", delivered_on=local_today()),
            direction,
            has_open_request=n % 7 == 0,
        )
        for n in range(1, PAGE_SIZE + 1)
    ]
    return Page(rows, 1, PAGE_SIZE, 10 * PAGE_SIZE)


BARE_STATUS = {"talep-ettikleriniz": CancellationStatus.APPROVED, "gelen": CancellationStatus.PENDING,
               "onayladiklariniz": CancellationStatus.APPROVED,
               "reddettikleriniz": CancellationStatus.REJECTED}  # fmt: skip
IPTAL_WORDS = words_for(RequestKind.IPTAL)


def card_context() -> dict[str, Any]:
    """What the real list page adds for the card form (read from the token driver on every request)."""
    drivers = installed_drivers()
    driver = drivers[0] if drivers else ""
    tokens, token_error = tokens_for(driver) if driver else ([], None)
    return {"drivers": drivers, "driver": driver, "tokens": tokens, "token_error": token_error, "chosen_token": None}


def add_bare_routes(app: Flask) -> None:
    def full_page() -> str:
        pages = {name: bare_page(status) for name, status in BARE_STATUS.items()}
        return render_template("iptal/lists.html", pages=pages, period=DateRange.default(), period_error=None,
                               words=IPTAL_WORDS, **card_context())

    def fragment(name: str) -> str:
        return render_template("iptal/_list_table.html", list_name=name, page=bare_page(BARE_STATUS[name]),
                               period=DateRange.default(), words=IPTAL_WORDS)

    def invoices() -> str:
        invoice_filter, _ = InvoiceFilter.from_args(request.args)
        return render_template("faturalar/_list.html", page=bare_invoice_page(invoice_filter.direction),
                               invoice_filter=invoice_filter, filter_error=None, directions=list(Direction))

    app.add_url_rule("/_bench/talepler", "bench_full_page", full_page)
    app.add_url_rule("/_bench/faturalar", "bench_invoices", invoices)
    app.add_url_rule("/_bench/liste/<name>", "bench_fragment", fragment)


def make_app(url: str, instance: Path) -> Flask:
    softhsm = instance / "softhsm2.conf"  # a card driver with no cards: the card list costs both sides alike
    (instance / "tokens").mkdir(parents=True, exist_ok=True)
    softhsm.write_text(f"directories.tokendir = {instance / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    app = create_app({"MODE": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(instance), "WTF_CSRF_ENABLED": False,
                      "SOFTHSM2_CONF": str(softhsm), "CARD_DRIVERS": "SoftHSM=/usr/lib/softhsm/libsofthsm2.so"})
    add_bare_routes(app)
    return app


def log_in(app: Flask, client: FlaskClient, taxpayer_id: int) -> None:
    """Log in as the holder of the taxpayer's own card (a person, note 0071), the way flask-login would."""
    from flask_login.utils import _create_identifier

    from app.db import get_session
    from app.models import Person, Taxpayer

    with app.app_context():
        session_ = get_session()
        taxpayer = session_.get(Taxpayer, taxpayer_id)
        person = session_.query(Person).filter_by(identifier=taxpayer.identifier).one_or_none()
        if person is None:
            person = Person(identifier=taxpayer.identifier, name=taxpayer.unvan)
            session_.add(person)
            session_.commit()
        person_id = person.get_id()
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session.update({"_user_id": person_id, "_fresh": True, "_id": identifier})


# --- measuring -----------------------------------------------------------------------------------


@contextmanager
def statements_of(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def listener(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def milliseconds(client: FlaskClient, url: str, headers: dict[str, str], repeat: int) -> float:
    """Median ms of `repeat` GETs (after warm-up)."""
    for _ in range(3):
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, headers=headers).get_data()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


@dataclass(frozen=True)
class Case:
    label: str
    url: str
    bare_url: str
    htmx: bool
    target: bool = True  # counts toward the <= 2x verdict (the issue's pages); otherwise shown for information
    row_marker: str = 'title="İmzalı talep"'  # one per table row


def cases() -> list[Case]:
    today = local_today()
    year = f"baslangic={(today - timedelta(days=365)).isoformat()}&bitis={today.isoformat()}"
    result = [Case("tam sayfa, son 10 gün", "/FaturaIptal/talepler", "/_bench/talepler", False),
              Case("tam sayfa, bir yıl", f"/FaturaIptal/talepler?{year}", "/_bench/talepler", False)]  # fmt: skip
    for name in ("talep-ettikleriniz", "gelen"):
        result.append(Case(f"{name}, son 10 gün", f"/FaturaIptal/talepler?liste={name}", f"/_bench/liste/{name}", True))
        result.append(Case(f"{name}, bir yıl", f"/FaturaIptal/talepler?liste={name}&{year}", f"/_bench/liste/{name}", True))
    result.append(Case("(bilgi) talep-ettikleriniz, bir yıl, sayfa 40",
                       f"/FaturaIptal/talepler?liste=talep-ettikleriniz&{year}&sayfa=40",
                       "/_bench/liste/talep-ettikleriniz", True, target=False))
    for direction in ("giden", "gelen"):
        result.append(Case(f"(bilgi) faturalar, {direction}", f"/faturalar/?yon={direction}",
                           f"/_bench/faturalar?yon={direction}", True, target=False, row_marker='class="ettn"'))
    return result


def measure(app: Flask, repeat: int, explain: bool) -> None:
    engine = app.extensions["ebelge.db"].engine
    client = app.test_client()
    log_in(app, client, 1)
    print(f"\n{'sayfa':46} {'satır':>5} {'sorgu':>5} {'sayfa ms':>9} {'yalın ms':>9} {'oran':>6}")
    worst = 0.0
    query_counts: dict[str, set[int]] = {}
    for case in cases():
        headers = {"HX-Request": "true"} if case.htmx else {}
        with statements_of(engine) as seen:
            response = client.get(case.url, headers=headers)
        page_ms = milliseconds(client, case.url, headers, repeat)
        bare_ms = milliseconds(client, case.bare_url, headers, repeat)
        ratio = page_ms / bare_ms
        if case.target:
            worst = max(worst, ratio)
        kind = case.url.split("?")[0] + (" (htmx parçası)" if case.htmx else " (tam sayfa)")
        query_counts.setdefault(kind, set()).add(len(seen))
        rows = response.get_data(as_text=True).count(case.row_marker)
        print(f"{case.label:46} {rows:>5} {len(seen):>5} {page_ms:>9.1f} {bare_ms:>9.1f} {ratio:>5.2f}x", flush=True)
        if explain and case.label == "tam sayfa, bir yıl":
            explain_statements(engine, seen)
    print(f"\nEn kötü oran (İptal Portalı listeleri): {worst:.2f}x (hedef <= 2x) -> {'TAMAM' if worst <= 2 else 'HEDEFİN ÜSTÜNDE'}")
    for kind, counts in query_counts.items():
        print(f"Sayfa başına sorgu, {kind}: {sorted(counts)} -> {'sabit' if len(counts) == 1 else 'DEĞİŞİYOR'}")


def explain_statements(engine: Engine, seen: list[tuple[str, Any]]) -> None:
    """EXPLAIN ANALYZE of each statement the one-year full page sent; a sequential scan means a missing index."""
    with engine.connect() as connection:
        for statement, parameters in seen:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = [row[0] for row in connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)]
            print("\n    " + " ".join(statement.split())[:160])
            for line in plan:
                if any(word in line for word in ("Scan", "Sort", "Execution Time", "Limit", "Aggregate")):
                    print("      " + line.strip()[:150])
            if any(f"Seq Scan on {table}" in line for line in plan for table in BIG_TABLES):
                print("      !! büyük tabloda sıralı tarama (Seq Scan): bu sorgu için uygun indeks yok")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxpayers", type=int, default=1_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--xml-bytes", type=int, default=7_000, help="size of each signed request/decision XML")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the one-year full page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--database", help="measure again on a database kept by an earlier --keep run (no filling)")
    args = parser.parse_args(argv)

    with ExitStack() as stack:
        instance = stack.enter_context(tempfile.TemporaryDirectory())
        if args.database:
            url = make_url(ADMIN_URL).set(database=args.database).render_as_string(hide_password=False)
        else:
            url = stack.enter_context(bench_database(args.keep))
            print(f"Veritabanı: {make_url(url).database}")
            timed("göçler (alembic upgrade)", lambda: upgrade(url))
            fill(url, args.taxpayers, args.invoices, args.requests, args.xml_bytes)
        app = make_app(url, Path(instance))
        try:
            measure(app, args.repeat, args.explain)
        finally:
            app.extensions["ebelge.db"].engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
