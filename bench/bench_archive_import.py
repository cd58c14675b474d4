"""Benchmark: Belge Saklama's import of a big zip of signed UBL-TR invoices against a bare loop (issue 11).

Makes (or reuses, under bench/data/) a zip of --documents distinct invoices signed on a demo SoftHSM card (the
demo PKI is provisioned under bench/data/ once), then in the same run, each side in a child process so that peak
RSS is its own (VmHWM):
  * bare loop: open the zip and parse each member with lxml (nothing else);
  * import:    the real Belge Saklama job (immediate mode, SQLite under a temp folder, the file store there too):
               safe parse, fields, party, XAdES verification against the demo CA, store put (fsync), documents,
               kontör movements and verdicts committed per batch.
Prints documents/s of both, the ratio (target >= 0.3) and the import's peak RSS (target <= 250 MB). Exit status 1
when a target is missed. Not a test: numbers depend on the machine and the disk.

    .venv/bin/python bench/bench_archive_import.py                      # 100,000 documents
    .venv/bin/python bench/bench_archive_import.py --documents 5000     # while developing
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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


def child_import(zip_path: str, count: int) -> dict:
    from datetime import date

    from app import create_app
    from app.archive.operations import start_import
    from app.kontor.operations import load_package
    from app.migrate import upgrade
    from app.models import ArchiveImport, LabelStatus, ServiceLabel, Taxpayer
    from app.unit_of_work import unit_of_work

    pki = _pki()
    folder = Path(tempfile.mkdtemp(prefix="bench-saklama-"))
    url = f"sqlite:///{folder / 'portal.sqlite3'}"
    upgrade(url)
    app = create_app({"MODE": "test", "DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"),
                      "JOBS_URL": "immediate", "TRUST_ANCHORS": str(pki.ca_cert_path), "GIB_URL": "http://127.0.0.1:9",
                      "SOFTHSM2_CONF": str(pki.softhsm_conf)})
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
        with open(zip_path, "rb") as stream:
            upload = start_import(taxpayer, "bench.zip", stream)
        seconds = time.perf_counter() - started
        with unit_of_work(write=False) as work:
            done = work.session.get(ArchiveImport, upload.id)
            stored, refused = done.stored_count, done.refused_count
    return {"documents": count, "stored": stored, "refused": refused, "seconds": seconds, "rss_mb": peak_rss_mb()}


def run_child(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    if output.returncode != 0:
        raise SystemExit(f"çocuk süreç başarısız: {args}\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = child_bare(rest[0]) if kind == "bare" else child_import(rest[0], int(rest[1]))
        print(json.dumps(result))
        return 0
    zip_path = make_corpus(args.documents)
    size_mb = zip_path.stat().st_size / 1024 / 1024
    bare = run_child("bare", str(zip_path))
    imported = run_child("import", str(zip_path), str(args.documents))
    bare_rate = bare["documents"] / bare["seconds"]
    import_rate = imported["documents"] / imported["seconds"]
    ratio = import_rate / bare_rate
    print(f"zip: {args.documents} imzalı fatura, {size_mb:.1f} MB")
    print(f"bare loop (zip + lxml parse): {bare_rate:,.0f} belge/s ({bare['seconds']:.1f} s, RSS {bare['rss_mb']:.0f} MB)")
    print(f"Belge Saklama import:         {import_rate:,.0f} belge/s ({imported['seconds']:.1f} s), "
          f"saklandı {imported['stored']}, reddedildi {imported['refused']}")
    print(f"ratio: {ratio:.3f} (target >= {RATIO_TARGET})")
    print(f"import peak RSS: {imported['rss_mb']:.0f} MB (target <= {RSS_TARGET_MB} MB)")
    ok = ratio >= RATIO_TARGET and imported["rss_mb"] <= RSS_TARGET_MB and imported["stored"] == args.documents
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
