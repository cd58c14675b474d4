"""The simulator's clock: real UTC time plus a configured offset (to show the portal's clock-skew error) plus the
training room's offset, which a trainer's portal moves through the training endpoint (decision note 0131)."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ISTANBUL = ZoneInfo("Europe/Istanbul")


@dataclass
class SimulatorClock:
    offset_seconds: float = 0.0  # the configured skew, fixed for the process
    training_offset_seconds: float = 0.0  # moved at run time, only when the simulator runs for training
    # Where a training offset outlives a restart (beside the SQLite file); None: kept in memory only.
    training_file: Path | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_seconds + self.training_offset_seconds)

    def move_to(self, training_offset_seconds: float) -> None:
        with self._lock:
            self.training_offset_seconds = training_offset_seconds
            if self.training_file is not None:
                temporary = self.training_file.with_name(f".{self.training_file.name}.{os.getpid()}")
                temporary.write_text(json.dumps({"offset_seconds": training_offset_seconds}), encoding="utf-8")
                os.replace(temporary, self.training_file)

    def resume(self) -> None:
        """Take up the training offset a previous run of this simulator left (a restart keeps the class's day)."""
        if self.training_file is None:
            return
        try:
            self.training_offset_seconds = float(json.loads(self.training_file.read_text(encoding="utf-8"))["offset_seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            self.training_offset_seconds = 0.0
