"""One unit of work per operation: begin, let the operation change rows and record its audit entries,
commit on success, roll back on any error, then run the side effects that must wait for the commit.

Operations in the feature packages use it; views, jobs and the CLI call those operations and never touch
the transaction themselves. A unit never spans a smart-card act or a call to GİB (decision note 0002,
ARCHITECTURE "Request flow"): record "pending" in one unit, act, record the answer in a second.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from flask import has_request_context
from sqlalchemy.orm import Session

from app import audit
from app.db import database, get_session, start_write
from app.models.audit import AuditEvent

SYSTEM_ACTOR = "Sistem"


def current_actor() -> str:
    """Who acts: the logged-in person (the card's holder, whoever they act for) in a request, the system (a job,
    the CLI) elsewhere. The taxpayer acted for is the audit entry's chain; the card is its certificate serial."""
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.display
    return SYSTEM_ACTOR


@dataclass
class Work:
    """What an operation sees of its unit: the session, the audit trail and after-commit effects."""

    session: Session
    entries: list[AuditEvent] = field(default_factory=list)
    _after_commit: list[Callable[[], Any]] = field(default_factory=list)

    def record(self, action: str, *, taxpayer_id: int | None, actor: str | None = None, object_type: str | None = None,
               object_id: object = None, certificate_serial: str | None = None, result: str = "ok",
               **details: Any) -> AuditEvent:
        """Append an entry to the taxpayer's audit chain in this unit's transaction."""
        entry = audit.append(self.session, action, taxpayer_id=taxpayer_id, actor=actor or current_actor(),
                             object_type=object_type, object_id=object_id, certificate_serial=certificate_serial,
                             result=result, details=details)
        self.entries.append(entry)
        return entry

    def after_commit(self, effect: Callable[[], Any]) -> None:
        """Run ``effect`` once the unit has committed (enqueue a job, send a notice); never on rollback."""
        self._after_commit.append(effect)


@contextmanager
def unit_of_work(*, write: bool = True, own_session: bool = False) -> Iterator[Work]:
    """The transaction of one operation. ``write`` takes SQLite's write lock from the first statement.

    ``own_session``: a session of its own instead of the context's, for bookkeeping that must commit apart
    from the work around it (a job's progress and heartbeat while its handler has a unit open elsewhere).
    """
    session = database().sessions() if own_session else get_session()
    if write:
        start_write(session)
    elif session.in_transaction():
        session.rollback()  # read fresh data, not the request's earlier snapshot
    work = Work(session)
    try:
        yield work
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        if own_session:
            session.close()
    for effect in work._after_commit:
        effect()


def release_reads() -> None:
    """End the request's read-only transaction before slow work (a large upload) so it holds no lock."""
    session = get_session()
    if session.in_transaction():
        session.commit()  # nothing was written; commit keeps the loaded objects (rollback would expire them)
