"""A ~200 MB file (the size of an e-Defter part) streamed into the store and back out in bounded memory.

The store runs in a child process that reports its own peak RSS (VmHWM from /proc/self/status):
ru_maxrss carries the parent's peak over fork/exec, so it would measure pytest, not the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FILE_BYTES = 200 * 1024 * 1024 + 4321
GROWTH_BOUND_MB = 16  # the store's own use is a few 1 MiB chunks (measured: ~2 MB), far below the file's size
RSS_BOUND_MB = 64  # measured ~33 MB, of which ~31 MB is Python with Flask imported

_STORE = """
import json, sys
def peak_rss_mb():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
from app.storage import CHUNK_SIZE, LocalFileStore
source, root, copy = sys.argv[1:4]
before = peak_rss_mb()
store = LocalFileStore(root)
with open(source, "rb") as stream:
    stored = store.put(stream, max_bytes=250 * 1024 * 1024)
with store.open(stored.sha256) as reader, open(copy, "wb") as target:
    while chunk := reader.read(CHUNK_SIZE):
        target.write(chunk)
    streamed_verified = reader.verified
verified = store.verify(stored.sha256)
print(json.dumps({"sha256": stored.sha256, "size": stored.size, "streamed_verified": streamed_verified,
                  "verified_size": verified.size, "before_mb": before, "rss_mb": peak_rss_mb()}))
"""


def write_source(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        left = size
        while left:
            block = os.urandom(min(left, 4 * 1024 * 1024))
            digest.update(block)
            handle.write(block)
            left -= len(block)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(4 * 1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


@pytest.mark.slow
def test_a_200_mb_file_is_streamed_in_and_out_in_bounded_memory(tmp_path):
    source, root, copy = tmp_path / "defter-parcasi.zip", tmp_path / "depo", tmp_path / "kopya.zip"
    expected = write_source(source, FILE_BYTES)

    completed = subprocess.run([sys.executable, "-c", _STORE, str(source), str(root), str(copy)], cwd=REPO,
                               capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stderr
    measured = json.loads(completed.stdout)

    assert (measured["sha256"], measured["size"]) == (expected, FILE_BYTES)
    assert measured["streamed_verified"] and measured["verified_size"] == FILE_BYTES
    assert copy.stat().st_size == FILE_BYTES and file_sha256(copy) == expected
    assert measured["rss_mb"] - measured["before_mb"] < GROWTH_BOUND_MB, measured
    assert measured["rss_mb"] < RSS_BOUND_MB, measured
