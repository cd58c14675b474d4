"""Background jobs on Huey: the engine's wiring (``engine``), submitting (``submit``), the worker's side
(``runner``, ``recovery``, ``worker``) and job status for the screens (``status``).

Feature packages define a ``JobKind`` beside their operations and call ``submit(kind, taxpayer_id, title,
params)``; the worker runs the kind's handler with a ``JobContext``. Decision note 0007 tells why and how.
"""

from __future__ import annotations

from flask import Flask

from app.jobs.engine import JobEngine, current_engine
from app.jobs.kinds import JobContext, JobKind, JobTakenOver
from app.jobs.submit import submit

__all__ = ["JobContext", "JobEngine", "JobKind", "JobTakenOver", "current_engine", "init_app", "submit"]


def init_app(app: Flask) -> None:
    """A Huey instance for this app (nothing is opened yet) and the ``flask jobs worker`` command."""
    from app.jobs.engine import init_app as init_engine
    from app.jobs.worker import jobs_cli

    init_engine(app)
    app.cli.add_command(jobs_cli)
