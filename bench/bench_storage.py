"""Benchmark: the content-addressed file store against a bare copy-and-hash of the same big file (Core v2).

Generates (or reuses) an incompressible file of --size-mb under bench/data/, then in the same run measures,
each in a child process so that peak RSS is the measured code's own (VmHWM):
  * bare put:  shutil.copyfileobj from the file to a new file through a writer that feeds hashlib.sha256,
               then fsync (its time with and without the fsync is printed);
  * put:       LocalFileStore.put(path): hash while writing to tmp/, fsync, read-only, rename, folder fsync;
  * bare read: shutil.copyfileobj from the copy into a sink that only hashes;
  * read:      LocalFileStore.open(key) copied into a sink that discards: the hash checked as it is read.
The sides are interleaved for --rounds rounds, who goes first alternating (a disk's writeback would
otherwise favour one side), and the best time of each counts. Prints throughputs, the ratios (targets:
put >= 80 % of the bare put with fsync, read >= 80 % of the bare read) and the store's peak RSS (target
<= 64 MB; ~15 MB of it is Flask, imported with the app package). Exit status 1 when a target is missed.
Not a test: numbers depend on the machine, fsync times on the disk's mood.

    .venv/bin/python bench/bench_storage.py              # 1 GB
    .venv/bin/python bench/bench_storage.py --size-mb 200 --rounds 5
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.storage import CHUNK_SIZE  # noqa: E402

PUT_RATIO_TARGET = 0.80
READ_RATIO_TARGET = 0.80
RSS_TARGET_MB = 64

_PRELUDE = """
import hashlib, json, os, shutil, sys, time
def peak_rss_mb():
    # VmHWM: this program's own peak (ru_maxrss would include the parent it was forked from)
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
CHUNK = int(sys.argv[1])
"""

_BARE_PUT = _PRELUDE + """
class HashingWriter:
    def __init__(self, target):
        self.target, self.digest = target, hashlib.sha256()
    def write(self, data):
        self.digest.update(data)
        return self.target.write(data)
source, destination = sys.argv[2:4]
started = time.perf_counter()
with open(source, "rb") as stream, open(destination, "wb") as target:
    writer = HashingWriter(target)
    shutil.copyfileobj(stream, writer, CHUNK)
    target.flush()
    copied = time.perf_counter()
    os.fsync(target.fileno())
finished = time.perf_counter()
print(json.dumps({"seconds": finished - started, "seconds_without_fsync": copied - started,
                  "sha256": writer.digest.hexdigest(), "rss_mb": peak_rss_mb()}))
"""

_PUT = _PRELUDE + """
from app.storage import LocalFileStore
source, root = sys.argv[2:4]
store = LocalFileStore(root)
started = time.perf_counter()
stored = store.put(source)
finished = time.perf_counter()
print(json.dumps({"seconds": finished - started, "sha256": stored.sha256, "rss_mb": peak_rss_mb()}))
"""

_BARE_READ = _PRELUDE + """
class HashingSink:
    def __init__(self):
        self.digest = hashlib.sha256()
    def write(self, data):
        self.digest.update(data)
        return len(data)
source = sys.argv[2]
started = time.perf_counter()
sink = HashingSink()
with open(source, "rb") as stream:
    shutil.copyfileobj(stream, sink, CHUNK)
finished = time.perf_counter()
print(json.dumps({"seconds": finished - started, "sha256": sink.digest.hexdigest(), "rss_mb": peak_rss_mb()}))
"""

_READ = _PRELUDE + """
from app.storage import LocalFileStore
class NullSink:
    def write(self, data):
        return len(data)
root, key = sys.argv[2:4]
store = LocalFileStore(root)
started = time.perf_counter()
with store.open(key) as reader:
    shutil.copyfileobj(reader, NullSink(), CHUNK)
    verified = reader.verified
