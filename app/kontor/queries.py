"""Kontör for the screens: balances per unit, the packages, the movement list with its date filter and totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, func, select

from app.db import get_session
from app.formatting import local_today
from app.models.kontor import KontorMovement, KontorPackage, KontorUnit, MovementKind
from app.kontor.rules import NEW_PACKAGE
from app.pagination import Page, paginate

_TURKEY = ZoneInfo("Europe/Istanbul")
WARNING_SHARE = 10  # per cent of the usable packages' size, when no figure is configured


@dataclass(frozen=True)
class Balance:
    unit: KontorUnit
    remaining: int  # usable today
    quantity: int  # size of the packages usable today
    threshold: int

    @property
    def low(self) -> bool:
        return self.quantity > 0 and self.remaining < self.threshold

    @property
    def empty(self) -> bool:
        return self.remaining <= 0

    @property
    def warning(self) -> str | None:
        what = "kontörünüz" if self.unit is KontorUnit.ADET else "saklama alanınız"
        if self.empty:
            return f"Kullanılabilir {what} kalmadı. {NEW_PACKAGE}"
        if self.low:
            return (f"Kullanılabilir {what} azaldı: {self.remaining} {self.unit.label} kaldı (uyarı eşiği "
                    f"{self.threshold}). Yeni paket için e-Belge Portalı ile iletişime geçiniz.")
        return None


def _threshold(unit: KontorUnit, quantity: int) -> int:
    configured = current_app.config.get("KONTOR_WARNING_LEVEL") or 0
    if configured > 0:
        return int(configured)
    return -(-quantity * WARNING_SHARE // 100)  # 10 %, rounded up


def balances(taxpayer_id: int, today: date | None = None) -> list[Balance]:
    """The usable balance of each unit the taxpayer has (had) packages of; an empty one counts too."""
    today = today or local_today()
    usable = (KontorPackage.starts_on <= today) & (KontorPackage.expires_on >= today) & KontorPackage.written_off_at.is_(None)
    rows = get_session().execute(
        select(KontorPackage.unit,
               func.coalesce(func.sum(case((usable, KontorPackage.remaining), else_=0)), 0),
               func.coalesce(func.sum(case((usable, KontorPackage.quantity), else_=0)), 0))
        .where(KontorPackage.taxpayer_id == taxpayer_id).group_by(KontorPackage.unit)
    ).all()
    found = {unit: (int(remaining), int(quantity)) for unit, remaining, quantity in rows}
    if not found:
        found[KontorUnit.ADET] = (0, 0)
    return [Balance(unit, *found[unit], threshold=_threshold(unit, found[unit][1]))
            for unit in KontorUnit if unit in found]


def balance_of(taxpayer_id: int, unit: KontorUnit, today: date | None = None) -> Balance:
    return next((b for b in balances(taxpayer_id, today) if b.unit is unit), Balance(unit, 0, 0, 0))


def packages(taxpayer_id: int) -> list[KontorPackage]:
    return list(get_session().scalars(
        select(KontorPackage).where(KontorPackage.taxpayer_id == taxpayer_id)
        .order_by(KontorPackage.expires_on.desc(), KontorPackage.id.desc())))


@dataclass(frozen=True)
class MovementFilter:
    start: date
    end: date
    kind: MovementKind | None = None

    @classmethod
    def default(cls) -> MovementFilter:
        today = local_today()
        return cls(today - timedelta(days=30), today)

    def bounds(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.start, time.min, _TURKEY)
        end = datetime.combine(self.end + timedelta(days=1), time.min, _TURKEY)
        return start, end


@dataclass(frozen=True)
class Totals:
    """Per kind and unit, within the filter: {(kind, unit): amount}."""

    amounts: dict[tuple[MovementKind, KontorUnit], int]

    def of(self, kind: MovementKind, unit: KontorUnit) -> int:
        return self.amounts.get((kind, unit), 0)

    @property
    def units(self) -> list[KontorUnit]:
        return [unit for unit in KontorUnit if any(u is unit for _, u in self.amounts)]


def _filtered(taxpayer_id: int, chosen: MovementFilter):  # type: ignore[no-untyped-def]
    start, end = chosen.bounds()
    query = select(KontorMovement).where(KontorMovement.taxpayer_id == taxpayer_id, KontorMovement.at >= start,
                                         KontorMovement.at < end)
    if chosen.kind is not None:
        query = query.where(KontorMovement.kind == chosen.kind)
    return query


def movements(taxpayer_id: int, chosen: MovementFilter, number: int) -> Page[KontorMovement]:
    """The movements in the chosen days, newest first."""
    query = _filtered(taxpayer_id, chosen).order_by(KontorMovement.at.desc(), KontorMovement.id.desc())
    return paginate(query, number, size=50)


def totals(taxpayer_id: int, chosen: MovementFilter) -> Totals:
    query = _filtered(taxpayer_id, chosen).with_only_columns(
        KontorMovement.kind, KontorMovement.unit, func.sum(KontorMovement.amount)
    ).group_by(KontorMovement.kind, KontorMovement.unit)
    return Totals({(kind, unit): int(amount) for kind, unit, amount in get_session().execute(query)})
