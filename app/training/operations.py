"""Preparing a class and resetting it (issue 18; decision notes 0132 and 0133).

Preparation: one unit of work creates the class, its trainee companies and their records (fast); the cards, GİB's
registry and the kontör packages follow in a job (``TRAINING_CARDS``), since 20 RSA keys on SoftHSM take seconds
and a card is never used inside a database transaction. A reset puts the clock back to real time, deletes every row
of the class's companies except their audit trail, fills the records again from the plan, restores the cards'
PINs and makes GİB (the training simulator) forget and relearn the companies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable

from sqlalchemy import delete, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import clock
from app.db import Base, utcnow
from app.gib.errors import GibError
from app.gib_access import gib_client
from app.jobs import JobContext, JobKind, submit
from app.models import CancellationRequest, Invoice, Job, KontorPackage, Person, Taxpayer, Trainee, TrainingClass
from app.refusals import Refused
from app.training import cards, records
from app.training.access import training_enabled
from app.training.clock import move
from app.training.roster import MAX_TRAINEES, MIN_TRAINEES, TraineePlan, plan_class
from app.unit_of_work import release_reads, unit_of_work

TRAINING_CARDS_KIND = "egitim_kartlari"
KONTOR_UNITS = 500
# Tables a reset never empties: the audit trail stays whole (the reset itself is an entry), and the class's plan.
KEPT_TABLES = {"audit_event", "audit_chain", "taxpayer", "person", "training_class", "trainee"}


class TrainingRefused(Refused):
    """A class cannot be prepared or reset as asked."""


@dataclass
class Outcome:
    """What a step did, for the trainer's page and the CLI: Turkish lines, warnings apart."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _check_enabled() -> None:
    if not training_enabled():
        raise TrainingRefused("Eğitim işlemleri yalnızca demo ve eğitim kipinde yapılabilir.")


def plans_of(training_class: TrainingClass) -> list[TraineePlan]:
    return plan_class(training_class.id, training_class.trainee_count)


# --- preparation -------------------------------------------------------------------------------------------------


def create_class(name: str, count: int, submission_id: str | None = None) -> TrainingClass:
    """The class, its trainee companies and their records, in one unit of work. Cards come from ``TRAINING_CARDS``.

    A form sent twice (``submission_id``) answers with the class the first one made.
    """
    _check_enabled()
    if not MIN_TRAINEES <= count <= MAX_TRAINEES:
        raise TrainingRefused(f"Kursiyer sayısı {MIN_TRAINEES} ile {MAX_TRAINEES} arasında olmalıdır.")
    name = " ".join(name.split())[:120] or "Eğitim Sınıfı"
    submission_id = (submission_id or "").strip()[:64] or None
    with unit_of_work() as work:
        if submission_id is not None:
            earlier = work.session.scalar(select(TrainingClass).where(TrainingClass.submission_id == submission_id))
            if earlier is not None:
                return earlier
        training_class = TrainingClass(name=name, trainee_count=count, started_at=utcnow(), resets=0, audit_mark=0,
                                       submission_id=submission_id)
        work.session.add(training_class)
        work.session.flush()
        plans = plans_of(training_class)
        taken = set(work.session.scalars(select(Taxpayer.identifier).where(
            Taxpayer.identifier.in_([plan.identifier for plan in plans]))))
        if taken:
            raise TrainingRefused(f"Sınıfın VKN'lerinden {len(taken)} tanesi başka bir mükellefte kayıtlı "
                                  f"({', '.join(sorted(taken)[:3])}); sınıf hazırlanamadı.")
        taxpayers = {plan.position: Taxpayer(identifier=plan.identifier, unvan=plan.unvan) for plan in plans}
        work.session.add_all(taxpayers.values())
        work.session.flush()
        for plan in plans:
            work.session.add(Trainee(
                class_id=training_class.id, position=plan.position, taxpayer_id=taxpayers[plan.position].id,
                identifier=plan.identifier, unvan=plan.unvan, token_label=plan.token_label, card_pin=plan.pin,
                partner_identifier=plans[plan.partner_position - 1].identifier, invoice_prefix=plan.invoice_prefix))
        records.fill(work.session, plans, taxpayers, clock.today())
        entry = work.record("egitim_sinifi_hazirlandi", taxpayer_id=None, object_type="egitim_sinifi",
                            object_id=training_class.id, kursiyer=count, ad=name)
        work.session.flush()
        training_class.audit_mark = entry.id
    return training_class