finished = time.perf_counter()
print(json.dumps({"seconds": finished - started, "verified": verified, "rss_mb": peak_rss_mb()}))
"""


def ensure_file(size_mb: int, data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"storage-{size_mb}mb.bin"
    if path.exists() and path.stat().st_size == size_mb * 1024 * 1024:
        print(f"reusing {path} ({size_mb} MiB)")
        return path
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    with open(partial, "wb") as handle:
        handle.writelines(os.urandom(1024 * 1024) for _ in range(size_mb))
    partial.rename(path)
    print(f"generated {path}: {size_mb} MiB of random bytes in {time.perf_counter() - started:.1f} s")
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK_SIZE):
            digest.update(block)
    return digest.hexdigest()


def run_child(script: str, *args: str) -> dict:
    os.sync()  # no side pays for the writeback of the one before it
    completed = subprocess.run([sys.executable, "-c", script, str(CHUNK_SIZE), *args], cwd=REPO,
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    return json.loads(completed.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the generated file (default 1024)")
    parser.add_argument("--rounds", type=int, default=4, help="measure each side this many times, keep the best")
    parser.add_argument("--data-dir", type=Path, default=REPO / "bench" / "data")
    args = parser.parse_args(argv)

    source = ensure_file(args.size_mb, args.data_dir)
    expected = file_sha256(source)  # also warms the page cache
    size_mib = source.stat().st_size / 2**20
    results: dict[str, list[dict]] = {"bare_put": [], "put": [], "bare_read": [], "read": []}
    with tempfile.TemporaryDirectory(dir=args.data_dir, prefix="bench-storage-") as scratch:
        work = Path(scratch)
        for round_number in range(args.rounds):
            copy, root = work / f"copy-{round_number}.bin", work / f"store-{round_number}"
            sides = {
                "bare_put": (_BARE_PUT, str(source), str(copy)),
                "put": (_PUT, str(source), str(root)),
                "bare_read": (_BARE_READ, str(copy)),
                "read": (_READ, str(root), expected),
            }
            # Interleaved, and who goes first alternates: a disk's writeback hits both sides alike.
            order = ["bare_put", "put", "bare_read", "read"]
            if round_number % 2:
                order = ["put", "bare_put", "read", "bare_read"]
            for side in order:
                results[side].append(run_child(*sides[side]))
            copy.unlink()
            shutil.rmtree(root)  # read-only files go with their folder
    assert all(r["sha256"] == expected for side in ("bare_put", "put", "bare_read") for r in results[side])
    assert all(r["verified"] for r in results["read"])

    best = {side: min(runs, key=lambda r: r["seconds"]) for side, runs in results.items()}
    speed = {side: size_mib / best[side]["seconds"] for side in best}
    bare_put_no_fsync = min(r["seconds_without_fsync"] for r in results["bare_put"])
    store_rss = max(r["rss_mb"] for side in ("put", "read") for r in results[side])
    put_ratio = speed["put"] / speed["bare_put"]
    read_ratio = speed["read"] / speed["bare_read"]

    def line(label: str, side: str) -> str:
        return (f"{label:<24}: {best[side]['seconds']:6.2f} s {speed[side]:7.1f} MiB/s  "
                f"peak RSS {best[side]['rss_mb']:.0f} MiB")

    print(f"file: {size_mib:.0f} MiB, best of {args.rounds} rounds")
    print(f"{'bare copy+sha256':<24}: {bare_put_no_fsync:6.2f} s {size_mib / bare_put_no_fsync:7.1f} MiB/s  (no fsync)")
    print(line("bare copy+sha256+fsync", "bare_put"))
    print(line("LocalFileStore.put", "put"))
    print(line("bare read+sha256", "bare_read"))
    print(line("verified open() + read", "read"))
    put_ok, read_ok = put_ratio >= PUT_RATIO_TARGET, read_ratio >= READ_RATIO_TARGET
    rss_ok = store_rss <= RSS_TARGET_MB
    verdict = {True: "OK", False: "MISSED"}
    print(f"{'ratio put/bare':<24}: {put_ratio:.0%} (target >= {PUT_RATIO_TARGET:.0%}) {verdict[put_ok]}")
    print(f"{'ratio read/bare':<24}: {read_ratio:.0%} (target >= {READ_RATIO_TARGET:.0%}) {verdict[read_ok]}")
    print(f"{'store peak RSS':<24}: {store_rss:.0f} MiB (target <= {RSS_TARGET_MB} MB) {verdict[rss_ok]}")
    return 0 if put_ok and read_ok and rss_ok else 1


if __name__ == "__main__":
    sys.exit(main())
