"""Benchmark: create and sign a period of --lines journal lines, then verify its files (issue 13, SPEC D5).

Setup (not timed): a fresh SQLite portal database with Anadolu Tekstil (settings, contract) and one month of
--lines journal lines (4 per madde, 500 sub-accounts of 120), demo SoftHSM tokens, a GİB simulator on a socket.
Then, each in a child process so that peak RSS (VmHWM) is the measured code's own:
  * bare-write: a bare ``lxml.etree.xmlfile`` write of the same elements (yevmiye and kebir, same facts, same
    number of lines and accounts) from generated values — no database, no checks, no hashing, no signing;
  * create+sign: ``start_creation`` (GİB's clock, the job in this process: database read, canonical parts,
    GİB's rules checked by the streaming reader, storage) and ``sign_period`` (one card login: every part,
    berat and the DR; signed files assembled, stored and verified);
  * bare-iterparse: a bare ``iterparse`` loop over every signed yevmiye and kebir part;
  * verify: ``verify_signed_file`` over the same files.
Prints wall times, throughput ratios and peak RSS against the targets (create+sign >= 0.3 of bare-write,
<= 300 MB; verify >= 0.5 of bare iterparse, <= 150 MB). Exit status 1 when a target is missed.

    .venv/bin/python bench/bench_edefter_create.py                 # 1,000,000 lines, 200 MB parts
    .venv/bin/python bench/bench_edefter_create.py --lines 100000  # a reduced run while developing
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CREATE_RATIO_TARGET, CREATE_RSS_TARGET = 0.30, 300
VERIFY_RATIO_TARGET, VERIFY_RSS_TARGET = 0.50, 150
LINES_PER_ENTRY = 4
SUB_ACCOUNTS = 500
YEAR, MONTH = 2024, 1

_PEAK = """
def peak_rss_mb():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
"""

# The same elements as the portal's parts, written with the plainest xmlfile loop.
_BARE_WRITE = _PEAK + """
import json, sys, time
from datetime import date
from decimal import Decimal
from lxml import etree
from app.formats.xbrl import namespaces as ns
lines, sub_accounts, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cor, bus = ns.cor, ns.bus
item = {"contextRef": "journal_context"}
money = {"contextRef": "journal_context", "unitRef": "try", "decimals": "INF"}
count = {"contextRef": "journal_context", "unitRef": "countable", "decimals": "INF"}
def fact(xf, tag, text, attributes=item):
    with xf.element(tag, attributes):
        xf.write(text)
def detail(xf, number, counter, main, sub, amount, side, day, reference, journal):
    with xf.element(cor("entryDetail")):
        fact(xf, cor("lineNumber"), str(number)); fact(xf, cor("lineNumberCounter"), str(counter), count)
        with xf.element(cor("account")):
            fact(xf, cor("accountMainID"), main); fact(xf, cor("accountMainDescription"), "HESAP " + main)
            if sub:
                with xf.element(cor("accountSub")):
                    fact(xf, cor("accountSubDescription"), "Alt " + sub); fact(xf, cor("accountSubID"), sub)
        fact(xf, cor("amount"), amount, money); fact(xf, cor("debitCreditCode"), side)
        fact(xf, cor("postingDate"), day)
        if journal:
            fact(xf, cor("documentType"), "invoice"); fact(xf, cor("documentNumber"), "ANA2024" + reference)
        fact(xf, cor("documentReference"), reference)
        if journal:
            fact(xf, cor("documentDate"), day); fact(xf, bus("paymentMethod"), "Açık hesap")
def lines_of(index):
    net = Decimal(1000 + index % 9000); vat = net / 5; cash = Decimal(100)
    sub = "120.%03d" % (index % SUB)
    return [("100", None, f"{cash:.2f}", "D"), ("120", sub, f"{net + vat - cash:.2f}", "D"),
            ("600", None, f"{net:.2f}", "C"), ("391", None, f"{vat:.2f}", "C")]
