"""Job kinds for the tests only: registered when the app runs with TESTING (see ``installed_kinds``).

They live in the app, not under tests/, because the tests start real worker processes
(``python -m app.jobs.worker``) that must know them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from flask import current_app

from app.gib_access import gib_client
from app.jobs.kinds import JobContext, JobKind
from app.refusals import Refused


def slow(job: JobContext) -> dict[str, Any]:
    """``adim`` steps of ``bekleme`` seconds each, reporting progress after every step."""
    steps = int(job.params.get("adim", 5))
    pause = float(job.params.get("bekleme", 0.2))
    for step in range(1, steps + 1):
        time.sleep(pause)
        job.progress(step * 100 // steps if step < steps else 99, f"Adım {step}/{steps} tamamlandı.")
    return {"adim": steps, "deneme": job.attempt}


def counted(job: JobContext) -> dict[str, Any]:
    """Writes one line per run to instance/deneme-sayac-<id>.txt: the tests count how often the work was done."""
    marker = Path(current_app.instance_path) / f"deneme-sayac-{job.job_id}.txt"
    marker.parent.mkdir(parents=True, exist_ok=True)
    with marker.open("a", encoding="utf-8") as lines:
        lines.write(f"{os.getpid()}\n")
    time.sleep(float(job.params.get("bekleme", 0.5)))
    return {"yazildi": True}


def refused(job: JobContext) -> dict[str, Any]:
    job.progress(50, "Kurallar denetleniyor.")
    raise Refused("Deneme reddi: bu dönem için defter zaten oluşturulmuş.")


def gib_clock(job: JobContext) -> dict[str, Any]:
    """Asks GİB's clock: GİB away is a transient failure the runner retries."""
    client = gib_client()
    try:
        reading = client.clock_reading()
    finally:
        client.close()
    return {"gib_saati": reading.gib_time.isoformat()}


KINDS = [
    JobKind("deneme.yavas", slow),
    JobKind("deneme.sayac", counted),
    JobKind("deneme.ret", refused),
    JobKind("deneme.gib_saati", gib_clock),
]
