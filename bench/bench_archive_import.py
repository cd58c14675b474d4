"""Benchmark: Belge Saklama's import of a big zip of signed UBL-TR invoices against a bare loop (issue 11).

Makes (or reuses, under bench/data/) a zip of --documents distinct invoices signed on a demo SoftHSM card (the
demo PKI is provisioned under bench/data/ once), then in the same run, each side in a child process:
  * bare loop: open the zip and parse each member with lxml (nothing else);
  * import:    the real Belge Saklama job (immediate mode, SQLite under a temp folder migrated beforehand by another
               process, the file store there too) with its checking processes (--workers = ARCHIVE_CHECK_WORKERS):
               safe parse, fields, party, XAdES verification against the demo CA, store put_many, documents, kontör
               movements and verdicts committed per batch.
Prints documents/s of both, the ratio (target >= 0.3), CPU per document of the job's and the checking processes, and
the import's peak memory: the sum of the peaks (VmHWM) of every process of its tree — job and checking processes
(target <= 250 MB) — and the tree's summed RSS sampled every 20 ms. Exit status 1 when a target is missed. Not a
test: numbers depend on the machine, the disk and what else runs.

    .venv/bin/python bench/bench_archive_import.py                      # 100,000 documents
    .venv/bin/python bench/bench_archive_import.py --documents 5000     # while developing
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data"
sys.path.insert(0, str(REPO))

RATIO_TARGET = 0.3
RSS_TARGET_MB = 250


def peak_rss_mb() -> float:
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024


def _pki():
    from app.signing.demo_pki import provision

    pki = provision(DATA / "archive-pki")
    pki.activate()
    return pki


def make_corpus(count: int) -> Path:
    path = DATA / f"archive-{count}.zip"
    if path.exists():
        return path
    from app.formats.ubl import PartyDetails
    from tests.archive.corpus import invoices

    DATA.mkdir(parents=True, exist_ok=True)
    pki = _pki()
    ege = pki.token("ege")
    buyer = PartyDetails(ege.owner_id, ege.owner_name)
    temporary = path.with_suffix(".tmp")
    started = time.perf_counter()
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for first in range(0, count, 1000):
            for n, document in enumerate(invoices(pki, "anadolu", buyer, min(1000, count - first), start=first + 1,
                                                  prefix="BNC")):
                archive.writestr(f"{first + n:06d}.xml", document)
            print(f"  imzalandı: {min(first + 1000, count)}/{count}", file=sys.stderr)
    temporary.rename(path)
    print(f"  corpus: {count} belge {time.perf_counter() - started:.1f} s içinde imzalandı", file=sys.stderr)
    return path


def child_bare(zip_path: str) -> dict:
    from lxml import etree

    started = time.perf_counter()
    count = 0
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            etree.fromstring(archive.read(info))
            count += 1
    return {"documents": count, "seconds": time.perf_counter() - started, "rss_mb": peak_rss_mb()}


def child_import(zip_path: str, count: int, workers: int, folder_name: str) -> dict:
    from datetime import date

    from app import create_app
    from app.archive.operations import start_import
    from app.kontor.operations import load_package
    from app.models import ArchiveImport, LabelStatus, ServiceLabel, Taxpayer
    from app.unit_of_work import unit_of_work

    pki = _pki()
    folder = Path(folder_name)
    url = f"sqlite:///{folder / 'portal.sqlite3'}"  # migrated by the bench beforehand (a job worker never migrates)
    app = create_app({"MODE": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"),
                      "JOBS_URL": "immediate", "TRUST_ANCHORS": str(pki.ca_cert_path), "GIB_URL": "http://127.0.0.1:9",
                      "SOFTHSM2_CONF": str(pki.softhsm_conf),
                      "ARCHIVE_CHECK_WORKERS": workers})
    anadolu = pki.token("anadolu")
    with app.app_context():
        with unit_of_work() as work:
            taxpayer = Taxpayer(identifier=anadolu.owner_id, unvan=anadolu.owner_name)
            work.session.add(taxpayer)
            work.session.flush()
            work.session.add(ServiceLabel(taxpayer_id=taxpayer.id, product="efatura", kind="efatura_saklama",
                                          alias="urn:mail:saklama@bench", status=LabelStatus.AKTIF))
        load_package(taxpayer.identifier, count, date(2099, 12, 31))
        started = time.perf_counter()
        cpu_before = _cpu()
        with open(zip_path, "rb") as stream:
            upload = start_import(taxpayer, "bench.zip", stream)
        seconds = time.perf_counter() - started
        cpu = {side: after - before for (side, after), before in zip(_cpu().items(), cpu_before.values())}
        with unit_of_work(write=False) as work:
            done = work.session.get(ArchiveImport, upload.id)
            stored, refused = done.stored_count, done.refused_count
    return {"documents": count, "stored": stored, "refused": refused, "seconds": seconds, "rss_mb": peak_rss_mb(),
            "cpu": cpu}


def _cpu() -> dict[str, float]:
    """CPU seconds (user + system) of this process and of its ended children (the checking processes)."""
    import resource

    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"job": mine.ru_utime + mine.ru_stime, "checkers": children.ru_utime + children.ru_stime}


def _status(pid: int) -> dict[str, int]:
    try:
        with open(f"/proc/{pid}/status") as status:
            return {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith(("VmRSS", "VmHWM"))}
    except (OSError, ValueError, IndexError):
        return {}


def _command(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as command:
            return command.read()
    except OSError:
        return b""


def _tree(pid: int) -> list[int]:
    """The process and all its descendants (the import's checking processes)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            pass
    return found


def run_child(*args: str) -> dict:
    """Run one side in a child process; its whole process tree's memory is watched while it runs: the peak of the
    sum of the tree's RSS (sampled every 20 ms) and the sum of every process's own peak (VmHWM, an upper bound)."""
    process = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    peaks: dict[int, tuple[bytes, int]] = {}  # pid: (its program's command line, its VmHWM)
    tree_peak = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal tree_peak
        root_command = b""
        while not done.is_set():
            total = 0
            for pid in _tree(process.pid):
                status = _status(pid)
                command = _command(pid)
                if pid == process.pid:
                    root_command = command
                elif command == root_command:
                    # A child between fork and exec still maps the import process's pages (shared, counted there):
                    # only the program it becomes counts (exec starts VmHWM afresh).
                    continue
                total += status.get("VmRSS", 0)
                if not command or "VmHWM" not in status:  # ended meanwhile (a zombie has neither)
                    continue
                seen = peaks.get(pid)
                if seen is None or seen[0] != command:
                    seen = (command, 0)
                peaks[pid] = (command, max(seen[1], status.get("VmHWM", 0)))
            tree_peak = max(tree_peak, total)
            done.wait(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"çocuk süreç başarısız: {args}\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    values = [peak for pid, (_, peak) in peaks.items() if pid != process.pid] + [int(result["rss_mb"] * 1024)]
    result.update(tree_rss_mb=tree_peak / 1024, sum_of_peaks_mb=sum(values) / 1024, processes=len(values),
                  peaks_mb=sorted((round(peak / 1024) for peak in values), reverse=True))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=0,
                        help="ARCHIVE_CHECK_WORKERS for the import (0: one per core, 1: in the job's process)")
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = child_bare(rest[0]) if kind == "bare" else child_import(rest[0], int(rest[1]), int(rest[2]), rest[3])
        print(json.dumps(result))
        return 0
    zip_path = make_corpus(args.documents)
    size_mb = zip_path.stat().st_size / 1024 / 1024
    bare = run_child("bare", str(zip_path))
    folder = Path(tempfile.mkdtemp(prefix="bench-saklama-"))
    # Migrated by another process, as a portal is (`flask db upgrade`): the job's process never loads the migrations.
    subprocess.run([sys.executable, "-c", f"from app.migrate import upgrade; upgrade('sqlite:///{folder}/portal.sqlite3')"],
                   check=True, cwd=REPO, capture_output=True)
    try:
        imported = run_child("import", str(zip_path), str(args.documents), str(args.workers), str(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the database and one file per document: ~1 GB at 100k
    bare_rate = bare["documents"] / bare["seconds"]
    import_rate = imported["documents"] / imported["seconds"]
    ratio = import_rate / bare_rate
    print(f"zip: {args.documents} imzalı fatura, {size_mb:.1f} MB")
    print(f"bare loop (zip + lxml parse): {bare_rate:,.0f} belge/s ({bare['seconds']:.1f} s, RSS {bare['rss_mb']:.0f} MB)")
    print(f"Belge Saklama import:         {import_rate:,.0f} belge/s ({imported['seconds']:.1f} s), "
          f"saklandı {imported['stored']}, reddedildi {imported['refused']}")
    cpu = imported["cpu"]
    print(f"CPU per document: job process {cpu['job'] / args.documents * 1e6:.0f} µs, checking processes "
          f"{cpu['checkers'] / args.documents * 1e6:.0f} µs (bare loop: {bare['seconds'] / bare['documents'] * 1e6:.0f} µs "
          f"of wall time)")
    print(f"ratio: {ratio:.3f} (target >= {RATIO_TARGET})")
    print(f"import peak RSS: {imported['sum_of_peaks_mb']:.0f} MB, the sum of the peaks of its {imported['processes']} "
          f"processes ({' + '.join(map(str, imported['peaks_mb']))}; whole tree sampled at most {imported['tree_rss_mb']:.0f} MB) "
          f"(target <= {RSS_TARGET_MB} MB)")
    ok = ratio >= RATIO_TARGET and imported["sum_of_peaks_mb"] <= RSS_TARGET_MB and imported["stored"] == args.documents
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
