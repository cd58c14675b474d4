"""Checking an import's batches beside the job: in spawned processes, or in one thread of the job's own.

The job reads the zip's members packed and commits batches in order; everything that needs no database — unpacking,
the safe parse, the fields, the signature (``app.archive.checking``) and putting the accepted documents' bytes in the
file store (one flush per batch, decision note 0093) — is done here, by ``ARCHIVE_CHECK_WORKERS`` checkers: one
thread of the job's process and the others spawned processes (they import the checking modules only: no Flask, no
database). The job receives each batch's verdicts once its bytes are durable, so "bytes on disk before the rows
that name them" holds as before. A checking process whose job was killed (SIGKILL) reads the end of its pipe and
leaves: nothing of its batch is committed, and a file without a row is neither listed nor charged (notes 0091, 0095).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from app.archive.checking import Candidate, Refusal, examine
from app.archive.members import Member, Packed, unpack
from app.formats.stored_document import StoredDocumentData
from app.formats.ubl.model import Party
from app.signing.fast_verify import SignatureChecker
from app.storage.base import FileStore
from app.storage.local import LocalFileStore

MEMO_SIZE = 2_000  # verdicts kept by content hash in one checker (without the bytes: ~1 KB each)


@dataclass(frozen=True)
class Setup:
    """What a checking process needs, all of it picklable (no PIN, no database)."""

    anchors: tuple[bytes, ...]  # DER
    own_identifier: str
    today: date
    store_root: str | None  # a LocalFileStore's root; None: the store object is given to the in-process checker


class BatchChecker:
    """Checks batches of members for one import; its certificate, chain and verdict caches last the import."""

    def __init__(self, setup: Setup, store: FileStore | None = None) -> None:
        self.own_identifier, self.today = setup.own_identifier, setup.today
        self.checker = SignatureChecker([x509.load_der_x509_certificate(der) for der in setup.anchors])
        self.store = store if store is not None else LocalFileStore(setup.store_root or "")
        self.memo: dict[bytes, Candidate | Refusal] = {}

    def __call__(self, members: list[Member]) -> list[Candidate | Refusal]:
        """Every member's verdict; the candidates' bytes are durable in the store on return (and not returned)."""
        checked: list[Candidate | Refusal] = []

        def accepted() -> Iterator[bytes]:  # written as they are checked: a batch's bytes are never all held
            for member in members:
                item, data = self._one(member)
                checked.append(item)
                if data is not None:
                    yield data

        self.store.put_many(accepted())
        return checked

    def _one(self, member: Member) -> tuple[Candidate | Refusal, bytes | None]:
        """The verdict (a candidate without its bytes) and, for a candidate, the bytes to store."""
        member = unpack(member)
        if member.data is None:
            return Refusal(member.position, member.filename, member.problem or "Dosya okunamadı."), None
        # The same bytes twice in one upload get the same verdict: checked (and verified) once.
        hashed = hashlib.sha256(member.data)
        seen = self.memo.get(hashed.digest())
        if seen is None:
            seen = examine(member.position, member.filename, member.data, self.own_identifier, self.checker.anchors,
                           self.today, self.checker, sha256=hashed.hexdigest(), keep_data=False)
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            self.memo[hashed.digest()] = seen
        else:
            seen = replace(seen, position=member.position, filename=member.filename)
        return seen, member.data if isinstance(seen, Candidate) else None


class Checking:
    """Batches submitted in order, each a Future of its verdicts, spread over ``workers`` checkers: one thread in
    the job's process and ``workers - 1`` spawned processes; ``close`` ends the processes."""

    def __init__(self, workers: int, setup: Setup, store: FileStore) -> None:
        processes = max(0, workers - 1) if isinstance(store, LocalFileStore) else 0
        self._lanes: list[tuple[ThreadPoolExecutor, Callable[[list[Member]], list[Candidate | Refusal]]]] = []
        self._busy: list[int] = []
        self._lock = threading.Lock()
        try:
            for _ in range(processes):
                self._add(_Process(replace(setup, store_root=str(store.root))))  # type: ignore[attr-defined]
            self._add(BatchChecker(setup, store))
        except BaseException:
            self.close()
            raise

    def _add(self, checker: Callable[[list[Member]], list[Candidate | Refusal]]) -> None:
        self._lanes.append((ThreadPoolExecutor(max_workers=1, thread_name_prefix="belge-saklama-kontrol"), checker))
        self._busy.append(0)

    @property
    def in_flight(self) -> int:
        """Batches to keep submitted ahead of the one being committed (bounds the memory: ~2–5 MB a batch)."""
        return len(self._lanes) + 1

    def submit(self, members: list[Member]) -> Future:
        """To the checker with the fewest batches waiting; on a tie a process (the job's own thread also commits)."""
        with self._lock:
            lane = min(range(len(self._lanes)), key=lambda n: (self._busy[n], n))  # a process first
            self._busy[lane] += 1
        executor, checker = self._lanes[lane]
        future = executor.submit(checker, members)
        future.add_done_callback(lambda _: self._done(lane))
        return future

    def _done(self, lane: int) -> None:
        with self._lock:
            self._busy[lane] -= 1

    def close(self) -> None:
        for executor, checker in self._lanes:
            executor.shutdown(wait=True, cancel_futures=True)
            if isinstance(checker, _Process):
                checker.close()


