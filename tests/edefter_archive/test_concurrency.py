"""Two workers on a real (committed) database: the same file uploaded twice at once is kept once and charged once;
a period kept by the sending job and an "Arşive Al" click at once is archived once. And a file's bytes are put in
the store while no database lock is held (other work on the balance is not kept waiting by a large copy)."""

from __future__ import annotations

import threading
import zipfile
from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from app.db import get_session
from app.edefter.archive import operations
from app.edefter.archive.operations import UPLOAD
from app.jobs.engine import EXTENSION as JOBS
from app.kontor.operations import load_package
from app.migrate import upgrade
from app.models import KontorMovement, KontorPackage, Taxpayer
from app.models.edefter_archive import ArchiveUploadStatus, EdefterArchiveEntry, EdefterArchiveUpload
from app.models.kontor import KontorUnit, MovementKind
from app.storage import EXTENSION as STORE
from app.storage import LocalFileStore, file_store
from app.unit_of_work import unit_of_work
from tests.conftest import make_test_app
from tests.edefter_archive.files import signed_yevmiye


def workers(database_url: str, tmp_path: Path, demo_pki, count: int = 2) -> list[Flask]:  # type: ignore[no-untyped-def]
    storage = str(tmp_path / "depo")
    apps = [make_test_app(database_url, tmp_path / f"worker-{n}", demo_pki, STORAGE_PATH=storage)
            for n in range(count)]
    for app in apps:
        app.extensions[JOBS].kinds.setdefault(UPLOAD.name, UPLOAD)
    return apps


def taxpayer_with_mb(app: Flask, identifier: str, mb: int) -> int:
    with app.app_context():
        with unit_of_work() as work:
            taxpayer = Taxpayer(identifier=identifier, unvan="ANADOLU TEKSTİL A.Ş.")
            work.session.add(taxpayer)
            work.session.flush()
            taxpayer_id = taxpayer.id
        load_package(identifier, mb, date.today() + timedelta(days=365), unit=KontorUnit.MB)
    return taxpayer_id


def waiting_upload(app: Flask, taxpayer_id: int, path: Path) -> int:
    """An upload kept in the store and not yet checked (as start_upload leaves it for the job)."""
    with app.app_context():
        kept = file_store().put(path)
        with unit_of_work() as work:
            upload = EdefterArchiveUpload(taxpayer_id=taxpayer_id, filename=path.name, sha256=kept.sha256,
                                          size=kept.size, status=ArchiveUploadStatus.SIRADA)
            work.session.add(upload)
            work.session.flush()
            return upload.id