SUB = sub_accounts
entries = lines // 4
started = time.perf_counter()
with open(out, "wb") as handle, etree.xmlfile(handle, encoding="UTF-8") as xf:
    xf.write_declaration()
    with xf.element(ns.DEFTER, nsmap=ns.NSMAP), xf.element(ns.xbrli("xbrl")), xf.element(cor("accountingEntries")):
        number = 0
        for index in range(entries):
            day = date(2024, 1, 1 + index * 31 // entries).isoformat()
            with xf.element(cor("entryHeader")):
                fact(xf, cor("enteredBy"), "Muhasebe"); fact(xf, cor("enteredDate"), day)
                fact(xf, cor("entryNumber"), str(index + 1)); fact(xf, cor("entryComment"), "Satış")
                fact(xf, bus("totalDebit"), "1.00", money); fact(xf, bus("totalCredit"), "1.00", money)
                fact(xf, cor("entryNumberCounter"), str(index + 1), count)
                for main, sub, amount, side in lines_of(index):
                    number += 1
                    detail(xf, number, index + 1, main, sub, amount, side, day, str(index + 1), True)
            xf.write("\\n")
        # the kebir: the same lines again, one entryHeader per account (4 + sub accounts)
        accounts = [("100", None), ("391", None), ("600", None)] + [("120", "120.%03d" % s) for s in range(SUB)]
        number = 0
        for main, sub in accounts:
            with xf.element(cor("entryHeader")):
                fact(xf, bus("totalDebit"), "1.00", money); fact(xf, bus("totalCredit"), "0.00", money)
                members = range(entries) if sub is None else range(int(sub[4:]), entries, SUB)
                for index in members:
                    number += 1
                    day = date(2024, 1, 1 + index * 31 // entries).isoformat()
                    for m, s, amount, side in lines_of(index):
                        if m == main and s == sub:
                            detail(xf, number, index + 1, main, sub, amount, side, day, str(index + 1), False)
            xf.write("\\n")
elapsed = time.perf_counter() - started
import os
print(json.dumps({"seconds": elapsed, "bytes": os.path.getsize(out), "rss_mb": peak_rss_mb()}))
"""

_CREATE_AND_SIGN = _PEAK + """
import json, sys, time
from pathlib import Path
from werkzeug.serving import make_server
import threading
from app import create_app
from app.gib.simulator import create_simulator_app
from app.signing.demo_pki import DemoPKI
url, instance, pki_dir, softhsm_conf, ca, module, label, pin, vkn, part_kb = sys.argv[1:11]
from cryptography import x509
anchors = x509.load_pem_x509_certificates(Path(ca).read_bytes())
simulator = create_simulator_app(Path(instance) / "gib", trust_anchors=anchors)
server = make_server("127.0.0.1", 0, simulator, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
app = create_app({"MODE": "test", "DATABASE_URL": url, "INSTANCE_PATH": instance, "SOFTHSM2_CONF": softhsm_conf,
                  "TRUST_ANCHORS": ca, "JOBS_URL": "immediate", "GIB_URL": f"http://127.0.0.1:{server.server_port}",
                  "EDEFTER_PART_MAX_KB": int(part_kb)})
from sqlalchemy import select
from app.db import get_session
from app.edefter.creation import operations
from app.models import DefterFile, Taxpayer
with app.app_context():
    taxpayer = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == vkn))
    period = operations.find_period(taxpayer, 2024, 1)
    started = time.perf_counter()
    job = operations.start_creation(taxpayer, period)
    prepared = time.perf_counter()
    get_session().expire_all()
    assert get_session().get(type(job), job.id).status.value == "tamamlandi", get_session().get(type(job), job.id).error
    taxpayer = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == vkn))
    period = operations.find_period(taxpayer, 2024, 1)
    creation = operations.sign_period(taxpayer, period, module, label, pin)
    signed = time.perf_counter()
    store = app.extensions["ebelge.storage"]
    files = [(row.kind.value, str(store.path_for(row.signed_key)), row.signed_size, row.verification_ok)
             for row in get_session().scalars(select(DefterFile).where(DefterFile.creation_id == creation.id))]
