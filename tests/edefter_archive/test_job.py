"""A large upload is checked by a job (app.jobs, immediate mode in the tests) whose status widget shows the counts;
a run killed between files continues after the last committed one, charging nothing twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.edefter.archive import operations, rules
from app.models import DefterFileKind, Job
from app.models.edefter_archive import EdefterArchiveUpload, EdefterArchiveVerdict
from tests.edefter_archive.conftest import entries, give_mb, page_text, upload, used_mb, zipped


class Killed(Exception):
    pass


def test_a_zip_of_many_files_is_checked_by_a_job_with_its_counts(
        client, company, signed_period, db_session, app, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(rules, "IMMEDIATE_MEMBERS", 1)
    give_mb(app, company.taxpayer, 50)
    members = {f.file_name: f.data for f in signed_period.of(DefterFileKind.YEVMIYE_BERAT)}
    members |= {f.file_name: f.data for f in signed_period.of(DefterFileKind.KEBIR_BERAT)}
    assert len(members) >= 2

    response = upload(client, "beratlar.zip", zipped(members))

    page = page_text(client.get(response.headers["Location"]))
    db_session.expire_all()
    [kept] = db_session.scalars(select(EdefterArchiveUpload)).all()
    job = db_session.get(Job, kept.job_id)
    assert job is not None and job.kind == rules.JOB_KIND and job.result["saklandi"] == len(members)
    assert f"{len(members)} arşivlendi" in page and "Her dosyanın sonucu" in page
    assert used_mb(db_session, company.taxpayer) == len(members)


def test_a_run_killed_between_files_continues_where_it_stopped(
        client, company, signed_period, db_session, app, monkeypatch):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 50)
    parts = signed_period.of(DefterFileKind.YEVMIYE_BERAT) + signed_period.of(DefterFileKind.KEBIR_BERAT)
    members = {f.file_name: f.data for f in parts}
    calls = []

    def start_job(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise Killed  # the queue never runs it here: the test plays the worker

    monkeypatch.setattr(rules, "IMMEDIATE_MEMBERS", 0)
    monkeypatch.setattr(operations, "submit", start_job)
    with pytest.raises(Killed):
        upload(client, "beratlar.zip", zipped(members))
    db_session.expire_all()
    [kept] = db_session.scalars(select(EdefterArchiveUpload)).all()

    def dies_after_first(percent: int, phrase: str) -> None:
        calls.append(phrase)
        raise Killed

    with app.app_context():
        with pytest.raises(Killed):
            operations.process_upload(kept.id, dies_after_first)
        done = operations.process_upload(kept.id, lambda percent, phrase: None)
        again = operations.process_upload(kept.id, lambda percent, phrase: None)
    assert calls == [f"1/{len(members)} dosya işlendi."]
    assert (done.stored_count, again.stored_count, again.processed) == (len(members),) * 3
    db_session.expire_all()
    assert len(db_session.scalars(select(EdefterArchiveVerdict)).all()) == len(members)
    assert len(entries(db_session, company.taxpayer)) == len(members)
    assert used_mb(db_session, company.taxpayer) == len(members)


def test_a_resumed_run_does_not_unpack_again_what_it_decided_and_a_finished_upload_stays_finished(
        client, company, signed_period, db_session, app, monkeypatch):  # type: ignore[no-untyped-def]
    from app.edefter.archive import members as zip_members
    from app.models import AuditEvent

    give_mb(app, company.taxpayer, 50)
    parts = signed_period.of(DefterFileKind.YEVMIYE_BERAT) + signed_period.of(DefterFileKind.KEBIR_BERAT)
    files = {f.file_name: f.data for f in parts}
    unpacked: list[str] = []
    real_copy = zip_members._copy

    def counting_copy(archive, info, target, max_bytes):  # type: ignore[no-untyped-def]
        unpacked.append(info.filename)
        return real_copy(archive, info, target, max_bytes)

    def start_job(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise Killed

    def dies_after_first(percent: int, phrase: str) -> None:
        raise Killed

    monkeypatch.setattr(rules, "IMMEDIATE_MEMBERS", 0)
    monkeypatch.setattr(operations, "submit", start_job)
    monkeypatch.setattr(zip_members, "_copy", counting_copy)
    with pytest.raises(Killed):
        upload(client, "beratlar.zip", zipped(files))
    db_session.expire_all()
    [kept] = db_session.scalars(select(EdefterArchiveUpload)).all()
    with app.app_context():
        with pytest.raises(Killed):
            operations.process_upload(kept.id, dies_after_first)
        first = list(unpacked)
        done = operations.process_upload(kept.id, lambda percent, phrase: None)
        resumed = unpacked[len(first):]
        operations.process_upload(kept.id, lambda percent, phrase: None)
    assert len(first) == 1 and first[0] not in resumed and len(resumed) == len(files) - 1
    assert unpacked[len(first) + len(resumed):] == []  # the finished upload: nothing unpacked again
    db_session.expire_all()
    assert db_session.get(EdefterArchiveUpload, kept.id).status.value == "tamamlandi" == done.status.value
    assert db_session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "edefter_arsivi_tamamlandi")) == 1


def test_an_upload_left_behind_is_offered_and_checked_on_from_where_it_stopped(
        client, company, signed_period, db_session, app, monkeypatch):  # type: ignore[no-untyped-def]
    """Its job never queued (the process died between keeping the upload and queuing): after a while the page offers
    "Kontrolü Sürdür", which checks it by a job, charging each file once; a second press starts nothing new."""
    from datetime import timedelta

    from sqlalchemy import update

    from app.db import utcnow

    give_mb(app, company.taxpayer, 50)
    parts = signed_period.of(DefterFileKind.YEVMIYE_BERAT) + signed_period.of(DefterFileKind.KEBIR_BERAT)
    members = {f.file_name: f.data for f in parts}

    def start_job(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise Killed

    monkeypatch.setattr(rules, "IMMEDIATE_MEMBERS", 0)
    with monkeypatch.context() as patched:
        patched.setattr(operations, "submit", start_job)
        with pytest.raises(Killed):
            upload(client, "beratlar.zip", zipped(members))
    db_session.expire_all()
    [kept] = db_session.scalars(select(EdefterArchiveUpload)).all()
    assert kept.status.value == "sirada" and kept.job_id is None
    address = f"/edefter-arsivi/yukleme/{kept.id}"
    assert "Kontrolü Sürdür" not in page_text(client.get(address))  # just arrived: maybe still being queued
    refused = client.post(f"{address}/surdur")
    assert "yeniden başlatılamaz" in page_text(client.get(refused.headers["Location"]))

    db_session.execute(update(EdefterArchiveUpload).where(EdefterArchiveUpload.id == kept.id)
                       .values(created_at=utcnow() - operations.STUCK_AFTER - timedelta(seconds=1)))
    db_session.commit()
    assert "Kontrolü Sürdür" in page_text(client.get(address))
    assert client.post(f"{address}/surdur").status_code == 303
    db_session.expire_all()
    done = db_session.get(EdefterArchiveUpload, kept.id)
    assert done.status.value == "tamamlandi" and done.stored_count == len(members) and done.job_id is not None
    assert used_mb(db_session, company.taxpayer) == len(members)
    assert "Kontrolü Sürdür" not in page_text(client.get(address))
    client.post(f"{address}/surdur")
    assert len(db_session.scalars(select(Job).where(Job.kind == rules.JOB_KIND)).all()) == 1
