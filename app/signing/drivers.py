"""Card drivers (PKCS#11 modules), loaded lazily once per process, behind ONE process-wide lock.

Why the lock: python-pkcs11 initialises modules with C_Initialize(NULL) and releases the GIL during calls, so
SoftHSM runs without its own mutexes; two threads on separate sessions crash the process. Every PKCS#11 call in
the portal therefore happens while holding `pkcs11_lock()` (see SIGNING-NOTES.md).

Why lazy and per process: a module initialised before gunicorn forks is unusable in the workers. Nothing here
touches a module at import time; `get_library()` notices a changed os.getpid() and initialises again.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pkcs11._pkcs11 import lib as Pkcs11Library  # the class behind pkcs11.lib(); we keep our own per-process cache
from pkcs11.exceptions import PKCS11Error

from .errors import DriverMissingError, DriverNotConfiguredError

log = logging.getLogger(__name__)

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"

# Driver name shown to the user ("Akıllı kartınızın işlemcisi") → PKCS#11 module path.
DEFAULT_DRIVERS: dict[str, str] = {
    "Akis": "/usr/lib/libakisp11.so",
    "OpenSC": "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "SoftHSM": SOFTHSM_MODULE,
}

_lock = threading.RLock()
_libraries: dict[str, Pkcs11Library] = {}
_libraries_pid = os.getpid()
_stale_modules: set[str] = set()
# Libraries inherited from a parent process. Kept referenced forever: their destructor would call C_Finalize,
# which in the child would tear down the child's own initialisation.
_inherited: list[Pkcs11Library] = []
# Signing acts open in this process: while one is, the module must not be re-initialised (it would close them).
_open_acts = 0


def _after_fork_in_child() -> None:
    global _lock, _open_acts
    _lock = threading.RLock()  # a lock held by another parent thread at fork time would never be released here
    _open_acts = 0


os.register_at_fork(after_in_child=_after_fork_in_child)


def pkcs11_lock() -> threading.RLock:
    """The process-wide lock to hold around every PKCS#11 call (re-entrant for the thread holding it)."""
    return _lock


def module_path_for(driver_name: str, drivers: Mapping[str, str] | None = None) -> str:
    """The module path configured for a driver name; raises DriverNotConfiguredError for an unknown name."""
    table = DEFAULT_DRIVERS if drivers is None else drivers
    try:
        return table[driver_name]
    except KeyError:
        raise DriverNotConfiguredError() from None


def available_drivers(drivers: Mapping[str, str] | None = None) -> dict[str, str]:
    """The configured drivers whose module file exists on this host (for the driver drop-down)."""
    table = DEFAULT_DRIVERS if drivers is None else drivers
    return {name: path for name, path in table.items() if Path(path).is_file()}


def use_softhsm_conf(conf_path: str | os.PathLike[str]) -> None:
    """Point SoftHSM at a configuration file (it reads SOFTHSM2_CONF when it initialises).

    If a SoftHSM module is already loaded in this process with another configuration, it is initialised
    again before its next use, so that it sees the new token directory.
    """
    conf = str(conf_path)
    with _lock:
        if os.environ.get("SOFTHSM2_CONF") != conf:
            os.environ["SOFTHSM2_CONF"] = conf
            _stale_modules.update(_libraries)


def _load(module_path: str) -> Pkcs11Library:
    if not Path(module_path).is_file():
        log.warning("PKCS#11 module %s not found", module_path)
        raise DriverMissingError()
    try:
        return Pkcs11Library(module_path)
    except PKCS11Error as exc:
        log.warning("PKCS#11 module %s could not be loaded: %s", module_path, exc)
        raise DriverMissingError() from exc


def _initialise_in_child(module_path: str) -> Pkcs11Library:
    """A forked child must call C_Initialize itself (PKCS#11 §6.7.7); modules that detect the fork accept it."""
    try:
        return _load(module_path)
    except DriverMissingError:
        # A module that does not notice the fork still believes it is initialised: finalise and start over.
        for inherited in _inherited:
            if inherited.so == module_path:
                try:
                    inherited.finalize()
                except PKCS11Error:
                    pass
        return _load(module_path)


def get_library(module_path: str) -> Pkcs11Library:
    """The initialised PKCS#11 module for this process. Call it while holding pkcs11_lock()."""
    global _libraries_pid
    with _lock:
        if _libraries_pid != os.getpid():
            _inherited.extend(_libraries.values())
            inherited_paths = set(_libraries)
            _libraries.clear()
            _stale_modules.clear()
            _libraries_pid = os.getpid()
            for path in inherited_paths:
                _libraries[path] = _initialise_in_child(path)
        library = _libraries.get(module_path)
        if library is None:
            library = _libraries[module_path] = _load(module_path)
            log.info("PKCS#11 module %s loaded in process %s", module_path, os.getpid())
        elif module_path in _stale_modules:
            _stale_modules.discard(module_path)
            library.reinitialize()
        return library


@contextmanager
def act_in_progress() -> Iterator[None]:
    """Mark a signing act as open (sessions exist) for as long as the block runs."""
    global _open_acts
    with _lock:
        _open_acts += 1
        try:
            yield
        finally:
            _open_acts -= 1


def refresh_library(module_path: str) -> Pkcs11Library:
    """Initialise the module again: SoftHSM sees new or removed tokens only then, and it drops every session.

    Skipped while a signing act of this process is open (holding the lock, no other sessions exist otherwise).
    """
    with _lock:
        library = get_library(module_path)
        if _open_acts:
            return library
        try:
            library.reinitialize()
        except PKCS11Error:
            log.warning("PKCS#11 module %s could not be re-initialised; loading it again", module_path)
            _inherited.append(library)
            library = _libraries[module_path] = _load(module_path)
        return library