def worker_count(setting: int) -> int:
    """The setting, 0 meaning one per core this process may use."""
    if setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def anchors_der(anchors: list[x509.Certificate]) -> tuple[bytes, ...]:
    return tuple(anchor.public_bytes(Encoding.DER) for anchor in anchors)


# --- a checking process -------------------------------------------------------------------------------------------
# A plain child over two pipes (length-prefixed pickles), not multiprocessing: no resource tracker process, and a
# killed job closes the pipe, which ends the child at its next read. The child does not run ``app/__init__`` (the
# Flask app factory and Flask itself, ~15 MB): ``app`` is made a bare package before the checking modules load.
_BOOT = ("import sys, types\n"
         "package = types.ModuleType('app')\n"
         "package.__path__ = [sys.argv[1]]\n"
         "sys.modules['app'] = package\n"
         "from app.archive.pool import serve\n"
         "serve()\n")
_LENGTH = struct.Struct("<Q")


class _Process:
    """The job's end of one checking process."""

    def __init__(self, setup: Setup) -> None:
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.process = subprocess.Popen([sys.executable, "-c", _BOOT, package], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        _send(self.process.stdin, setup)

    def __call__(self, members: list[Member]) -> list[Candidate | Refusal]:
        _send(self.process.stdin, [_member_to_tuple(member) for member in members])
        answer = _receive(self.process.stdout)
        if isinstance(answer, BaseException):
            raise answer
        if answer is None:
            raise RuntimeError(f"Belge kontrol süreci beklenmedik biçimde sona erdi (çıkış {self.process.poll()}).")
        return [_verdict_from_tuple(item) for item in answer]

    def close(self) -> None:
        try:
            self.process.stdin.close()  # type: ignore[union-attr]
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            self.process.stdout.close()  # type: ignore[union-attr]


# Over the pipe, members and verdicts travel as plain tuples: pickling (slotted) dataclasses runs Python code for
# every field of every object, on both sides (decision note 0095).
def _member_to_tuple(member: Member) -> tuple:
    packed = member.packed
    return (member.position, member.filename, member.data, member.problem,
            None if packed is None else (packed.method, packed.flags, packed.crc, packed.size, packed.raw))


def _member_from_tuple(item: tuple) -> Member:
    position, filename, data, problem, packed = item
    return Member(position, filename, data, problem, None if packed is None else Packed(*packed))


def _verdict_to_tuple(item: Candidate | Refusal) -> tuple:
    if isinstance(item, Refusal):
        return (item.position, item.filename, item.reason)
    document, sender, receiver = item.document, item.document.sender, item.document.receiver
    return (item.position, item.filename, item.data, item.sha256, item.size, document.product, document.document_type,
            document.ettn, document.number, document.issue_date, sender.identifier, sender.scheme, sender.name,
            receiver.identifier, receiver.scheme, receiver.name, document.has_signature, item.signer_identifier,
            item.signer_name, item.certificate_serial, item.signing_time)


def _verdict_from_tuple(item: tuple) -> Candidate | Refusal:
    if len(item) == 3:
        return Refusal(*item)
    (position, filename, data, sha256, size, product, document_type, ettn, number, issue_date, sender_id,
     sender_scheme, sender_name, receiver_id, receiver_scheme, receiver_name, has_signature, *signer) = item
    document = StoredDocumentData(product, document_type, ettn, number, issue_date,
                                  Party(sender_id, sender_scheme, sender_name),
                                  Party(receiver_id, receiver_scheme, receiver_name), has_signature)
    return Candidate(position, filename, data, sha256, size, document, *signer)


def _send(pipe: Any, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_LENGTH.pack(len(data)))
    pipe.write(data)
    pipe.flush()


def _receive(pipe: Any) -> Any:
    head = pipe.read(_LENGTH.size)
    if len(head) != _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    data = pipe.read(length)
    return pickle.loads(data) if len(data) == length else None


def serve() -> None:
    """The checking process: a setup, then batches until the job closes the pipe (or dies)."""
    # Ctrl-C in a terminal reaches the whole process group: the worker stops gracefully (its running job finishes),
    # so its checking process must not die of it first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # the pipe carries answers only
    setup = _receive(requests)
    if setup is None:
        return
    checker = BatchChecker(setup)
    while (members := _receive(requests)) is not None:
        try:
            answer: Any = [_verdict_to_tuple(item) for item in checker([_member_from_tuple(m) for m in members])]
        except Exception as error:  # noqa: BLE001 - the job raises it (a store error, …)
            answer = error
            try:
                pickle.dumps(error)
            except Exception:  # noqa: BLE001
                answer = RuntimeError(repr(error))
        _send(answers, answer)
