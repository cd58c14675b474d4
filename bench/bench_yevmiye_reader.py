"""Benchmark: reading the last yevmiye number of a big yevmiye file (issue 6, SPEC D4).

Generates (or reuses) a yevmiye of --size-mb under bench/data/ (one part, by the portal's streaming writer),
then in the same run measures, each in a child process so that peak RSS is the measured code's own:
  * bare:   a bare lxml iterparse loop over the file (end events of gl-cor:entryHeader, each cleared
            and dropped — the least any bounded-memory reader must do), with the project's safe options;
  * reader: app.formats.xbrl.yevmiye_reader.read_yevmiye_summary (owner, period, counters, gap check).
Prints both throughputs, their ratio (target >= 50 %) and the reader's peak RSS (target <= 150 MB).
Exit status 1 when a target is missed.

    .venv/bin/python bench/bench_yevmiye_reader.py              # 1 GB
    .venv/bin/python bench/bench_yevmiye_reader.py --size-mb 200
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.formats.xbrl.samples import (  # noqa: E402
    entries_for_size,
    sample_company,
    sample_document,
    sample_entries,
    write_yevmiye_file,
)

RATIO_TARGET = 0.50
RSS_TARGET_MB = 150

_BARE = """
import json, sys, time
def peak_rss_mb():
    # VmHWM: this program's own peak (ru_maxrss would include the parent it was forked from)
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
from lxml import etree
from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.yevmiye_reader import PARSER_OPTIONS
started = time.perf_counter()
count = 0
with open(sys.argv[1], "rb") as handle:
    for _, element in etree.iterparse(handle, events=("end",), tag=ns.cor("entryHeader"), **PARSER_OPTIONS):
        count += 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "entries": count,
                  "rss_mb": peak_rss_mb()}))
"""

_READER = """
import json, sys, time
def peak_rss_mb():
    # VmHWM: this program's own peak (ru_maxrss would include the parent it was forked from)
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary
started = time.perf_counter()
summary = read_yevmiye_summary(sys.argv[1], max_bytes=int(sys.argv[2]))
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "entries": summary.entry_count, "last": summary.last_entry_counter,
                  "rss_mb": peak_rss_mb()}))
"""


def ensure_file(size_mb: int, data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"yevmiye-{size_mb}mb.xml"
    if path.exists() and path.stat().st_size >= size_mb * 1024 * 1024 * 0.95:
        print(f"reusing {path} ({path.stat().st_size / 2**20:.0f} MiB)")
        return path
    partial = path.with_suffix(".partial")
    document = sample_document()
    started = time.perf_counter()
    # One part whatever its size (the portal's streaming writer, not split at 200 MB): the reader is measured.
    result = write_yevmiye_file(
        partial, sample_company(), document, sample_entries(document, entries_for_size(size_mb * 1024 * 1024))
    )
    partial.rename(path)
    elapsed = time.perf_counter() - started
    size = path.stat().st_size / 2**20
    print(f"generated {path}: {size:.0f} MiB, {result.entry_count} maddeler in {elapsed:.1f} s ({size / elapsed:.1f} MiB/s)")
    return path


def run_child(script: str, *args: str) -> dict[str, float]:
    completed = subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True,
                               check=True)
    return json.loads(completed.stdout)


def warm_page_cache(path: Path) -> None:
    with open(path, "rb") as handle:
        while handle.read(8 * 1024 * 1024):
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the generated yevmiye (default 1024)")
    parser.add_argument("--rounds", type=int, default=1, help="measure each side this many times, keep the best")
    parser.add_argument("--data-dir", type=Path, default=REPO / "bench" / "data")
    args = parser.parse_args(argv)

    path = ensure_file(args.size_mb, args.data_dir)
    size_mib = path.stat().st_size / 2**20
    warm_page_cache(path)
    bare: list[dict[str, float]] = []
    reader: list[dict[str, float]] = []
    for _ in range(args.rounds):  # alternate, so that both see the same machine load
        bare.append(run_child(_BARE, str(path)))
        reader.append(run_child(_READER, str(path), str(path.stat().st_size + 1)))
    best_bare = min(bare, key=lambda r: r["seconds"])
    best_reader = min(reader, key=lambda r: r["seconds"])
    assert best_bare["entries"] == best_reader["entries"] == best_reader["last"]

    bare_speed = size_mib / best_bare["seconds"]
    reader_speed = size_mib / best_reader["seconds"]
    ratio = reader_speed / bare_speed
    reader_rss = max(r["rss_mb"] for r in reader)
    print(f"file: {size_mib:.0f} MiB, {int(best_reader['entries'])} maddeler")
    print(f"bare iterparse loop : {best_bare['seconds']:7.2f} s  {bare_speed:7.1f} MiB/s  peak RSS {best_bare['rss_mb']:.0f} MiB")
    print(f"read_yevmiye_summary: {best_reader['seconds']:7.2f} s  {reader_speed:7.1f} MiB/s  peak RSS {reader_rss:.0f} MiB")
    ratio_ok = ratio >= RATIO_TARGET
    rss_ok = reader_rss <= RSS_TARGET_MB
    print(f"ratio reader/bare   : {ratio:.0%} (target >= {RATIO_TARGET:.0%}) {'OK' if ratio_ok else 'MISSED'}")
    print(f"reader peak RSS     : {reader_rss:.0f} MiB (target <= {RSS_TARGET_MB} MB) {'OK' if rss_ok else 'MISSED'}")
    return 0 if ratio_ok and rss_ok else 1


if __name__ == "__main__":
    sys.exit(main())
