"""What a job kind is (its handler and how its result is shown) and what a handler sees of its job.

A feature package defines its kind next to its operations (``app.connection.operations.GIB_CHECK``);
``installed_kinds`` lists them for the engine. A handler gets a ``JobContext`` — ids and plain
parameters, never objects or secrets — calls the feature's operations, reports progress between its
units of work, and returns a JSON-able dict: the job's result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from flask import Flask

Handler = Callable[["JobContext"], "dict[str, Any] | None"]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    # Takes of one job (GİB away, a killed worker); None: the JOBS_MAX_ATTEMPTS setting.
    max_attempts: int | None = None
    # GİB away or slow: try again later (False: that is the answer, e.g. for a connection check).
    retry_when_gib_away: bool = True
    # Template exposing ``job_result(result)``, for the status widget once the job is done.
    result_template: str = "jobs/_result.html"
    # Turns the stored result (JSON) into what ``result_template`` shows (e.g. with datetimes).
    present: Callable[[dict[str, Any]], Any] | None = None


class JobTakenOver(Exception):
    """The job is no longer this worker's (it was taken for dead and re-queued): stop, write nothing."""


@dataclass
class JobContext:
    """What a handler knows of its job."""

    job_id: int
    taxpayer_id: int | None
    params: dict[str, Any]
    attempt: int  # 1 on the first take
    _report: Callable[[int, str], bool] = field(repr=False)

    def progress(self, percent: int, phrase: str) -> None:
        """Record how far the job is (0–100) and what it does now, in Turkish.

        Call it between the handler's units of work, never inside one: it commits on its own.
        Raises ``JobTakenOver`` when the job has been given to another worker meanwhile.
        """
        if not self._report(max(0, min(100, int(percent))), phrase[:250]):
            raise JobTakenOver(self.job_id)


def installed_kinds(app: Flask) -> dict[str, JobKind]:
    """Every job kind of the portal; the test kinds only in a test app (TESTING)."""
    from app.archive.operations import IMPORT as ARCHIVE_IMPORT
    from app.connection.operations import GIB_CHECK
    from app.edefter.creation.operations import FINISH as EDEFTER_FINISH
    from app.edefter.creation.operations import PREPARE as EDEFTER_PREPARE
    from app.integrator.approvals import APPROVAL_CHECK
    from app.integrator.userlist import USER_LIST
    from app.journal.upload import IMPORT as JOURNAL_IMPORT
    from app.kontor.operations import WRITE_OFF
    from app.training.operations import TRAINING_CARDS

    kinds = [GIB_CHECK, APPROVAL_CHECK, USER_LIST, WRITE_OFF, TRAINING_CARDS, ARCHIVE_IMPORT]
    kinds.append(JOURNAL_IMPORT)
    kinds.extend((EDEFTER_PREPARE, EDEFTER_FINISH))
    from app.edefter.archive.operations import UPLOAD as EDEFTER_ARCHIVE_UPLOAD

    kinds.append(EDEFTER_ARCHIVE_UPLOAD)
    from app.edefter.sending.operations import SEND as EDEFTER_SEND

    kinds.append(EDEFTER_SEND)
    if app.config.get("TESTING"):
        from app.jobs import testing

        kinds.extend(testing.KINDS)
    return {kind.name: kind for kind in kinds}
