"""Demo data for Kontör and Belge Saklama: each demo company gets its yearly bank package (documents), a package of
MB for the e-Defter Arşivi and an active e-Fatura Saklama label, so Belge Saklama can be tried at once (a real office opens the label through Hizmet Aktivasyonu)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import select

from app.db import utcnow
from app.formatting import local_today
from app.kontor.operations import load_package
from app.models import KontorPackage, KontorUnit, LabelStatus, ServiceLabel, Taxpayer
from app.unit_of_work import unit_of_work

DEMO_UNITS = 1000
DEMO_MB = 500  # e-Defter Arşivi: storage by size (an approved month of the demo is well under 1 MB a file)


def load_demo_storage(taxpayers: Iterable[Taxpayer]) -> Iterator[str]:
    today = local_today()
    for taxpayer in taxpayers:
        if len(taxpayer.identifier) != 10:  # companies only (a mali mühür)
            continue
        for unit, quantity, words in ((KontorUnit.ADET, DEMO_UNITS, "adet"), (KontorUnit.MB, DEMO_MB, "MB")):
            with unit_of_work(write=False) as work:
                has_package = work.session.scalar(select(KontorPackage.id).where(
                    KontorPackage.taxpayer_id == taxpayer.id, KontorPackage.unit == unit))
            if has_package is None:
                load_package(taxpayer.identifier, quantity, date(today.year + 1, 12, 31),
                             starts_on=date(today.year, 1, 1), unit=unit)
                yield f"Kontör yüklendi: {taxpayer.unvan} ({quantity} {words})"
        with unit_of_work() as work:
            active = work.session.scalar(select(ServiceLabel.id).where(
                ServiceLabel.taxpayer_id == taxpayer.id, ServiceLabel.kind == "efatura_saklama",
                ServiceLabel.status == LabelStatus.AKTIF))
            if active is None:
                work.session.add(ServiceLabel(
                    taxpayer_id=taxpayer.id, product="efatura", kind="efatura_saklama", status=LabelStatus.AKTIF,
                    alias=f"urn:mail:defaultsaklama@{taxpayer.identifier}.demo.ebelge", activated_at=utcnow(),
                    activation_date=today))
                work.record("demo_verileri_yuklendi", taxpayer_id=taxpayer.id, etiket="efatura_saklama")
                yield f"e-Fatura Saklama etiketi açıldı: {taxpayer.unvan}"
