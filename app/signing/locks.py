"""Card locks honoured by every process on the host: one act at a time per token, a card list alone per driver.

The process-wide lock in ``drivers.py`` keeps the threads of ONE process apart. Several gunicorn workers (or the
portal beside the GİB simulator) each load the PKCS#11 module themselves, and SoftHSM rewrites a token's files at
every login: a second process reading that token meanwhile sees it as missing or half-written ("Akıllı kart
bulunamadı", "çıkarıldı", ``UserPinNotInitialized``). These locks are ``flock(2)`` locks on small files in one
directory (decision note 0014):

- ``token_lock(module, label)``: an act on a token. Exclusive on the token's file, then shared on the driver's
  file: acts on different tokens run side by side, acts on one token one after another. ``label=None`` ("the only
  card present") cannot know its token and takes the driver's file exclusively.
- ``listing_lock(module)``: reading every token of a driver (the card lists of the forms). Exclusive on the
  driver's file: it waits until running acts end, and acts wait for it.

A gate file held while waiting for the driver's file makes a waiting listing block new acts and a waiting act
block new listings, so neither can starve the other; a worker that just released a card does not jump the queue
of those waiting for it (``<file>.wait``). Waits are bounded (``configure(timeout_seconds=…)``); past the bound
``CardBusyError`` ("kart meşgul"). Order is always token → gate → driver, and every flock is taken BEFORE the
process-wide PKCS#11 lock, never while holding it. A thread that already holds a lock (a listing inside an act) is
not blocked by itself.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import logging
import os
import random
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .errors import CardBusyError, SigningError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 20.0
_POLL_MIN = 0.001
_POLL_MAX = 0.004

_settings: dict[str, object] = {"directory": None, "timeout": DEFAULT_TIMEOUT_SECONDS}
_state_lock = threading.Lock()
_thread_locks: dict[str, threading.Lock] = {}  # one per lock file: threads of this process queue here, not by polling
_held: dict[tuple[int, str], int] = {}  # (thread id, lock file) -> depth, for re-entry by the same thread


def _after_fork_in_child() -> None:
    global _state_lock, _thread_locks, _held
    # Locks held by the parent's other threads would never be released here; the child holds no flock of its own
    # (flock locks belong to the open file, whose descriptors the parent's `with` blocks close).
    _state_lock = threading.Lock()
    _thread_locks = {}
    _held = {}


os.register_at_fork(after_in_child=_after_fork_in_child)


def default_directory() -> Path:
    """Where locks live unless configured: one folder per user in the system temp directory."""
    return Path(tempfile.gettempdir()) / f"ebelge-card-locks-{os.getuid()}"


def configure(directory: str | os.PathLike[str] | None = None, timeout_seconds: float | None = None) -> None:
    """Set the lock directory (every process sharing the cards must use the same one) and the longest wait."""
    if directory is not None:
        _settings["directory"] = Path(directory)
    if timeout_seconds is not None:
        if timeout_seconds <= 0:
            raise ValueError("card lock timeout must be positive")
        _settings["timeout"] = float(timeout_seconds)


def lock_directory() -> Path:
    directory = _settings["directory"]
    return directory if isinstance(directory, Path) else default_directory()


def timeout_seconds() -> float:
    return float(_settings["timeout"])  # type: ignore[arg-type]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _token_file(module_path: str, label: str) -> Path:
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)[:40]
    return lock_directory() / f"token-{readable}-{_digest(module_path, label)}.lock"


def _driver_file(module_path: str, suffix: str) -> Path:
    return lock_directory() / f"driver-{_digest(module_path)}.{suffix}"


@contextmanager
def _flock(path: Path, *, exclusive: bool, deadline: float) -> Iterator[None]:
    key = (threading.get_ident(), str(path))
    if key in _held:  # this thread holds it already (any mode): it must not wait for itself
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    with _state_lock:
        thread_lock = _thread_locks.setdefault(str(path), threading.Lock())
    if not thread_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise CardBusyError()
    try:
        fd = _open(path)
        try:
            _wait_for_flock(fd, path, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, deadline)
            _held[key] = 1
            try:
                yield
            finally:
                del _held[key]
        finally:
            os.close(fd)  # closing the only descriptor of this open file releases the flock
    finally:
        thread_lock.release()


def _open(path: Path) -> int:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        log.error("card lock file %s cannot be opened: %s", path, exc)
        raise SigningError(
            "Akıllı kart kilidi oluşturulamadı; sistem yöneticinize bildiriniz (PORTAL_CARD_LOCK_DIR)."
        ) from exc


def _try(fd: int, operation: int) -> bool:
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES, errno.EINTR):
            return False
        raise


def _wait_for_flock(fd: int, path: Path, operation: int, deadline: float) -> None:
    """flock has no timeout: try without blocking and sleep 1–4 ms between tries, until the deadline.

    Whoever waits marks it with a shared lock on ``<file>.wait``; a newcomer who sees that mark does not jump the
    queue with an immediate try (a worker looping over acts would otherwise take the card again and again while
    the others sleep). Among the waiters the turn is random: no one is starved in expectation.
    """
    waiting_fd = _open(path.with_name(path.name + ".wait"))
    try:
        others_waiting = not _try(waiting_fd, fcntl.LOCK_EX)
        if not others_waiting:
            fcntl.flock(waiting_fd, fcntl.LOCK_UN)
            if _try(fd, operation):
                return
        marked = False
        while True:
            marked = marked or _try(waiting_fd, fcntl.LOCK_SH)
            left = deadline - time.monotonic()
            if left <= 0:
                raise CardBusyError()
            time.sleep(min(left, random.uniform(_POLL_MIN, _POLL_MAX)))
            if _try(fd, operation):
                return
    finally:
        os.close(waiting_fd)


@contextmanager
def token_lock(module_path: str, token_label: str | None, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the token (or, for label None, the whole driver) for one signing act; CardBusyError after the wait."""
    if token_label is None:
        with listing_lock(module_path, timeout=timeout):
            yield
        return
    started = time.monotonic()
    deadline = started + (timeout_seconds() if timeout is None else timeout)
    with ExitStack() as stack:
        try:
            stack.enter_context(_flock(_token_file(module_path, token_label), exclusive=True, deadline=deadline))
            with _flock(_driver_file(module_path, "gate"), exclusive=True, deadline=deadline):
                stack.enter_context(_flock(_driver_file(module_path, "lock"), exclusive=False, deadline=deadline))
        except CardBusyError:
            log.warning("card %r busy: no turn within %.1f s", token_label, time.monotonic() - started)
            raise
        waited = time.monotonic() - started
        if waited > 1:
            log.info("card %r: waited %.1f s for its turn", token_label, waited)
        yield


@contextmanager
def listing_lock(module_path: str, *, timeout: float | None = None) -> Iterator[None]:
    """Hold every token of a driver while its cards are listed (or the only card is looked for)."""
    started = time.monotonic()
    deadline = started + (timeout_seconds() if timeout is None else timeout)
    with ExitStack() as stack:
        try:
            # The gate is held only while waiting: acts arriving meanwhile queue behind this listing, and the
            # next listing queues behind them (no side can starve the other).
            with _flock(_driver_file(module_path, "gate"), exclusive=True, deadline=deadline):
                stack.enter_context(_flock(_driver_file(module_path, "lock"), exclusive=True, deadline=deadline))
        except CardBusyError:
            log.warning("cards of %s busy: no turn to list them within %.1f s", module_path, time.monotonic() - started)
            raise
        yield