def start_preparation(name: str, count: int, submission_id: str | None = None) -> tuple[TrainingClass, Job]:
    """Create the class and queue its cards (the job also registers the companies at GİB and loads kontör)."""
    training_class = create_class(name, count, submission_id)
    job = submit(TRAINING_CARDS_KIND, None, f"Eğitim sınıfı hazırlığı: {training_class.name}",
                 {"class_id": training_class.id}, idempotency_key=f"egitim-sinifi-{training_class.id}")
    return training_class, job


def equip(class_id: int, progress: Callable[[int, str], None] = lambda _p, _s: None) -> Outcome:
    """Cards, GİB registry and kontör for a class whose rows exist. Idempotent: what exists is kept."""
    training_class = _class(class_id)
    plans = plans_of(training_class)
    release_reads()  # no transaction is held while the cards are made
    outcome = Outcome()
    progress(5, f"{len(plans)} kursiyer kartı hazırlanıyor…")
    cards.make_cards(plans)
    outcome.lines.append(f"{len(plans)} kursiyer kartı hazır.")
    progress(70, "Mükellefler GİB'e kaydediliyor…")
    registered = _register_at_gib(plans, training_class.resets, outcome)
    if registered is not None:
        outcome.lines.append(f"{registered} mükellef GİB simülatörüne kaydedildi.")
    progress(85, "Kontör paketleri yükleniyor…")
    loaded = _load_kontor(plans, outcome)
    if loaded:
        outcome.lines.append(f"{loaded} kursiyere {KONTOR_UNITS} kontörlük paket yüklendi.")
    progress(100, "Sınıf hazır.")
    return outcome


def _register_at_gib(plans: list[TraineePlan], generation: int, outcome: Outcome) -> int | None:
    client = gib_client()
    try:
        for plan in plans:
            client.register_taxpayer(plan.identifier, plan.unvan,
                                     idempotency_key=f"egitim-mukellef-{plan.identifier}-{generation}")
        return len(plans)
    except GibError as exc:
        outcome.warnings.append(f"Kursiyerler GİB'e kaydedilemedi: {exc.message}")
        return None
    finally:
        client.close()


def _load_kontor(plans: list[TraineePlan], outcome: Outcome) -> int:
    """A year's kontör package per trainee (Kontör, SPEC C9), unless it already has one."""
    from app.kontor.operations import load_package  # the kontör room's own operation, with its audit entry

    today = clock.today()
    loaded = 0
    for plan in plans:
        with unit_of_work(write=False) as work:
            has = work.session.scalar(select(KontorPackage.id).join(Taxpayer, Taxpayer.id == KontorPackage.taxpayer_id)
                                      .where(Taxpayer.identifier == plan.identifier).limit(1))
        if has is None:
            try:
                load_package(plan.identifier, KONTOR_UNITS, date(today.year, 12, 31), name="Eğitim Paketi")
            except Refused as exc:
                outcome.warnings.append(f"{plan.identifier} için kontör yüklenemedi: {exc.message}")
                continue
            loaded += 1
    return loaded


def _equip_job(job: JobContext) -> dict[str, Any]:
    outcome = equip(int(job.params["class_id"]), job.progress)
    return {"Sonuç": " ".join(outcome.lines), **({"Uyarı": " ".join(outcome.warnings)} if outcome.warnings else {})}


TRAINING_CARDS = JobKind(TRAINING_CARDS_KIND, _equip_job, retry_when_gib_away=False)


# --- reset --------------------------------------------------------------------------------------------------------


