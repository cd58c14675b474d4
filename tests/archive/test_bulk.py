"""app.bulk_insert.insert_rows (decision note 0095): rows go in as SQLAlchemy's own insert would put them — enum
values, UTC timestamps, dates and NULLs read back the same on both databases."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from app.bulk_insert import insert_rows
from app.models import ArchiveImport, ImportStatus, ImportVerdict, Verdict
from app.models.kontor import KontorMovement, KontorPackage, KontorUnit, MovementKind
from app.unit_of_work import unit_of_work


def _raw(session, table, where) -> list[tuple]:
    return [tuple(row) for row in session.execute(select(*[c for c in table.c if c.name != "id"]).where(where)
                                                 .order_by(*table.primary_key.columns))]


def test_rows_read_back_as_sqlalchemys_insert_writes_them(app, taxpayer_factory):
    taxpayer = taxpayer_factory()
    at = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=timezone(timedelta(hours=3)))
    with app.app_context():
        with unit_of_work() as work:
            package = KontorPackage(taxpayer_id=taxpayer.id, name="Deneme", unit=KontorUnit.ADET, quantity=10, remaining=10,
                                    starts_on=at.date(), expires_on=at.date() + timedelta(days=30))
            first = ArchiveImport(taxpayer_id=taxpayer.id, filename="a.zip", sha256="0" * 64, size=1,
                                  status=ImportStatus.SURUYOR)
            second = ArchiveImport(taxpayer_id=taxpayer.id, filename="b.zip", sha256="1" * 64, size=1,
                                   status=ImportStatus.SURUYOR)
            work.session.add_all([package, first, second])
            work.session.flush()
            ids = package.id, first.id, second.id
        verdicts = [{"position": n, "filename": f"{n}.xml", "verdict": verdict, "reason": reason, "document_id": None}
                    for n, (verdict, reason) in enumerate([(Verdict.SAKLANDI, ""), (Verdict.REDDEDILDI, "İmza geçersiz"),
                                                           (Verdict.ZATEN_VAR, "Zaten saklanıyor")])]
        movements = [{"taxpayer_id": taxpayer.id, "package_id": ids[0], "kind": MovementKind.KULLANIM,
                      "unit": KontorUnit.ADET, "amount": n + 1, "at": at, "document_id": None, "note": "Belge Saklama"}
                     for n in range(2)]
        with unit_of_work() as work:
            insert_rows(work.session, ImportVerdict.__table__, [{"import_id": ids[1], **v} for v in verdicts])
            work.session.execute(insert(ImportVerdict.__table__), [{"import_id": ids[2], **v} for v in verdicts])
            insert_rows(work.session, KontorMovement.__table__, movements)
            insert_rows(work.session, KontorMovement.__table__, [])  # nothing: nothing happens
        with unit_of_work(write=False) as work:
            ours = _raw(work.session, ImportVerdict.__table__, ImportVerdict.import_id == ids[1])
            theirs = _raw(work.session, ImportVerdict.__table__, ImportVerdict.import_id == ids[2])
            assert [row[1:] for row in ours] == [row[1:] for row in theirs]
            assert [v.verdict for v in work.session.scalars(select(ImportVerdict).where(
                ImportVerdict.import_id == ids[1]).order_by(ImportVerdict.position))] == [v["verdict"] for v in verdicts]
            moved = work.session.scalars(select(KontorMovement).where(KontorMovement.package_id == ids[0])
                                         .order_by(KontorMovement.id)).all()
            assert [(m.kind, m.unit, m.amount, m.at, m.note) for m in moved] == [
                (MovementKind.KULLANIM, KontorUnit.ADET, 1, at, "Belge Saklama"),
                (MovementKind.KULLANIM, KontorUnit.ADET, 2, at, "Belge Saklama")]
            assert moved[0].at.utcoffset() == timedelta(0)  # stored in UTC, read back aware

