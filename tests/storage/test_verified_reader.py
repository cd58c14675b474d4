"""The hash-checking reader on its own, as another backend (an S3 GET body) would use it."""

from __future__ import annotations

import hashlib
import io

import pytest

from app.storage import StorageReadError, StoredFileCorrupted, VerifiedReader

DATA = bytes(range(256)) * 40
KEY = hashlib.sha256(DATA).hexdigest()


class BodyStream:
    """A network body: read() only, no readinto, no size known in advance unless the caller says so."""

    def __init__(self, data: bytes, fail_after: int | None = None) -> None:
        self._data = io.BytesIO(data)
        self._fail_after = fail_after
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        if self._fail_after is not None and self._data.tell() >= self._fail_after:
            raise ConnectionResetError(104, "Connection reset by peer")
        return self._data.read(size)

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("size", [len(DATA), None], ids=["size-known", "size-unknown"])
def test_intact_bytes_pass_through_read_and_readinto(size):
    with VerifiedReader(BodyStream(DATA), KEY, size) as reader:
        assert reader.read(1000) + reader.read() == DATA and reader.verified
    buffer = bytearray(777)
    with VerifiedReader(BodyStream(DATA), KEY, size) as reader:
        received = b"".join(bytes(buffer[:n]) for n in iter(lambda: reader.readinto(buffer), 0))
        assert received == DATA and reader.verified


def test_with_the_size_known_the_last_chunk_is_withheld():
    damaged = DATA[:-1] + b"\x00"
    received = bytearray()
    with pytest.raises(StoredFileCorrupted), VerifiedReader(BodyStream(damaged), KEY, len(damaged)) as reader:
        for chunk in reader.iter_chunks(1000):
            received += chunk
    assert len(received) == len(DATA) - len(DATA) % 1000


def test_without_the_size_the_check_comes_at_the_end():
    damaged = DATA[:-1] + b"\x00"
    with VerifiedReader(BodyStream(damaged), KEY, None) as reader:
        assert reader.read(len(DATA)) == damaged
        with pytest.raises(StoredFileCorrupted):
            reader.read(1)


def test_a_body_longer_than_announced_is_refused():
    with pytest.raises(StoredFileCorrupted), VerifiedReader(BodyStream(DATA + b"fazla"), KEY, len(DATA)) as reader:
        reader.read()


def test_a_broken_connection_is_a_read_error_and_the_body_is_closed():
    body = BodyStream(DATA, fail_after=4096)
    with pytest.raises(StorageReadError) as failed, VerifiedReader(body, KEY, len(DATA)) as reader:
        reader.read()
    assert failed.value.message == f"Dosya deposundaki {KEY} dosyası okunamadı (bağlantı koptu)."
    assert body.closed
