"""Who did which exercise since the class was prepared or reset: from the audit trail and the e-Defter periods.

Read only; one query for the audit entries of the whole class and one for its journal periods.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db import get_session
from app.models import AuditEvent, JournalPeriod, JournalPeriodState, Trainee, TrainingClass

# (key, column heading, audit actions that count)
EXERCISES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("giris", "Giriş yaptı", frozenset({"giris"})),
    ("talep", "İptal talebi oluşturdu", frozenset({"iptal_talebi_olusturuldu"})),
    ("onay", "Talebi onayladı", frozenset({"iptal_talebi_onaylandi"})),
    ("itiraz", "İtirazı cevapladı", frozenset({"itiraz_talebi_onaylandi", "itiraz_talebi_reddedildi"})),
    ("etiket", "Etiket aktifleşti", frozenset({"hizmet_aktiflestirildi"})),
    ("defter", "e-Defter oluşturdu", frozenset()),
    ("gonderim", "e-Defter gönderdi", frozenset()),
)
CREATED_STATES = {JournalPeriodState.CREATED, JournalPeriodState.SIGNED, JournalPeriodState.SENT,
                  JournalPeriodState.APPROVED}
SENT_STATES = {JournalPeriodState.SENT, JournalPeriodState.APPROVED}


@dataclass(frozen=True)
class TraineeProgress:
    trainee: Trainee
    done: dict[str, bool]

    @property
    def count(self) -> int:
        return sum(self.done.values())


def class_progress(training_class: TrainingClass) -> list[TraineeProgress]:
    session = get_session()
    trainees = list(training_class.trainees)
    ids = [t.taxpayer_id for t in trainees]
    actions = {action for _key, _label, wanted in EXERCISES for action in wanted}
    seen: set[tuple[int, str]] = set(session.execute(
        select(AuditEvent.taxpayer_id, AuditEvent.action).distinct().where(
            AuditEvent.taxpayer_id.in_(ids), AuditEvent.action.in_(actions), AuditEvent.result == "ok",
            AuditEvent.id > training_class.audit_mark)
    ))
    states: dict[int, set[JournalPeriodState]] = {}
    for taxpayer_id, state in session.execute(
        select(JournalPeriod.taxpayer_id, JournalPeriod.state).where(JournalPeriod.taxpayer_id.in_(ids))
    ):
        states.setdefault(taxpayer_id, set()).add(state)
    rows = []
    for trainee in trainees:
        done = {key: any((trainee.taxpayer_id, action) in seen for action in wanted)
                for key, _label, wanted in EXERCISES}
        periods = states.get(trainee.taxpayer_id, set())
        done["defter"] = bool(periods & CREATED_STATES)
        done["gonderim"] = bool(periods & SENT_STATES)
        rows.append(TraineeProgress(trainee, done))
    return rows
