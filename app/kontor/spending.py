"""Spending kontör atomically, inside the caller's unit of work (decision note 0090).

The packages a spend may touch are read with ``SELECT … FOR UPDATE`` (PostgreSQL locks the rows until the
commit; SQLite's unit already holds the database write lock from BEGIN IMMEDIATE), the oldest-expiring first,
and each is lowered with a conditional ``UPDATE … SET remaining = remaining - n WHERE remaining >= n``. Two
workers storing at once therefore never take the same unit twice, and a CHECK keeps ``remaining`` ≥ 0 whatever
happens. Every piece taken is a Kullanım movement naming its package and document, in the same transaction as
the document itself: what is charged is stored and what is stored is charged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.bulk_insert import insert_rows
from app.db import utcnow
from app.models.kontor import KontorMovement, KontorPackage, KontorUnit, MovementKind


@dataclass(frozen=True)
class Piece:
    package_id: int
    amount: int


class Purse:
    """The locked, usable packages of one taxpayer and unit for one transaction; takes pieces off them in order."""

    def __init__(self, session: Session, taxpayer_id: int, unit: KontorUnit, today: date) -> None:
        self.session, self.taxpayer_id, self.unit = session, taxpayer_id, unit
        rows = session.execute(
            select(KontorPackage.id, KontorPackage.remaining)
            .where(KontorPackage.taxpayer_id == taxpayer_id, KontorPackage.unit == unit,
                   KontorPackage.starts_on <= today, KontorPackage.expires_on >= today,
                   KontorPackage.written_off_at.is_(None), KontorPackage.remaining > 0)
            .order_by(KontorPackage.expires_on, KontorPackage.starts_on, KontorPackage.id)
            .with_for_update()
        ).all()
        self._left = [[package_id, remaining] for package_id, remaining in rows]
        self._taken: dict[int, int] = {}

    @property
    def available(self) -> int:
        return sum(left for _, left in self._left)

    def take(self, amount: int) -> list[Piece] | None:
        """Pieces covering ``amount`` from the oldest-expiring packages, or None (nothing taken) if they do not."""
        if amount <= 0 or amount > self.available:
            return None
        pieces: list[Piece] = []
        for entry in self._left:
            if amount == 0:
                break
            part = min(entry[1], amount)
            if part:
                entry[1] -= part
                amount -= part
                pieces.append(Piece(entry[0], part))
                self._taken[entry[0]] = self._taken.get(entry[0], 0) + part
        return pieces

    def commit_to(self, charges: list[tuple[int | None, list[Piece]]], note: str = "", at: datetime | None = None) -> None:
        """Lower the packages by what was taken and write one Kullanım movement per piece ((document id, pieces))."""
        for package_id, amount in self._taken.items():
            changed = self.session.execute(
                update(KontorPackage)
                .where(KontorPackage.id == package_id, KontorPackage.remaining >= amount)
                .values(remaining=KontorPackage.remaining - amount)
                .execution_options(synchronize_session=False)
            )
            if changed.rowcount != 1:  # the lock makes this impossible; never let it pass silently
                raise RuntimeError(f"kontör paketi {package_id} eşzamanlı olarak değişti")
        self._taken.clear()
        moment = at or utcnow()
        rows = [
            {"taxpayer_id": self.taxpayer_id, "package_id": piece.package_id, "kind": MovementKind.KULLANIM,
             "unit": self.unit, "amount": piece.amount, "at": moment, "document_id": document_id, "note": note[:250]}
            for document_id, pieces in charges for piece in pieces
        ]
        if rows:
            insert_rows(self.session, KontorMovement.__table__, rows)  # an import's thousands: see app.bulk_insert
