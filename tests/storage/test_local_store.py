"""The local file store on the real filesystem: layout, round trip, dedupe, limits, damage on disk."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.storage import (
    CHUNK_SIZE,
    FileTooLarge,
    InvalidFileKey,
    LocalFileStore,
    StorageWriteError,
    StoredFile,
    StoredFileCorrupted,
    StoredFileMissing,
)
from tests.storage.conftest import stored_files
from tests.storage.content import PatternStream, pattern_digest

REPO = Path(__file__).resolve().parents[2]
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
CORRUPTED = "dosyası bozulmuş: içeriği kayıt edildiği hâliyle aynı değil."


def read_all(store: LocalFileStore, sha256: str, chunk: int = 64 * 1024) -> bytes:
    with store.open(sha256) as reader:
        return b"".join(iter(lambda: reader.read(chunk), b""))


def test_a_stream_goes_in_and_comes_back_out_under_its_hash(store):
    data = os.urandom(3 * CHUNK_SIZE + 12345)
    stored = store.put(io.BytesIO(data))

    assert stored == StoredFile(hashlib.sha256(data).hexdigest(), len(data))
    assert store.exists(stored.sha256) and store.size(stored.sha256) == len(data)
    assert read_all(store, stored.sha256) == data
    assert store.verify(stored.sha256) == stored


def test_a_path_is_read_and_left_where_it_was(store, tmp_path):
    source = tmp_path / "yevmiye.xml"
    source.write_bytes(b"<defter/>" * 1000)
    stored = store.put(source)
    assert stored.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert store.put(str(source)) == stored
    assert source.exists()


def test_files_are_named_by_hash_in_fan_out_folders_and_read_only(store):
    stored = store.put(io.BytesIO(b"e-Defter berat"))
    key = stored.sha256
    path = store.root / key[:2] / key[2:4] / key
    assert store.path_for(key) == path
    assert stored_files(store) == [path]
    assert stat.S_IMODE(path.stat().st_mode) == 0o440
    assert list((store.root / "tmp").iterdir()) == []


def test_nothing_is_created_on_disk_before_the_first_put(tmp_path):
    store = LocalFileStore(tmp_path / "yok" / "depo")
    assert not store.exists(EMPTY_SHA256)
    assert not (tmp_path / "yok").exists()


def test_the_empty_file_is_a_file_like_any_other(store):
    stored = store.put(io.BytesIO(b""))
    assert stored == StoredFile(EMPTY_SHA256, 0)
    assert read_all(store, EMPTY_SHA256) == b""
    assert store.verify(EMPTY_SHA256) == stored


def test_the_same_content_stored_twice_is_one_file(store, tmp_path):
    first = store.put(PatternStream(2 * CHUNK_SIZE + 7, seed=5))
    second = store.put(PatternStream(2 * CHUNK_SIZE + 7, seed=5))
    other = store.put(PatternStream(2 * CHUNK_SIZE + 7, seed=6))

    assert first == second != other
    assert first.sha256 == pattern_digest(2 * CHUNK_SIZE + 7, seed=5)
    assert len(stored_files(store)) == 2


def test_an_oversize_put_is_refused_and_leaves_nothing_behind(store):
    source = io.BytesIO(os.urandom(5 * CHUNK_SIZE))
    with pytest.raises(FileTooLarge) as refused:
        store.put(source, max_bytes=2 * CHUNK_SIZE)

    assert refused.value.message == "Dosya izin verilen 2 MB sınırından büyük olduğu için kaydedilmedi."
    assert stored_files(store) == []
    assert source.tell() <= 3 * CHUNK_SIZE  # reading stopped at the limit, the rest was never read


def test_a_file_of_exactly_the_limit_is_accepted(store):
    data = os.urandom(1000)
    assert store.put(io.BytesIO(data), max_bytes=1000).size == 1000
    with pytest.raises(FileTooLarge, match="1.000 bayt sınırından büyük"):
        store.put(io.BytesIO(data + b"x"), max_bytes=1000)


def test_a_source_that_fails_midway_leaves_nothing_behind_and_its_error_is_kept(store):
    class BrokenUpload(io.RawIOBase):
        def __init__(self) -> None:
            self.calls = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer):
            self.calls += 1
            if self.calls > 3:
                raise ConnectionResetError("istemci bağlantıyı kesti")
            buffer[:1000] = b"x" * 1000
            return 1000

    with pytest.raises(ConnectionResetError):
        store.put(BrokenUpload())
    assert stored_files(store) == []


def test_a_write_failure_is_a_turkish_error_and_leaves_nothing_behind(store, monkeypatch):
    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StorageWriteError) as failed:
        store.put(io.BytesIO(b"fatura"))
    monkeypatch.undo()
    assert failed.value.message.startswith("Dosya depoya yazılamadı (diskte yer kalmadı).")
    assert stored_files(store) == []


_WRITE_FAILS = """
import io, json, resource, signal, sys
from app.storage import LocalFileStore, StorageWriteError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * 1024, 1024 * 1024))
try:
    LocalFileStore(sys.argv[1]).put(io.BytesIO(bytes(3 * 1024 * 1024)))
except StorageWriteError as exc:
    print(json.dumps(exc.message))
