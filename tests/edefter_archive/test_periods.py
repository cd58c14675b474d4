"""The company's own approved periods in the archive (keep_approved_period): same storage keys, MB charged once,
idempotent; kontör short → nothing lost, "Arşive Al" retries. And seeding Yevmiye Numarası Doğrulama from an
archived yevmiye."""

from __future__ import annotations

import io
import re

from sqlalchemy import delete, select

from app.edefter.archive.periods import keep_approved_period
from app.kontor.rules import megabytes
from app.models import (
    CreationState,
    DefterCreation,
    DefterFile,
    DefterFileKind,
    DefterSubmission,
    JournalPeriod,
    JournalPeriodState,
    SubmissionState,
    YevmiyeVerification,
)
from app.models.edefter_archive import ArchiveKind, ArchiveOrigin, EdefterArchivePeriod, PeriodKeeping
from app.storage import file_store
from tests.edefter_archive.conftest import entries, give_mb, page_text, upload, used_mb


def approved_period(app, session, taxpayer, signed_period, *, year: int = 2024, month: int = 1) -> JournalPeriod:  # type: ignore[no-untyped-def]
    """An approved period's rows as Defter Oluştur and sending leave them, its files in the store."""
    period = session.scalar(select(JournalPeriod).where(JournalPeriod.taxpayer_id == taxpayer.id,
                                                        JournalPeriod.year == year, JournalPeriod.month == month))
    if period is None:
        period = JournalPeriod(taxpayer_id=taxpayer.id, branch_code="", year=year, month=month, entry_count=40,
                               line_count=120)
        session.add(period)
    else:  # the fixture's own creation of this period, in this test: built again below, as sending leaves it
        creations = select(DefterCreation.id).where(DefterCreation.period_id == period.id)
        session.execute(delete(DefterFile).where(DefterFile.creation_id.in_(creations)))
        session.execute(delete(DefterCreation).where(DefterCreation.period_id == period.id))
    period.state = JournalPeriodState.APPROVED
    session.flush()
    creation = DefterCreation(taxpayer_id=taxpayer.id, period_id=period.id, state=CreationState.SIGNED,
                              max_part_bytes=24 * 1024, signer_name=taxpayer.unvan, signer_serial="01")
    session.add(creation)
    session.flush()
    with app.app_context():
        store = file_store()
        for item in signed_period.files:
            kept = store.put(io.BytesIO(item.data))
            row = DefterFile(taxpayer_id=taxpayer.id, creation_id=creation.id, kind=item.kind,
                             part_index=item.part_index, file_name=item.file_name, unique_id=item.file_name[:40],
                             signed_key=kept.sha256, signed_size=kept.size)
            session.add(row)
            session.flush()
            approved = next((data for name, data in signed_period.approved.items()
                             if name == f"GIB-{item.file_name}"), None)
            if approved is not None:
                sealed = store.put(io.BytesIO(approved))
                session.add(DefterSubmission(
                    taxpayer_id=taxpayer.id, period_id=period.id, creation_id=creation.id, file_id=row.id,
                    kind=item.kind, part_index=item.part_index, state=SubmissionState.APPROVED,
                    idempotency_key=f"test-{row.id}", requested_by="test", approval_no=f"ONAY-{row.id}",
                    approved_file_name=f"GIB-{item.file_name}", approved_key=sealed.sha256,
                    approved_size=sealed.size, approved_sha256=sealed.sha256, seal_signer="Gelir İdaresi Başkanlığı"))
    session.commit()
    return period


def test_an_approved_period_is_archived_once_under_its_own_storage_keys(
        client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 100)
    period = approved_period(app, db_session, company.taxpayer, signed_period)
    expected = len(signed_period.files) + len(signed_period.approved)
    charged = sum(megabytes(len(f.data)) for f in signed_period.files) + sum(
        megabytes(len(d)) for d in signed_period.approved.values())

    with app.app_context():
        kept = keep_approved_period(period.id)
        again = keep_approved_period(period.id)
    assert kept.state is again.state is PeriodKeeping.ARSIVLENDI
    archived = entries(db_session, company.taxpayer)
    assert len(archived) == expected and {e.origin for e in archived} == {ArchiveOrigin.OWN_PERIOD}
    assert {e.kind for e in archived} == set(ArchiveKind)
    keys = set(db_session.scalars(select(DefterFile.signed_key))) | set(
        db_session.scalars(select(DefterSubmission.approved_key)))
    assert {e.sha256 for e in archived} == keys  # the same storage keys: nothing copied
    assert used_mb(db_session, company.taxpayer) == charged

    page = page_text(client.get("/edefter-arsivi/?yil=2024&ay=1"))
    assert "Portalda oluşturuldu" in page and "Henüz Arşivlenmemiş" not in page


