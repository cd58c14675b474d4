"""A 10,000-member zip on both databases (each reason shown, only the good ones stored and charged), and an import
whose worker is killed with SIGKILL and rerun by a new worker: what is stored is charged, nothing twice."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.models import ArchivedDocument, ArchiveImport, ImportVerdict, JobStatus, KontorMovement, Taxpayer, Verdict
from app.models.kontor import MovementKind
from tests.archive.conftest import activate_saklama, give_kontor, remaining, stored_count, upload, used_kontor
from tests.jobs.conftest import portal  # noqa: F401  (real workers on both databases and queues)
from tests.jobs.workers import wait_for

pytestmark = pytest.mark.slow


def test_a_zip_of_ten_thousand_documents(app, client, db_session, login_as, anadolu, big_corpus):
    data, expected = big_corpus
    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 1000)
    login_as(anadolu.taxpayer)

    page = upload(client, "on-bin.zip", data, follow_redirects=True).get_data(as_text=True)

    db_session.expire_all()
    done = db_session.scalars(select(ArchiveImport)).one()
    assert (done.total, done.processed) == (10_000, 10_000)
    assert (done.stored_count, done.duplicate_count, done.refused_count) == (
        expected["saklandi"], expected["zaten"], expected["reddedildi"])
    assert stored_count(db_session, anadolu.taxpayer) == 300 == used_kontor(db_session, anadolu.taxpayer)
    assert remaining(db_session, anadolu.taxpayer) == 700 and done.charged == 300
    reasons = dict(db_session.execute(
        select(ImportVerdict.filename, ImportVerdict.reason).where(ImportVerdict.verdict == Verdict.REDDEDILDI)).all())
    assert "bu mükellefe ait değil" in reasons["yabanci/0.xml"]
    assert "değiştirilmiş" in reasons["degismis/0.xml"]
    assert "İmza geçersiz" in reasons["bozuk-imza/0.xml"]
    assert "güvenilen" in reasons["bilinmeyen/0.xml"]
    assert "DOCTYPE" in reasons["saldirgan/0.xml"]
    assert "300 saklandı" in page and "3700 reddedildi" in page
    refused_page = client.get(f"/yonetim/belge-saklama/yukleme/{done.id}?sonuc=reddedildi").get_data(as_text=True)
    assert "yabanci/" in refused_page or "degismis/" in refused_page


def test_an_import_killed_with_sigkill_is_continued_and_stays_consistent(portal, demo_pki, distinct_corpus):  # noqa: F811
    site = portal(TRUST_ANCHORS=str(demo_pki.ca_cert_path), ARCHIVE_CHECK_WORKERS=2)  # a checking process too
    db = site.app.extensions["ebelge.db"]
    with db.sessions() as session:
        taxpayer = Taxpayer(identifier="4821307561", unvan="Anadolu Tekstil Sanayi ve Ticaret A.Ş.")
        session.add(taxpayer)
        session.commit()
        activate_saklama(session, taxpayer)
        session.expunge(taxpayer)
    give_kontor(site.app, taxpayer, 5000)
    first = site.start_worker()
    from app.archive.operations import start_import

    with site.app.app_context():
        started = start_import(taxpayer, "uc-bin.zip", io.BytesIO(distinct_corpus))
    wait_for(lambda: site.job(started.job_id).progress >= 20, 60, "içe aktarma ilerlemedi", first.log)
    checkers = _children(first.pid)
    assert checkers, "the import checks in a process of its own"
    first.kill()
    # The killed job's checking process notices the end of its pipe and leaves: nothing lingers.
    wait_for(lambda: not any(os.path.exists(f"/proc/{pid}") and _alive(pid) for pid in checkers), 30,
             "kontrol süreci işçiyle birlikte bitmedi", first.log)

    def consistent() -> tuple[int, int, int]:
        with db.sessions() as session:
            upload = session.get(ArchiveImport, started.id)
            documents = session.scalar(select(func.count()).select_from(ArchivedDocument))
            charged = session.scalar(select(func.coalesce(func.sum(KontorMovement.amount), 0))
                                     .where(KontorMovement.kind == MovementKind.KULLANIM))
            assert documents == charged == upload.stored_count == upload.processed  # all good documents
            return documents, upload.processed, upload.total

    kept, processed, total = consistent()
    assert 0 < kept < 3000 and total == 3000
    second = site.start_worker()
    wait_for(lambda: site.job(started.job_id).status is JobStatus.TAMAMLANDI, 120, "yeniden başlayan işçi bitirmedi",
             second.log)
    kept, processed, _ = consistent()
    assert kept == processed == 3000
    with db.sessions() as session:
        distinct = session.scalar(select(func.count(func.distinct(ArchivedDocument.ettn))))
        assert distinct == 3000 and site.job(started.job_id).attempts == 2


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as children:
            found += [int(child) for child in children.read().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except OSError:
        return False