print(json.dumps({"seconds": signed - started, "prepare_seconds": prepared - started, "sign_seconds": signed - prepared,
                  "files": files, "rss_mb": peak_rss_mb()}))
"""

_BARE_ITERPARSE = _PEAK + """
import json, sys, time
from lxml import etree
from app.formats.xbrl.yevmiye_reader import PARSER_OPTIONS
started = time.perf_counter()
for path in sys.argv[1:]:
    for _, element in etree.iterparse(path, events=("end",), **PARSER_OPTIONS):
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": peak_rss_mb()}))
"""

_VERIFY = _PEAK + """
import json, sys, time
from pathlib import Path
from cryptography import x509
from app.signing.stream_verify import verify_signed_file
anchors = x509.load_pem_x509_certificates(Path(sys.argv[1]).read_bytes())
started = time.perf_counter()
results = [verify_signed_file(path, anchors).ok for path in sys.argv[2:]]
print(json.dumps({"seconds": time.perf_counter() - started, "ok": all(results), "rss_mb": peak_rss_mb()}))
"""


def run_child(script: str, *args: str) -> dict:
    completed = subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(completed.stderr[-3000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def prepare_database(url: str, vkn: str, name: str, lines: int) -> None:
    """The portal's database with the company's settings, contract and a month of ``lines`` journal lines."""
    from datetime import date
    from decimal import Decimal

    from sqlalchemy import create_engine, insert
    from sqlalchemy.orm import Session

    from app.edefter.creation.demo import _contract, _settings
    from app.migrate import upgrade
    from app.models import JournalBatch, JournalEntry, JournalLine, JournalPeriod, JournalSource, Taxpayer

    upgrade(url)
    engine = create_engine(url)
    entries = lines // LINES_PER_ENTRY
    with Session(engine) as session, session.begin():
        taxpayer = Taxpayer(identifier=vkn, unvan=name)
        session.add(taxpayer)
        session.flush()
        session.add_all([_settings(taxpayer, YEAR), _contract(taxpayer, YEAR)])
        period = JournalPeriod(taxpayer_id=taxpayer.id, branch_code="", year=YEAR, month=MONTH, entry_count=entries,
                               line_count=entries * LINES_PER_ENTRY)
        session.add(period)
        session.flush()
        batch = JournalBatch(period_id=period.id, source=JournalSource.CLI, actor="bench", entry_count=entries,
                             line_count=entries * LINES_PER_ENTRY)
        session.add(batch)
        session.flush()
        period_id, batch_id = period.id, batch.id
    with engine.begin() as connection:
        step = 20_000
        for first in range(0, entries, step):
            rows, line_rows = [], []
            for index in range(first, min(entries, first + step)):
                day = date(YEAR, MONTH, 1 + index * 31 // entries)
                rows.append({"id": index + 1, "period_id": period_id, "batch_id": batch_id,
                             "entry_number": str(index + 1), "entry_date": day, "entered_by": "Muhasebe",
                             "comment": "Satış"})
                net = Decimal(1000 + index % 9000)
                vat = net / 5
                cash = Decimal(100)
                sub = f"120.{index % SUB_ACCOUNTS:03d}"
                for line_no, (main, main_name, sub_id, sub_name, amount, side) in enumerate((
                        ("100", "KASA", None, None, cash, "D"),
                        ("120", "ALICILAR", sub, f"Müşteri {sub}", net + vat - cash, "D"),
                        ("600", "YURT İÇİ SATIŞLAR", None, None, net, "C"),
                        ("391", "HESAPLANAN KDV", None, None, vat, "C")), start=1):
                    invoice = line_no == 2
                    line_rows.append({
                        "period_id": period_id, "entry_id": index + 1, "line_no": line_no, "account_main_id": main,
                        "account_main_description": main_name, "account_sub_id": sub_id,
                        "account_sub_description": sub_name, "amount": amount, "side": side,
                        "document_type": "invoice" if invoice else None,
                        "document_number": f"ANA2024{index:09d}" if invoice else None,
                        "document_date": day if invoice else None,
                        "payment_method": "Açık hesap" if invoice else None})
            connection.execute(insert(JournalEntry), rows)
            connection.execute(insert(JournalLine), line_rows)
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="journal lines of the month (default 1,000,000)")
    parser.add_argument("--part-mb", type=int, default=200, help="largest defter part (default GİB's 200 MB)")
    parser.add_argument("--work-dir", type=Path, default=None, help="where the database and files go (a temp dir)")
    args = parser.parse_args(argv)

    from app.signing.demo_pki import provision

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="bench-edefter-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        pki = provision(work / "pki")
        token = pki.token("anadolu")
        url = f"sqlite:///{work / 'portal.sqlite3'}"
        prepare_database(url, token.owner_id, token.owner_name, args.lines)
        print(f"setup: {args.lines:,} lines ({args.lines // LINES_PER_ENTRY:,} maddeler) in "
              f"{time.perf_counter() - started:.0f} s")

        bare = run_child(_BARE_WRITE, str(args.lines), str(SUB_ACCOUNTS), str(work / "bare.xml"))
        (work / "bare.xml").unlink()
        created = run_child(_CREATE_AND_SIGN, url, str(work / "instance"), str(pki.directory), str(pki.softhsm_conf),
                            str(pki.ca_cert_path), pki.module_path, token.label, token.pin, token.owner_id,
                            str(args.part_mb * 1024))
        parts = [path for kind, path, _, _ in created["files"] if kind in ("Y", "K")]
        total = sum(size for _, _, size, _ in created["files"])
        parts_bytes = sum(size for kind, _, size, _ in created["files"] if kind in ("Y", "K"))
        assert all(ok for *_, ok in created["files"])
        iterparse = run_child(_BARE_ITERPARSE, *parts)
        verified = run_child(_VERIFY, str(pki.ca_cert_path), *parts)
        assert verified["ok"]
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)

    mib = 2**20
    create_ratio = (total / created["seconds"]) / (bare["bytes"] / bare["seconds"])
    verify_ratio = iterparse["seconds"] / verified["seconds"]
    print(f"files: {len(created['files'])} ({len(parts)} defter parts), {total / mib:,.0f} MiB signed")
    print(f"bare xmlfile write : {bare['seconds']:8.1f} s  {bare['bytes'] / mib / bare['seconds']:6.1f} MiB/s  "
          f"peak RSS {bare['rss_mb']:.0f} MiB")
    print(f"create + sign      : {created['seconds']:8.1f} s  {total / mib / created['seconds']:6.1f} MiB/s  "
          f"peak RSS {created['rss_mb']:.0f} MiB  (prepare {created['prepare_seconds']:.1f} s, "
          f"sign {created['sign_seconds']:.1f} s)")
    print(f"bare iterparse     : {iterparse['seconds']:8.1f} s  {parts_bytes / mib / iterparse['seconds']:6.1f} MiB/s  "
          f"peak RSS {iterparse['rss_mb']:.0f} MiB")
    print(f"verify             : {verified['seconds']:8.1f} s  {parts_bytes / mib / verified['seconds']:6.1f} MiB/s  "
          f"peak RSS {verified['rss_mb']:.0f} MiB")
    checks = [
        ("create+sign / bare write", create_ratio, CREATE_RATIO_TARGET, created["rss_mb"], CREATE_RSS_TARGET),
        ("verify / bare iterparse", verify_ratio, VERIFY_RATIO_TARGET, verified["rss_mb"], VERIFY_RSS_TARGET),
    ]
    ok = True
    for name, ratio, ratio_target, rss, rss_target in checks:
        good = ratio >= ratio_target and rss <= rss_target
        ok &= good
        print(f"{name:26}: ratio {ratio:.2f} (target >= {ratio_target}), peak RSS {rss:.0f} MiB "
              f"(target <= {rss_target}) {'OK' if good else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
