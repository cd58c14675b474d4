"""Kontör operations: load a package (the admin command, the demo) and write off expired packages (daily job).

Spending happens inside the storing operation's own unit (``app.kontor.spending``), never here.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlalchemy import select, update

from app.db import utcnow
from app.formatting import local_today
from app.jobs.kinds import JobContext, JobKind
from app.models import Taxpayer
from app.models.kontor import KontorMovement, KontorPackage, KontorUnit, MovementKind
from app.refusals import Refused
from app.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

YEARLY_BANK_PACKAGE = "Yıllık Banka Paketi"


class PackageRefused(Refused):
    """A package that cannot be loaded as asked."""


def load_package(identifier: str, quantity: int, expires_on: date, *, unit: KontorUnit = KontorUnit.ADET,
                 starts_on: date | None = None, name: str = YEARLY_BANK_PACKAGE) -> KontorPackage:
    """Give the taxpayer (by VKN/TCKN) a package: its Yükleme movement and audit entry in one unit."""
    starts_on = starts_on or local_today()
    if quantity <= 0:
        raise PackageRefused("Paket miktarı sıfırdan büyük bir tam sayı olmalıdır.")
    if expires_on < starts_on:
        raise PackageRefused("Paketin bitiş tarihi başlangıç tarihinden önce olamaz.")
    with unit_of_work() as work:
        taxpayer = work.session.scalar(select(Taxpayer).where(Taxpayer.identifier == identifier))
        if taxpayer is None:
            raise PackageRefused(f"{identifier} vergi / tc kimlik numaralı mükellef bu portalda kayıtlı değil.")
        package = KontorPackage(taxpayer_id=taxpayer.id, name=name[:120], unit=unit, quantity=quantity,
                                remaining=quantity, starts_on=starts_on, expires_on=expires_on)
        work.session.add(package)
        work.session.flush()
        work.session.add(KontorMovement(taxpayer_id=taxpayer.id, package_id=package.id, kind=MovementKind.YUKLEME,
                                        unit=unit, amount=quantity, note=name[:250]))
        work.record("kontor_yuklendi", taxpayer_id=taxpayer.id, object_type="kontor_paketi", object_id=package.id,
                    miktar=quantity, birim=unit.value, bitis=expires_on.isoformat())
    return package


def write_off_expired(today: date | None = None) -> int:
    """Write off the rest of every package whose last day has passed: a Süresi Doldu movement each. Idempotent."""
    today = today or local_today()
    count = 0
    with unit_of_work() as work:
        expired = work.session.scalars(
            select(KontorPackage).where(KontorPackage.expires_on < today, KontorPackage.written_off_at.is_(None))
            .order_by(KontorPackage.id).with_for_update()
        ).all()
        now = utcnow()
        for package in expired:
            rest = package.remaining
            work.session.execute(update(KontorPackage).where(KontorPackage.id == package.id)
                                 .values(remaining=0, written_off_at=now).execution_options(synchronize_session=False))
            if rest > 0:
                work.session.add(KontorMovement(taxpayer_id=package.taxpayer_id, package_id=package.id,
                                                kind=MovementKind.SURESI_DOLDU, unit=package.unit, amount=rest, at=now,
                                                note=f"{package.name} ({package.expires_on:%d.%m.%Y}) süresi doldu"))
                work.record("kontor_suresi_doldu", taxpayer_id=package.taxpayer_id, object_type="kontor_paketi",
                            object_id=package.id, miktar=rest, birim=package.unit.value)
                count += 1
    if count:
        log.info("Süresi dolan %s kontör paketinin kalanı düşüldü", count)
    return count


def _write_off_job(job: JobContext) -> dict[str, Any]:
    job.progress(10, "Süresi dolan kontör paketleri aranıyor.")
    return {"dusulen_paket": write_off_expired()}


WRITE_OFF = JobKind("kontor.sure_dolumu", _write_off_job)


def daily_key() -> str:
    """The daily write-off's idempotency key: one job per day, however many workers schedule it."""
    return f"kontor-sure-dolumu-{local_today().isoformat()}"
