"""Benchmark: the Sanal Ba/Bs page of a busy taxpayer's month on a big PostgreSQL database, against a bare route
rendering the same template from a summary already in memory.

    .venv/bin/python bench/bench_babs.py [--taxpayers 1000] [--invoices 1000000] [--requests 200000]
                                         [--busy-every 10] [--repeat 10]

Fills a database the way bench_iptal_lists.py does (its functions), with the busiest taxpayer (id 1) sending
every --busy-every-th invoice and receiving another; a third of the requests are turned into objections (itiraz)
whose invoices stand. Times, in the same run, /FaturaIptal/sanal-babs for the last month (every invoice of the
month and its requests read, each outcome computed, the lines summed) against /_bench/babs, which renders the
same template from that summary kept in memory: the ratio is the cost of reading and computing. Prints the
month's invoices, ms (median), the ratio and the process's peak RSS. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_iptal_lists as lists  # noqa: E402
from flask import Flask, render_template  # noqa: E402

from app.blueprints.iptal.views import BABS_PAGE_SIZE  # noqa: E402
from app.pagination import page_of_list  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from app.babs.summary import Month, monthly_summary  # noqa: E402
from app.formatting import local_today  # noqa: E402
from app.migrate import upgrade  # noqa: E402

OBJECTIONS_SQL = """
UPDATE cancellation_request SET kind = 'itiraz', objection_document_number = 'NOTER-' || id,
       objection_document_date = requested_at::date, objection_method = 'noter'
WHERE id % 3 = 0 AND status <> 'deleted'
"""
STANDING_SQL = """
UPDATE invoice SET cancelled_at = NULL
WHERE id IN (SELECT invoice_id FROM cancellation_request WHERE kind = 'itiraz')
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def add_bare_route(app: Flask, month: Month) -> None:
    kept: dict[str, object] = {}

    def bare() -> str:
        if "summary" not in kept:  # computed once, then only rendered
            from app.db import get_session
            from app.models import Taxpayer

            kept["summary"] = monthly_summary(get_session().get(Taxpayer, 1), month)
        summary = kept["summary"]
        groups = summary.groups()  # type: ignore[attr-defined]
        pages = {name: page_of_list(lines, 1, BABS_PAGE_SIZE) for name, (_, _, lines) in groups.items()}
        return render_template("iptal/babs.html", summary=summary, groups=groups, pages=pages)

    app.add_url_rule("/_bench/babs", "bench_babs", bare)


def measure(app: Flask, month: Month, repeat: int) -> None:
    client = app.test_client()
    lists.log_in(app, client, 1)
    url = f"/FaturaIptal/sanal-babs?donem={month.value}"
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    rows = first.get_data(as_text=True).count('<tr id="fatura-')
    client.get("/_bench/babs")
    page_ms = lists.milliseconds(client, url, {}, repeat)
    bare_ms = lists.milliseconds(client, "/_bench/babs", {}, repeat)
    print(f"\n{'sayfa':34} {'fatura':>7} {'sayfa ms':>9} {'yalın ms':>9} {'oran':>6}")
    print(f"{'sanal Ba/Bs, ' + month.label:34} {rows:>7} {page_ms:>9.1f} {bare_ms:>9.1f} {page_ms / bare_ms:>5.2f}x")
    print(f"En yüksek bellek (RSS): {peak_rss_mb():.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxpayers", type=int, default=1_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--busy-every", type=int, default=10, help="taxpayer 1 sends and receives every n-th invoice")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    lists.BUSY_EVERY = args.busy_every
    month = Month.previous(local_today())
    with ExitStack() as stack:
        instance = stack.enter_context(tempfile.TemporaryDirectory())
        url = stack.enter_context(lists.bench_database(False))
        lists.timed("göçler (alembic upgrade)", lambda: upgrade(url))
        lists.fill(url, args.taxpayers, args.invoices, args.requests, 2_000)
        engine = create_engine(url)
        with engine.begin() as connection:
            lists.timed("itiraz talepleri", lambda: connection.execute(text(OBJECTIONS_SQL)))
            connection.execute(text(STANDING_SQL))
            connection.execute(text("ANALYZE"))
        engine.dispose()
        app = lists.make_app(url, Path(instance))
        add_bare_route(app, month)
        print(f"Bellek, ölçümden önce (RSS): {peak_rss_mb():.0f} MB")
        try:
            measure(app, month, args.repeat)
        finally:
            app.extensions["ebelge.db"].engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