def reset_class(class_id: int) -> Outcome:
    """Back to the prepared state: clock, database rows, cards and GİB, without a restart."""
    _check_enabled()
    outcome = Outcome()
    moved = move(timedelta(0))
    if moved.gib_message:
        outcome.warnings.append(moved.gib_message)
    outcome.lines.append("Eğitim saati gerçek saate döndü.")
    with unit_of_work() as work:
        training_class = _class(class_id, work.session, lock=True)
        plans = plans_of(training_class)
        taxpayers = {t.position: work.session.get_one(Taxpayer, t.taxpayer_id) for t in training_class.trainees}
        try:
            removed = remove_activity(work.session, {t.id: t.identifier for t in taxpayers.values()})
        except IntegrityError as exc:  # a table that keeps a trainee's row without a taxpayer column (note 0132)
            raise TrainingRefused("Sınıf sıfırlanamadı: kursiyerlerin bazı kayıtları silinemedi; kayıtlarda hiçbir "
                                  "şey değişmedi (eğitim saati gerçek saate döndü). Sistem yöneticinize bildiriniz.") from exc
        records.fill(work.session, plans, taxpayers, clock.today())
        training_class.started_at = utcnow()
        training_class.resets += 1
        entry = work.record("egitim_sinifi_sifirlandi", taxpayer_id=None, object_type="egitim_sinifi",
                            object_id=class_id, silinen_kayit=removed, sifirlama=training_class.resets)
        work.session.flush()
        training_class.audit_mark = entry.id
        generation = training_class.resets
    outcome.lines.append(f"Kursiyerlerin {removed} kaydı silindi, hazırlık kayıtları yeniden oluşturuldu.")
    cards.make_cards(plans)
    cards.restore_pins(plans)
    outcome.lines.append("Kartların PIN'leri el notlarındaki hâline döndü.")
    _forget_at_gib(plans, outcome)
    registered = _register_at_gib(plans, generation, outcome)
    if registered is not None:
        outcome.lines.append("GİB simülatöründeki kayıtlar sıfırlandı.")
    _load_kontor(plans, outcome)
    return outcome


def _forget_at_gib(plans: list[TraineePlan], outcome: Outcome) -> None:
    client = gib_client()
    try:
        client.reset_training_taxpayers([plan.identifier for plan in plans],
                                        idempotency_key=f"egitim-sifirla-{uuid.uuid4()}")
    except GibError as exc:
        outcome.warnings.append(f"GİB simülatöründeki kayıtlar silinemedi: {exc.message}")
    finally:
        client.close()


def remove_activity(session: Session, taxpayers: dict[int, str]) -> int:
    """Delete every row of these taxpayers but their audit trail; returns how many rows went.

    Table by table from the dependants up, every table with a ``taxpayer_id`` (so tables other rooms add later are
    covered); invoices by party; cancellation requests by invoice or party; the companies' persons (their logins).
    Rows of tables below without a taxpayer column go with their parents (ON DELETE CASCADE).
    """
    ids, identifiers = list(taxpayers), list(taxpayers.values())
    present = set(inspect(session.connection()).get_table_names())
    class_invoices = select(Invoice.id).where(or_(Invoice.sender_identifier.in_(identifiers),
                                                  Invoice.receiver_identifier.in_(identifiers)))
    removed = session.execute(delete(CancellationRequest).where(or_(
        CancellationRequest.invoice_id.in_(class_invoices), CancellationRequest.requester_taxpayer_id.in_(ids),
        CancellationRequest.decided_by_taxpayer_id.in_(ids)))).rowcount or 0
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in KEPT_TABLES or table.name not in present or "taxpayer_id" not in table.c:
            continue
        removed += session.execute(delete(table).where(table.c.taxpayer_id.in_(ids))).rowcount or 0
    removed += session.execute(delete(Invoice).where(or_(Invoice.sender_identifier.in_(identifiers),
                                                         Invoice.receiver_identifier.in_(identifiers)))).rowcount or 0
    removed += session.execute(delete(Person).where(Person.identifier.in_(identifiers))).rowcount or 0
    return removed


def _class(class_id: int, session: Session | None = None, lock: bool = False) -> TrainingClass:
    from app.db import get_session

    session = session or get_session()
    query = select(TrainingClass).where(TrainingClass.id == class_id)
    training_class = session.scalar(query.with_for_update() if lock else query)
    if training_class is None:
        raise TrainingRefused("Eğitim sınıfı bulunamadı.")
    return training_class


def preparation_job(job_id: int) -> Job | None:
    """A class's preparation job (the trainer's: it belongs to no taxpayer), freshly read."""
    from app.db import get_session

    return get_session().scalars(
        select(Job).where(Job.id == job_id, Job.taxpayer_id.is_(None), Job.kind == TRAINING_CARDS_KIND)
        .execution_options(populate_existing=True)
    ).first()
