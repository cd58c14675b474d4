"""The portal's one clock: real UTC time plus the training room's offset (decision note 0130).

A trainer moves "Eğitim Saati" forward or back; every process of the install (each gunicorn worker, the job worker)
reads the same small file in the instance folder, re-read only when it changes (one ``stat`` per call). In
production mode, or outside an app, the offset is ignored: the clock is the host's.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

ISTANBUL = ZoneInfo("Europe/Istanbul")
OFFSET_FILE = "training-clock.json"
ZERO = timedelta(0)

_cache: dict[str, tuple[tuple[int, int, int], timedelta]] = {}
_cache_lock = threading.Lock()


def utcnow() -> datetime:
    """Now, in UTC, as the portal sees it (the training offset applied)."""
    return datetime.now(UTC) + offset()


def today() -> date:
    """Today's date in Istanbul, as the portal sees it."""
    return utcnow().astimezone(ISTANBUL).date()


def offset() -> timedelta:
    """The training offset in force for this app; zero in production mode or outside an app."""
    if not has_app_context() or current_app.config.get("MODE") == "production":
        return ZERO
    return read_offset(offset_path(current_app.instance_path))


def offset_path(instance_path: str | os.PathLike[str]) -> Path:
    return Path(instance_path) / OFFSET_FILE


def read_offset(path: Path) -> timedelta:
    """The offset the file holds (zero when there is none); cached until the file changes."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ZERO
    stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # a rename brings a new inode
    key = str(path)
    cached = _cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        value = timedelta(seconds=float(json.loads(path.read_text(encoding="utf-8"))["offset_seconds"]))
    except (OSError, ValueError, KeyError, TypeError):
        value = ZERO  # a half-written or foreign file never moves the clock
    with _cache_lock:
        _cache[key] = (stamp, value)
    return value


def write_offset(path: Path, value: timedelta) -> None:
    """Store the offset for every process: written beside, then renamed over (readers never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    if value == ZERO:
        path.unlink(missing_ok=True)
    else:
        temporary.write_text(json.dumps({"offset_seconds": value.total_seconds()}), encoding="utf-8")
        os.replace(temporary, path)
    with _cache_lock:
        _cache.pop(str(path), None)