"""


def test_a_write_that_fails_midway_leaves_nothing_behind(store):
    completed = subprocess.run([sys.executable, "-c", _WRITE_FAILS, str(store.root)], cwd=REPO,
                               capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    message = json.loads(completed.stdout)
    assert message.startswith("Dosya depoya yazılamadı (dosya, sistemin izin verdiği boyutu aştı).")
    assert stored_files(store) == []


@pytest.mark.parametrize("change", [
    {"flip_at": 2 * CHUNK_SIZE + 100},  # same size, one bit different
    {"flip_at": 0},
    {"truncate_to": CHUNK_SIZE},
    {"append": b"<!-- eklendi -->"},
], ids=["bit-flip", "first-byte", "truncated", "appended"])
def test_a_file_changed_on_disk_is_refused_by_the_streaming_read_and_by_verify(store, damage, change):
    data = os.urandom(3 * CHUNK_SIZE)
    key = store.put(io.BytesIO(data)).sha256
    damage(key, **change)
    size_on_disk = store.path_for(key).stat().st_size

    received = bytearray()
    with pytest.raises(StoredFileCorrupted) as refused, store.open(key) as reader:
        while chunk := reader.read(256 * 1024):
            received += chunk
    assert refused.value.message == f"Dosya deposundaki {key} {CORRUPTED}"
    assert len(received) < size_on_disk  # the last chunk is never handed out

    with pytest.raises(StoredFileCorrupted, match=CORRUPTED):
        store.verify(key)
    with pytest.raises(StoredFileCorrupted):
        store.verified_path(key)


def test_a_damaged_file_keeps_refusing_after_the_first_error(store, damage):
    key = store.put(io.BytesIO(b"a" * 100)).sha256
    damage(key, flip_at=50)
    with store.open(key) as reader:
        with pytest.raises(StoredFileCorrupted):
            reader.read(1000)
        with pytest.raises(StoredFileCorrupted):
            reader.read(1000)


def test_readinto_checks_the_hash_too(store, damage):
    data = os.urandom(CHUNK_SIZE + 1)
    key = store.put(io.BytesIO(data)).sha256
    buffer = bytearray(4096)
    with store.open(key) as reader:
        received = b"".join(bytes(buffer[:n]) for n in iter(lambda: reader.readinto(buffer), 0))
        assert reader.verified
    assert received == data

    damage(key, flip_at=CHUNK_SIZE)
    with pytest.raises(StoredFileCorrupted), store.open(key) as reader:
        while reader.readinto(buffer):
            pass


def test_a_partial_read_checks_nothing_and_a_full_read_marks_the_stream_verified(store):
    key = store.put(io.BytesIO(b"0123456789" * 1000)).sha256
    with store.open(key) as reader:
        assert reader.size == 10_000 and reader.read(10) == b"0123456789"
        assert not reader.verified and reader.tell() == 10
    with store.open(key) as reader:
        assert len(reader.read()) == 10_000 and reader.verified


def test_putting_good_bytes_again_repairs_a_damaged_copy(store, damage):
    data = os.urandom(CHUNK_SIZE)
    key = store.put(io.BytesIO(data)).sha256
    damage(key, flip_at=10)
    assert store.put(io.BytesIO(data)).sha256 == key
    assert store.verify(key).size == len(data)


def test_a_missing_file_gives_a_clear_error(store):
    key = hashlib.sha256("hiç kaydedilmedi".encode()).hexdigest()
    assert not store.exists(key)
    for action in (store.open, store.verify, store.size, store.verified_path):
        with pytest.raises(StoredFileMissing) as missing:
            action(key)
        assert missing.value.message.startswith(f"Dosya deposunda {key} özetli dosya bulunamadı.")
        assert missing.value.sha256 == key


@pytest.mark.parametrize("key", [
    "../../etc/passwd", "", "A" * 64, "g" * 64, "a" * 63, "a" * 65, "ab/cd", None,
    hashlib.sha256(b"x").hexdigest() + "\n",
])
def test_only_a_lowercase_sha256_can_name_a_file(store, key):
    with pytest.raises(InvalidFileKey) as refused:
        store.open(key)
    assert "geçerli bir dosya özeti" in refused.value.message
    with pytest.raises(InvalidFileKey):
        store.exists(key)


def test_the_stream_has_no_file_descriptor_so_sendfile_cannot_skip_the_check(store):
    key = store.put(io.BytesIO(b"fatura")).sha256
    with store.open(key) as reader:
        assert not reader.seekable()
        with pytest.raises(io.UnsupportedOperation):
            reader.fileno()


def test_verified_path_hands_the_file_to_send_file_style_streaming(store):
    data = os.urandom(1000)
    key = store.put(io.BytesIO(data)).sha256
    path = store.verified_path(key)
    assert isinstance(path, Path) and path.read_bytes() == data


def test_stale_temporary_files_of_killed_puts_are_discarded(store):
    store.put(io.BytesIO("gerçek dosya".encode()))
    temporary = store.root / "tmp"
    old, fresh = temporary / "put-killed", temporary / "put-running"
    old.write_bytes(b"yarim")
    fresh.write_bytes(b"yarim")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))

    assert store.discard_stale_temporaries() == 1
    assert not old.exists() and fresh.exists()
    assert len(stored_files(store)) == 2
