"""Benchmark: preparing a training class (issue 18: "20 trainees ready in under a minute on this machine").

    .venv/bin/python bench/bench_training.py [--trainees 20] [--database-url URL]

In one run, in a temp folder: the demo PKI (CA and demo cards), a migrated database (SQLite by default), a training
GİB simulator on a real socket, and the portal in training mode. Then it times
- the baseline: N bare demo cards made by the demo PKI machinery alone (a SoftHSM token, an RSA-2048 key generated
  on it, a certificate from the demo CA) — the part no preparation can avoid;
- the class: what "Sınıfı Hazırla" does (companies, invoices, e-Defter settings, a month of journal, N cards, GİB
  registration, kontör), and a reset of it (clock, rows, PINs, GİB).
Prints seconds, the ratio class/baseline, the target (< 60 s) and the peak RSS. Not a test: numbers depend on the
machine (2 shared cores here).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.gib.simulator import create_simulator_app  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.signing.certinfo import KIND_MALI_MUHUR  # noqa: E402
from app.signing.demo_pki import DemoTaxpayer, provision  # noqa: E402
from app.training import operations  # noqa: E402

TARGET_SECONDS = 60.0


def bare_cards(directory: Path, count: int) -> float:
    """The baseline: `count` demo cards alone, in a PKI of their own."""
    from app.identifiers import make_vkn

    people = [DemoTaxpayer(f"b{i}", make_vkn(f"7{i:08d}"), f"Taban {i} A.Ş.", KIND_MALI_MUHUR, "123456")
              for i in range(1, count + 1)]
    provision(directory)  # the CA and the demo cards, as the class's PKI has them
    started = time.perf_counter()
    provision(directory, people)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-egitim-") as temp:
        root = Path(temp)
        baseline = bare_cards(root / "baseline-pki", args.trainees)
        pki = provision(root / "demo-pki")
        simulator = create_simulator_app(root / "gib", training=True, trust_anchors=pki.trust_anchors())
        server = make_server("127.0.0.1", 0, simulator, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = args.database_url or f"sqlite:///{root / 'portal.sqlite3'}"
        upgrade(url)
        app = create_app({"MODE": "training", "DATABASE_URL": url, "INSTANCE_PATH": str(root / "instance"),
                          "SOFTHSM2_CONF": str(pki.softhsm_conf), "TRUST_ANCHORS": str(pki.ca_cert_path),
                          "GIB_URL": f"http://127.0.0.1:{server.server_port}", "JOBS_URL": "immediate"})
        with app.app_context():
            started = time.perf_counter()
            training_class = operations.create_class("Bench Sınıfı", args.trainees)
            rows = time.perf_counter() - started
            outcome = operations.equip(training_class.id)
            prepared = time.perf_counter() - started
            started = time.perf_counter()
            reset = operations.reset_class(training_class.id)
            reset_seconds = time.perf_counter() - started
        server.shutdown()
        app.extensions["ebelge.db"].engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"trainees: {args.trainees}  database: {'PostgreSQL' if args.database_url else 'SQLite'}")
    print(f"baseline, {args.trainees} bare demo cards:      {baseline:7.2f} s")
    print(f"class prepared (rows {rows:.2f} s + cards, GİB, kontör): {prepared:7.2f} s  "
          f"ratio {prepared / baseline:.2f}x baseline  target < {TARGET_SECONDS:.0f} s: "
          f"{'OK' if prepared < TARGET_SECONDS else 'TOO SLOW'}")
    print(f"class reset:                           {reset_seconds:7.2f} s")
    print(f"peak RSS: {peak_mb:.0f} MB")
    for line in outcome.warnings + reset.warnings:
        print(f"warning: {line}")
    return 0 if prepared < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