def test_files_uploaded_earlier_are_not_charged_again_when_the_period_is_kept(
        client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 100)
    berat = signed_period.one(DefterFileKind.YEVMIYE_BERAT)
    upload(client, berat.file_name, berat.data)
    assert used_mb(db_session, company.taxpayer) == 1
    period = approved_period(app, db_session, company.taxpayer, signed_period)
    with app.app_context():
        kept = keep_approved_period(period.id)
    total = len(signed_period.files) + len(signed_period.approved)
    assert kept.charged == total - 1 and used_mb(db_session, company.taxpayer) == total
    assert len(entries(db_session, company.taxpayer)) == total


def test_short_kontor_leaves_the_period_not_archived_with_the_reason_and_arsive_al_retries(
        client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    period = approved_period(app, db_session, company.taxpayer, signed_period)
    with app.app_context():
        waiting = keep_approved_period(period.id)
    assert waiting.state is PeriodKeeping.BEKLIYOR and "saklama alanınız (MB) kalmadı" in waiting.reason
    assert entries(db_session, company.taxpayer) == [] and used_mb(db_session, company.taxpayer) == 0
    assert db_session.scalar(select(DefterFile.signed_key).limit(1)) is not None  # Defter Oluştur keeps its files

    page = page_text(client.get("/edefter-arsivi/"))
    assert "Henüz Arşivlenmemiş Onaylı Dönemler" in page and "01/2024" in page and "Arşive Al" in page
    assert "saklama alanınız (MB) kalmadı" in page

    give_mb(app, company.taxpayer, 100)
    response = client.post(f"/edefter-arsivi/donem/{period.id}/arsive-al")
    assert response.status_code == 303
    page = page_text(client.get(response.headers["Location"]))
    assert "dosyası arşive alındı" in page and "Henüz Arşivlenmemiş" not in page
    db_session.expire_all()
    keeping = db_session.scalar(select(EdefterArchivePeriod).where(EdefterArchivePeriod.period_id == period.id))
    assert keeping.state is PeriodKeeping.ARSIVLENDI
    assert len(entries(db_session, company.taxpayer)) == len(signed_period.files) + len(signed_period.approved)


def test_a_period_not_approved_or_of_another_taxpayer_is_not_kept(
        client, company, signed_period, db_session, app, party, login_as):  # type: ignore[no-untyped-def]
    period = approved_period(app, db_session, company.taxpayer, signed_period)
    period.state = JournalPeriodState.SIGNED
    db_session.commit()
    response = client.post(f"/edefter-arsivi/donem/{period.id}/arsive-al")
    assert "Yalnızca GİB'in onayladığı dönemler arşive alınır" in page_text(client.get(response.headers["Location"]))
    login_as(party("ege").taxpayer)
    assert client.post(f"/edefter-arsivi/donem/{period.id}/arsive-al").status_code == 404


def test_an_archived_yevmiye_seeds_yevmiye_numarasi_dogrulama_in_one_click(
        client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 20)
    parts = signed_period.of(DefterFileKind.YEVMIYE)
    assert len(parts) >= 2
    for part in parts:
        upload(client, part.file_name, part.data)
    archived = {e.file_name: e for e in entries(db_session, company.taxpayer)}
    first, last = archived[parts[0].file_name], archived[parts[-1].file_name]

    listed = client.get("/edefter-arsivi/").get_data(as_text=True)
    assert f"/edefter-arsivi/dosya/{last.id}/numaralandirma" in listed
    refused = client.post(f"/edefter-arsivi/dosya/{first.id}/numaralandirma")
    assert "dönemin son yevmiye parçası değil" in page_text(client.get(refused.headers["Location"]))

    response = client.post(f"/edefter-arsivi/dosya/{last.id}/numaralandirma")
    assert response.status_code == 303 and response.headers["Location"].endswith("/edefter/yevmiye-dogrulama")
    page = page_text(client.get(response.headers["Location"]))
    assert "Sonraki yevmiye madde numarası 41" in page
    db_session.expire_all()
    [verification] = db_session.scalars(select(YevmiyeVerification)).all()
    assert (verification.last_entry_counter, verification.sha256) == (40, last.sha256)
    assert re.search(r"son madde no 40", page)