def test_the_same_file_uploaded_twice_at_once_is_kept_once_and_charged_once(empty_database_url, tmp_path, demo_pki):  # type: ignore[no-untyped-def]
    upgrade(empty_database_url)
    apps = workers(empty_database_url, tmp_path, demo_pki)
    try:
        owner = demo_pki.token("anadolu").owner_id
        taxpayer_id = taxpayer_with_mb(apps[0], owner, 10)
        path = signed_yevmiye(tmp_path / "yevmiye.xml", demo_pki, "anadolu")
        uploads = [waiting_upload(apps[0], taxpayer_id, path) for _ in apps]
        start, failures = threading.Barrier(len(apps)), []

        def run(app: Flask, upload_id: int) -> None:
            try:
                with app.app_context():
                    start.wait(10)
                    operations.process_upload(upload_id, lambda percent, phrase: None)
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        threads = [threading.Thread(target=run, args=pair) for pair in zip(apps, uploads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert failures == []
        with apps[0].app_context():
            session = get_session()
            assert session.scalar(select(func.count()).select_from(EdefterArchiveEntry)) == 1
            statuses = session.scalars(select(EdefterArchiveUpload.status).where(EdefterArchiveUpload.id.in_(uploads)))
            assert set(statuses) == {ArchiveUploadStatus.TAMAMLANDI}
            stored = session.scalar(select(func.sum(EdefterArchiveUpload.stored_count)))
            duplicates = session.scalar(select(func.sum(EdefterArchiveUpload.duplicate_count)))
            assert (stored, duplicates) == (1, 1)
            assert session.scalar(select(func.sum(KontorMovement.amount)).where(
                KontorMovement.kind == MovementKind.KULLANIM)) == 1
    finally:
        for app in apps:
            app.extensions["ebelge.db"].engine.dispose()


class ProbingStore(LocalFileStore):
    """The real store, which asks (from a connection of its own) whether the balance can be locked at once while a
    file is being put: it cannot when the put runs inside the unit of work that holds the balance."""

    probes: list[str]

    def put(self, source, *, max_bytes=None):  # type: ignore[no-untyped-def]
        try:
            with unit_of_work(own_session=True) as work:
                work.session.execute(select(KontorPackage.id).with_for_update(nowait=True)).all()
            self.probes.append("serbest")
        except Exception as exc:  # noqa: BLE001 - the lock was held (PostgreSQL NOWAIT, SQLite busy)
            self.probes.append(type(exc).__name__)
        return super().put(source, max_bytes=max_bytes)


def test_a_files_bytes_are_stored_while_no_database_lock_is_held(empty_database_url, tmp_path, demo_pki):  # type: ignore[no-untyped-def]
    upgrade(empty_database_url)
    [app] = workers(empty_database_url, tmp_path, demo_pki, count=1)
    try:
        owner = demo_pki.token("anadolu").owner_id
        taxpayer_id = taxpayer_with_mb(app, owner, 10)
        path = signed_yevmiye(tmp_path / "yevmiye.xml", demo_pki, "anadolu")
        zipped = tmp_path / "yevmiye.zip"  # a zip's member is put in the store by the archive itself
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, "yevmiye.xml")
        upload_id = waiting_upload(app, taxpayer_id, zipped)
        with app.app_context():
            store = ProbingStore(app.config["STORAGE_PATH"])
            store.probes = []
            app.extensions[STORE] = store
            done = operations.process_upload(upload_id, lambda percent, phrase: None)
            assert done.stored_count == 1
        assert store.probes == ["serbest"]
    finally:
        app.extensions["ebelge.db"].engine.dispose()


def test_a_period_kept_twice_at_once_is_archived_once(empty_database_url, tmp_path, demo_pki):  # type: ignore[no-untyped-def]
    from app.edefter.archive.periods import keep_approved_period
    from app.models import CreationState, DefterCreation, DefterFile, DefterFileKind, JournalPeriod, JournalPeriodState
    from app.models.edefter_archive import EdefterArchivePeriod, PeriodKeeping

    upgrade(empty_database_url)
    apps = workers(empty_database_url, tmp_path, demo_pki)
    try:
        owner = demo_pki.token("anadolu").owner_id
        taxpayer_id = taxpayer_with_mb(apps[0], owner, 10)
        path = signed_yevmiye(tmp_path / "yevmiye.xml", demo_pki, "anadolu")
        with apps[0].app_context():
            kept = file_store().put(path)
            with unit_of_work() as work:
                period = JournalPeriod(taxpayer_id=taxpayer_id, branch_code="", year=2023, month=12, entry_count=20,
                                       line_count=40, state=JournalPeriodState.APPROVED)
                work.session.add(period)
                work.session.flush()
                creation = DefterCreation(taxpayer_id=taxpayer_id, period_id=period.id, state=CreationState.SIGNED,
                                          max_part_bytes=1024 * 1024, signer_name="ANADOLU", signer_serial="01")
                work.session.add(creation)
                work.session.flush()
                work.session.add(DefterFile(taxpayer_id=taxpayer_id, creation_id=creation.id,
                                            kind=DefterFileKind.YEVMIYE, part_index=0, file_name="yevmiye.xml",
                                            unique_id="YEV202312000001", signed_key=kept.sha256,
                                            signed_size=kept.size))
                period_id = period.id
        start, failures = threading.Barrier(len(apps)), []

        def run(app: Flask) -> None:
            try:
                with app.app_context():
                    start.wait(10)
                    keep_approved_period(period_id)
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        threads = [threading.Thread(target=run, args=(app,)) for app in apps]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert failures == []
        with apps[0].app_context():
            session = get_session()
            [keeping] = session.scalars(select(EdefterArchivePeriod)).all()
            assert keeping.state is PeriodKeeping.ARSIVLENDI
            assert session.scalar(select(func.count()).select_from(EdefterArchiveEntry)) == 1
            assert session.scalar(select(func.sum(KontorMovement.amount)).where(
                KontorMovement.kind == MovementKind.KULLANIM)) == 1
    finally:
        for app in apps:
            app.extensions["ebelge.db"].engine.dispose()
