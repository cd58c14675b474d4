"""Helpers of the training-room tests: prepare a class through the trainer's page, read a class's records."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, inspect, or_, select
from sqlalchemy.orm import Session

from app.db import Base
from app.models import (
    AccountingContract,
    CancellationRequest,
    EdefterSettings,
    Invoice,
    JournalEntry,
    JournalLine,
    JournalPeriod,
    KontorMovement,
    KontorPackage,
    Trainee,
    TrainingClass,
)


def prepare(client: FlaskClient, session: Session, count: int, name: str = "Deneme Sınıfı") -> TrainingClass:
    """Sınıfı Hazırla on the page (its job runs at once in tests) and the class it made."""
    response = client.post("/egitim/sinif", data={"ad": name, "kisi": str(count)})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    widget = page.split('id="hazirlik-durumu"')[1].split("</section>")[0]
    assert "Tamamlandı" in widget and f"{count} kursiyer kartı hazır." in widget, widget[:3000]
    session.expire_all()
    return session.scalars(select(TrainingClass).order_by(TrainingClass.id.desc())).first()


def trainees(session: Session, training_class: TrainingClass) -> list[Trainee]:
    return list(session.scalars(select(Trainee).where(Trainee.class_id == training_class.id)
                                .order_by(Trainee.position)))


def snapshot(session: Session, training_class: TrainingClass) -> dict[str, Any]:
    """Row counts and the records themselves (by their natural keys) of a class's companies."""
    people = trainees(session, training_class)
    ids = [t.taxpayer_id for t in people]
    vkns = [t.identifier for t in people]
    invoices = session.scalars(select(Invoice).where(or_(Invoice.sender_identifier.in_(vkns),
                                                         Invoice.receiver_identifier.in_(vkns)))).all()
    lines = session.execute(
        select(JournalPeriod.taxpayer_id, JournalEntry.entry_number, JournalEntry.entry_date, JournalLine.line_no,
               JournalLine.account_main_id, JournalLine.side, JournalLine.amount)
        .join(JournalEntry, JournalEntry.period_id == JournalPeriod.id)
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .where(JournalPeriod.taxpayer_id.in_(ids))
    ).all()

    def count(model: Any, column: Any) -> int:
        return session.scalar(select(func.count()).select_from(model).where(column.in_(ids)))

    present = set(inspect(session.connection()).get_table_names())
    per_table = {table.name: session.scalar(select(func.count()).select_from(table).where(table.c.taxpayer_id.in_(ids)))
                 for table in Base.metadata.sorted_tables
                 if "taxpayer_id" in table.c and table.name in present and table.name != "audit_event"}
    return {
        "rows_per_table": per_table,
        "invoices": sorted((i.ettn, i.number, i.sender_identifier, i.receiver_identifier, str(i.payable_amount),
                            i.issue_date, i.cancelled_at) for i in invoices),
        "requests": session.scalar(select(func.count()).select_from(CancellationRequest).where(
            CancellationRequest.requester_taxpayer_id.in_(ids))),
        "settings": sorted((s.taxpayer_id, s.name, s.nace_code, s.postal_code, s.fiscal_year_start)
                           for s in session.scalars(select(EdefterSettings).where(EdefterSettings.taxpayer_id.in_(ids)))),
        "contracts": count(AccountingContract, AccountingContract.taxpayer_id),
        "journal": sorted(tuple(str(value) for value in line) for line in lines),
        "kontor_packages": sorted((p.taxpayer_id, p.quantity, p.remaining) for p in session.scalars(
            select(KontorPackage).where(KontorPackage.taxpayer_id.in_(ids)))),
        "kontor_movements": count(KontorMovement, KontorMovement.taxpayer_id),
    }
