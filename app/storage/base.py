"""The file store's contract: files named by the SHA-256 of their bytes, written once, checked when read.

``FileStore`` is what features use (``put``, ``open``, ``verify``, ``exists``, ``size``); the local
filesystem backend is ``app.storage.local``, and an S3-compatible one can implement the same methods
(decision note 0008 says what it must guarantee). ``VerifiedReader`` and ``hashing_copy`` are the two
halves every backend shares: hash while writing, hash while reading.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Union

from app.storage.errors import FileTooLarge, InvalidFileKey, StorageReadError, StoredFileCorrupted, describe_os_error

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024  # what put and verify read at a time: memory stays at about one chunk
_KEY = re.compile(r"[0-9a-f]{64}")

Source = Union[BinaryIO, str, "os.PathLike[str]"]


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its key (hex SHA-256 of the bytes) and its size in bytes."""

    sha256: str
    size: int


def check_key(sha256: object) -> str:
    """Return ``sha256`` if it is a key the store can hold (64 lowercase hex digits), else refuse it.

    Keys become file and object names, so nothing else ever reaches a path.
    """
    if not isinstance(sha256, str) or not _KEY.fullmatch(sha256):
        raise InvalidFileKey(sha256)
    return sha256


@contextmanager
def opened_source(source: Source) -> Iterator[BinaryIO]:
    """A path is opened (and closed) here; a stream is used as it is and left open for its owner."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            yield stream
    else:
        yield source


def hashing_copy(
    stream: BinaryIO, write: Callable[[memoryview], object], *, max_bytes: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> StoredFile:
    """Copy ``stream`` to ``write`` chunk by chunk, hashing on the way; refuse more than ``max_bytes``.

    The limit is checked before a chunk is written, so an oversize source stops within one chunk of the
    limit and the rest of it is never read. Errors of the source propagate unchanged.
    """
    if max_bytes is not None and max_bytes < 0:
        raise ValueError("max_bytes must not be negative")
    digest = hashlib.sha256()
    size = 0
    buffer = memoryview(bytearray(chunk_size))
    readinto = getattr(stream, "readinto", None)
    while True:
        if readinto is not None:
            count = readinto(buffer)
            if count is None:
                raise TypeError("put() needs a blocking stream; a non-blocking one returned no data")
            chunk: memoryview | bytes = buffer[:count]
        else:
            chunk = stream.read(chunk_size)
            count = len(chunk)
        if not count:
            return StoredFile(digest.hexdigest(), size)
        size += count
        if max_bytes is not None and size > max_bytes:
            raise FileTooLarge(max_bytes)
        digest.update(chunk)
        write(chunk)  # type: ignore[arg-type]


class VerifiedReader(io.RawIOBase):
    """A stored file's bytes, hashed while they are read; a mismatch raises ``StoredFileCorrupted``.

    When the backend knows the size (``size``), the check is made as the last bytes arrive and the
    call that would hand them out raises instead: a reader never receives a complete copy of a
    corrupted file without an error. Otherwise it is made at the end (the first empty read). Closing
    the reader before the end checks nothing. Not seekable, and without ``fileno()``: a server's
    ``sendfile()`` would send the bytes around the check (gunicorn then falls back to ``read()``).
    """

    def __init__(self, raw: BinaryIO, sha256: str, size: int | None) -> None:
        super().__init__()
        self.sha256 = sha256
        self.size = size
        self.position = 0
        self.verified = False
        self._raw = raw
        self._digest = hashlib.sha256()
        self._corrupted = False

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        raise io.UnsupportedOperation("a stored file is read through its hash check, not by descriptor")

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        self._check_readable()
        view = memoryview(buffer).cast("B")
        if not len(view):
            return 0
        try:
            readinto = getattr(self._raw, "readinto", None)
            if readinto is not None:
                count = readinto(view)
                if count is None:
                    raise TypeError("VerifiedReader needs a blocking stream; this one returned no data")
            else:
                data = self._raw.read(len(view))
                count = len(data)
                view[:count] = data
        except OSError as exc:
            raise StorageReadError(self.sha256, describe_os_error(exc)) from exc
        self._account(view[:count])
        return count

    def read(self, size: int | None = -1) -> bytes:
        self._check_readable()
        if size is None or size < 0:
            return self.readall()
        if size == 0:
            return b""
        try:
            data = self._raw.read(size)
        except OSError as exc:
            raise StorageReadError(self.sha256, describe_os_error(exc)) from exc
        self._account(data)
        return data

    def readall(self) -> bytes:
        """The whole file in memory: only for files known to be small."""
        return b"".join(iter(lambda: self.read(CHUNK_SIZE), b""))

    def iter_chunks(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """The bytes in blocks of ``chunk_size``, the last one only after the hash matched."""
        return iter(lambda: self.read(chunk_size), b"")

    def close(self) -> None:
        if not self.closed:
            try:
                self._raw.close()
            finally:
                super().close()

    def _check_readable(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if self._corrupted:
            raise StoredFileCorrupted(self.sha256)

    def _account(self, chunk: memoryview | bytes) -> None:
        if not len(chunk):  # end of the file
            self._finish()
            return
        if self.verified:  # bytes after the size the file had when it was opened
            self._fail()
        self._digest.update(chunk)
        self.position += len(chunk)
        if self.size is not None and self.position >= self.size:
            self._finish()

    def _finish(self) -> None:
        if self.verified:
            return
        if self._digest.hexdigest() != self.sha256:
            self._fail()
        self.verified = True

    def _fail(self) -> None:
        self._corrupted = True
        log.error("Dosya deposundaki %s dosyası bozulmuş (%d bayt okundu, özet uyuşmadı).", self.sha256, self.position)
        raise StoredFileCorrupted(self.sha256)


class FileStore(ABC):
    """Content-addressed, write-once file storage. Every method takes or returns a hex SHA-256 key."""

    @abstractmethod
    def put(self, source: Source, *, max_bytes: int | None = None) -> StoredFile:
        """Store the bytes of ``source`` (a path or a binary stream, read to its end in chunks).

        Returns the key and size. The same bytes stored twice are one file. Raises ``FileTooLarge``
        (reading stops at the limit) or ``StorageWriteError``; after any failure nothing is stored.
        """

    def put_many(self, blobs: Iterable[bytes]) -> list[StoredFile]:
        """Store several small files held in memory; a backend may flush them to disk together (local: 0093)."""
        return [self.put(io.BytesIO(data)) for data in blobs]

    @abstractmethod
    def open(self, sha256: str) -> VerifiedReader:
        """The file's bytes as a stream that checks the hash as it is read; ``StoredFileMissing`` if absent."""

    @abstractmethod
    def exists(self, sha256: str) -> bool:
        """Whether a file with this key is stored (its content is not checked)."""

    @abstractmethod
    def size(self, sha256: str) -> int:
        """The stored file's size in bytes; ``StoredFileMissing`` if absent."""

    def verify(self, sha256: str) -> StoredFile:
        """Read the whole file and check its hash: ``StoredFileCorrupted`` or ``StoredFileMissing`` if not intact."""
        with self.open(sha256) as reader:
            while reader.read(CHUNK_SIZE):
                pass
            return StoredFile(sha256, reader.position)
