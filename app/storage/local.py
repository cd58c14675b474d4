"""The file store on a local (or shared, POSIX) filesystem under ``PORTAL_STORAGE_PATH``.

Layout: ``<root>/ab/cd/abcd…`` (the full hex SHA-256 as the name, its first two byte pairs as folders),
read-only once there; ``<root>/tmp/`` holds puts in progress. A put writes to a temporary file in
``tmp/`` while hashing, fsyncs it, makes it read-only and renames it onto its name (``rename`` is atomic
on one filesystem), then fsyncs the folder. So a name only ever shows complete bytes: a failed, oversize
or killed put leaves at most an anonymous file in ``tmp/`` (removed on failure; a killed process's
leftovers go with ``discard_stale_temporaries``). Two puts of the same bytes, in threads or processes,
each write their own temporary file and rename it onto the same name; the last rename wins with
identical bytes, and a reader that already opened the file keeps reading the one it opened.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from app.storage.base import FileStore, Source, StoredFile, VerifiedReader, check_key, hashing_copy, opened_source
from app.storage.errors import StorageReadError, StorageWriteError, StoredFileMissing, describe_os_error

log = logging.getLogger(__name__)

TEMPORARY_FOLDER = "tmp"  # not two hex digits, so it never meets a fan-out folder
READ_ONLY = 0o440  # owner and group (a worker under another user of the group) may read; nobody writes

def _fsync_folder(folder: Path) -> None:
    """Make a rename or a new entry in ``folder`` survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class LocalFileStore(FileStore):
    """Files under ``root``; nothing is created on disk until the first put."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalFileStore({str(self.root)!r})"

    def path_for(self, sha256: str) -> Path:
        """Where the file with this key lives (or would live): ``<root>/ab/cd/abcd…``."""
        key = check_key(sha256)
        return self.root / key[:2] / key[2:4] / key

    # --- writing -----------------------------------------------------------------------------

    def put(self, source: Source, *, max_bytes: int | None = None) -> StoredFile:
        temporary_folder = self.root / TEMPORARY_FOLDER
        try:
            self._make_folders(temporary_folder)
            descriptor, temporary_name = tempfile.mkstemp(prefix="put-", dir=temporary_folder)
        except OSError as exc:
            raise StorageWriteError(describe_os_error(exc)) from exc
        try:
            # Unbuffered: nothing is left to flush (and to fail) when the file is closed.
            with os.fdopen(descriptor, "wb", buffering=0) as temporary, opened_source(source) as stream:
                stored = hashing_copy(stream, self._writer(temporary), max_bytes=max_bytes)
                try:
                    os.fsync(temporary.fileno())
                except OSError as exc:
                    raise StorageWriteError(describe_os_error(exc)) from exc
            self._move_into_place(Path(temporary_name), self.path_for(stored.sha256))
        except BaseException:
            try:
                os.unlink(temporary_name)
            except FileNotFoundError:
                pass
            raise
        log.info("Dosya deposuna kaydedildi: %s (%d bayt)", stored.sha256, stored.size)
        return stored

    def put_many(self, blobs: Iterable[bytes]) -> list[StoredFile]:
        """Store many small files held in memory with two flushes to disk in all, instead of fsyncs per file.

        Every temporary file is written, then one ``os.sync()`` makes their bytes durable, then each is renamed onto
        its name (folders made as needed) and a second ``os.sync()`` makes the names durable. On return every file
        is as durable as after ``put``; a crash before it leaves at most temporaries and complete files (decision
        note 0093). Files already stored are not written again.
        """
        # Plain string paths and os calls: at tens of thousands of ~10 KB files, pathlib and mkstemp cost more than
        # the writes (decision note 0095).
        root = str(self.root)
        temporary_folder = os.path.join(root, TEMPORARY_FOLDER)
        prefix = os.path.join(temporary_folder, f"put-{os.getpid()}-{secrets.token_hex(6)}-")  # this call's own names
        results: list[StoredFile] = []
        pending: list[tuple[str, str]] = []
        names: set[str] = set()  # the batch's new names (a set: a list scan made a batch quadratic)
        try:
            self._make_folders(Path(temporary_folder))
            for data in blobs:
                key = hashlib.sha256(data).hexdigest()
                results.append(StoredFile(key, len(data)))
                if key in names:
                    continue
                target = os.path.join(root, key[:2], key[2:4], key)
                if os.path.exists(target):
                    continue
                names.add(key)
                temporary = f"{prefix}{len(pending)}"
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, READ_ONLY)
                pending.append((temporary, target))
                try:
                    rest = memoryview(data)
                    while rest:
                        rest = rest[os.write(descriptor, rest):]  # a raw write may take only part
                    os.fchmod(descriptor, READ_ONLY)  # exactly, whatever the umask
                finally:
                    os.close(descriptor)
            if pending:
                os.sync()
                for temporary, target in pending:
                    try:
                        os.replace(temporary, target)
                    except FileNotFoundError:  # its fan-out folder is new
                        os.makedirs(os.path.dirname(target), exist_ok=True)
                        os.replace(temporary, target)
                os.sync()
        except OSError as exc:
            for temporary, _ in pending:
                try:
                    os.unlink(temporary)
                except FileNotFoundError:
                    pass
            raise StorageWriteError(describe_os_error(exc)) from exc
        log.info("Dosya deposuna %d dosya kaydedildi (%d yeni)", len(results), len(pending))
        return results

    @staticmethod
    def _writer(temporary: BinaryIO) -> Callable[[memoryview], None]:
        def write(chunk: memoryview) -> None:
            rest = memoryview(chunk)
            try:
                while rest:
                    rest = rest[temporary.write(rest):]  # a raw write may take only part
            except OSError as exc:
                raise StorageWriteError(describe_os_error(exc)) from exc

        return write

    def _move_into_place(self, temporary: Path, target: Path) -> None:
        try:
            os.chmod(temporary, READ_ONLY)
            self._make_folders(target.parent)
            # Same bytes under the same name: replacing a copy written meanwhile by another put changes
            # nothing a reader can see, and puts back a good copy over one damaged on disk.
            os.replace(temporary, target)
            _fsync_folder(target.parent)
        except OSError as exc:
            raise StorageWriteError(describe_os_error(exc)) from exc

    def _make_folders(self, folder: Path) -> None:
        """Create ``folder`` and its missing parents, each made durable in its parent; races are fine."""
        missing = []
        while not folder.is_dir():
            missing.append(folder)
            if folder.parent == folder:
                break
            folder = folder.parent
        for new in reversed(missing):
            try:
                new.mkdir()
            except FileExistsError:
                continue
            _fsync_folder(new.parent)

    def discard_stale_temporaries(self, older_than_seconds: float = 24 * 3600) -> int:
        """Remove temporary files that processes killed during a put left behind; returns how many.

        A running put touches its file at least once a chunk, so only really abandoned ones are old.
        """
        folder = self.root / TEMPORARY_FOLDER
        if not folder.is_dir():
            return 0
        limit = time.time() - older_than_seconds
        removed = 0
        for entry in os.scandir(folder):
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue
        if removed:
            log.info("Dosya deposunda yarım kalmış %d geçici dosya silindi.", removed)
        return removed

    # --- reading -----------------------------------------------------------------------------

    def open(self, sha256: str) -> VerifiedReader:
        path = self.path_for(sha256)
        try:
            raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by the VerifiedReader
        except FileNotFoundError:
            raise StoredFileMissing(sha256) from None
        except OSError as exc:
            raise StorageReadError(sha256, describe_os_error(exc)) from exc
        try:
            size = os.fstat(raw.fileno()).st_size
        except OSError as exc:
            raw.close()
            raise StorageReadError(sha256, describe_os_error(exc)) from exc
        return VerifiedReader(raw, sha256, size)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self.path_for(sha256).stat().st_size
        except FileNotFoundError:
            raise StoredFileMissing(sha256) from None

    def verified_path(self, sha256: str) -> Path:
        """The file's path after a full hash check, for ``send_file(path)`` (ranges, ``X-Sendfile``).

        The file is read twice (here and when sent); ``serving.send_stored`` streams it once instead,
        checking as it goes, but without ranges.
        """
        self.verify(sha256)
        return self.path_for(sha256)
