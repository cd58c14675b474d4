"""Puts of the same content at the same moment, from threads and from separate processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from app.storage import LocalFileStore, StoredFile, StoredFileMissing
from tests.storage.conftest import stored_files
from tests.storage.content import PatternStream, pattern_digest

REPO = Path(__file__).resolve().parents[2]

_PUT = """
import json, sys, time
from app.storage import LocalFileStore
from tests.storage.content import PatternStream
root, size = sys.argv[1], int(sys.argv[2])
store = LocalFileStore(root)
print("hazır", flush=True)
sys.stdin.readline()
started = time.time()
stored = store.put(PatternStream(size, seed=42, delay=0.004))
print(json.dumps({"sha256": stored.sha256, "size": stored.size, "started": started, "ended": time.time()}), flush=True)
"""


def test_threads_putting_the_same_content_leave_one_intact_file_and_readers_never_see_a_partial_one(store):
    size, writers = 8 * 1024 * 1024 + 3, 6
    expected = StoredFile(pattern_digest(size, seed=7), size)
    barrier = threading.Barrier(writers + 1)
    results: list[StoredFile] = []
    errors: list[BaseException] = []
    writing = threading.Event()

    def put() -> None:
        try:
            barrier.wait()
            results.append(store.put(PatternStream(size, seed=7, delay=0.0005)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def read_while_writing() -> None:
        barrier.wait()
        checks = 0
        while writing.is_set() or checks == 0:
            try:
                assert store.verify(expected.sha256) == expected
                checks += 1
            except StoredFileMissing:
                pass  # not there yet; it must never be there and incomplete
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                return

    writing.set()
    threads = [threading.Thread(target=put) for _ in range(writers)]
    reader = threading.Thread(target=read_while_writing)
    for thread in [*threads, reader]:
        thread.start()
    for thread in threads:
        thread.join(60)
    writing.clear()
    reader.join(60)

    assert errors == []
    assert results == [expected] * writers
    assert stored_files(store) == [store.path_for(expected.sha256)]
    assert store.verify(expected.sha256) == expected


def test_two_processes_putting_the_same_content_at_once_leave_one_intact_file(store):
    size = 24 * 1024 * 1024
    children = [
        subprocess.Popen([sys.executable, "-c", _PUT, str(store.root), str(size)], cwd=REPO, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "hazır", child.stderr.read()
        for child in children:
            child.stdin.write("başla\n")
            child.stdin.flush()
        reports = []
        for child in children:
            line = child.stdout.readline()
            assert line, child.stderr.read()
            reports.append(json.loads(line))
    finally:
        for child in children:
            child.kill()
            child.wait(10)
            for pipe in (child.stdin, child.stdout, child.stderr):
                pipe.close()

    expected = pattern_digest(size, seed=42)
    assert [(report["sha256"], report["size"]) for report in reports] == [(expected, size)] * 2
    first, second = sorted(reports, key=lambda report: report["started"])
    assert second["started"] < first["ended"], "the two puts did not overlap"
    assert stored_files(store) == [store.path_for(expected)]
    assert store.verify(expected).size == size


def test_a_reader_keeps_its_file_while_the_same_content_is_put_again(store):
    size = 3 * 1024 * 1024
    key = store.put(PatternStream(size, seed=3)).sha256
    with store.open(key) as reader:
        first = reader.read(1024 * 1024)
        assert store.put(PatternStream(size, seed=3)).sha256 == key  # renamed over the open file
        rest = reader.read()
        assert reader.verified
    assert len(first) + len(rest) == size
    assert isinstance(store, LocalFileStore) and stored_files(store) == [store.path_for(key)]
