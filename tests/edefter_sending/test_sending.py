"""A signed month sent to GİB's simulator (real socket) from the Defter Oluştur page, on both databases."""

from __future__ import annotations

import io
import hashlib
import zipfile

from app.models import DefterFileKind, JournalPeriodState
from app.models.defter_submission import SubmissionState
from tests.edefter_sending.conftest import submissions, text_of


def test_a_signed_month_is_sent_approved_and_its_sealed_berats_kept_in_the_package(
        client, company, gib, signed_month, small_parts, db_session):  # type: ignore[no-untyped-def]
    period = signed_month(2024, 1, 40)
    page = text_of(client.get(f"/defter/{period.id}"))
    assert "GİB'e Gönder" in page

    assert client.post(f"/defter/{period.id}/gonder").status_code == 303
    rows = submissions(db_session, period.id)
    kinds = [row.kind for row in rows]
    assert kinds.count(DefterFileKind.YEVMIYE_BERAT) >= 2 and kinds.count(DefterFileKind.DEFTER_RAPORU) == 1
    assert all(row.state is SubmissionState.APPROVED for row in rows), [(r.kind, r.gib_message) for r in rows]
    db_session.refresh(period)
    assert period.state is JournalPeriodState.APPROVED
    berats = [row for row in rows if row.kind is not DefterFileKind.DEFTER_RAPORU]
    assert all(row.seal_signer and "3900383669" in row.seal_signer for row in berats)
    assert berats[0].approved_file_name == f"GIB-{company.taxpayer.identifier}-202401-YB-000001.xml"

    page = text_of(client.get(f"/defter/{period.id}"))
    assert "GİB Onaylandı" in page and "GİB onaylı dönem değiştirilemez" in page
    sealed = client.get(f"/defter/{period.id}/gonderim/{berats[0].id}/onayli-berat")
    assert sealed.status_code == 200 and hashlib.sha256(sealed.get_data()).hexdigest() == berats[0].approved_key
    report = text_of(client.get(f"/defter/{period.id}/gonderim/{berats[0].id}/dogrula"))
    assert "GİB mührü geçerli: Gelir İdaresi Başkanlığı" in report

    with client.get(f"/defter/{period.id}/indir.zip") as exported:
        data = exported.get_data()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        manifest = dict(reversed(line.split("  ")) for line in archive.read("SHA256SUMS.txt").decode().splitlines())
        assert set(manifest) == set(names) - {"SHA256SUMS.txt"}
        for name in names:
            if name != "SHA256SUMS.txt":
                assert hashlib.sha256(archive.read(name)).hexdigest() == manifest[name]
        for row in berats:
            assert row.approved_file_name in names

    # GİB holds exactly one approval per berat and the DR.
    status = gib.period_berats(company.taxpayer.identifier, "2024-01")
    assert len(status.berats) == len(berats)


def test_the_sending_block_polls_itself_only_while_its_job_runs(app, client, company, gib, signed_month,
                                                                  db_session):  # type: ignore[no-untyped-def]
    from sqlalchemy import select, update

    from app.models import Job
    from app.models.job import JobStatus

    period = signed_month(2024, 1, 6)
    app.config["GIB_URL"] = "http://127.0.0.1:9"
    client.post(f"/defter/{period.id}/gonder")
    job_id = db_session.scalar(select(Job.id).where(Job.kind == "edefter_gonderim"))
    fragment = client.get(f"/defter/{period.id}/gonderim", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith("<section")
    assert 'hx-trigger="every 1s"' not in body and "Tekrar Gönder" in body

    db_session.execute(update(Job).where(Job.id == job_id).values(status=JobStatus.CALISIYOR))
    db_session.commit()
    running = client.get(f"/defter/{period.id}/gonderim", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in running and "Tekrar Gönder" not in running
    assert "<html" not in running
    # A second press while the job runs answers with that job: nothing is sent twice.
    client.post(f"/defter/{period.id}/gonder")
    assert db_session.scalar(select(Job.id).where(Job.kind == "edefter_gonderim").order_by(Job.id.desc())) == job_id


def test_the_cli_package_of_an_approved_period_carries_gibs_sealed_berats(
        app, client, company, gib, signed_month, db_session, tmp_path):  # type: ignore[no-untyped-def]
    period = signed_month(2024, 1, 6)
    client.post(f"/defter/{period.id}/gonder")
    vkn = company.taxpayer.identifier
    target = tmp_path / "donem.zip"
    exported = app.test_cli_runner().invoke(args=["edefter", "export", vkn, "2024-01", str(target)])
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        sums = archive.read("SHA256SUMS.txt").decode()
        assert {f"GIB-{vkn}-202401-YB-000001.xml", f"GIB-{vkn}-202401-KB-000001.xml"} <= names
        for name in names - {"SHA256SUMS.txt"}:
            assert f"{hashlib.sha256(archive.read(name)).hexdigest()}  {name}" in sums


def _keeping(db_session, period_id):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.models.edefter_archive import EdefterArchivePeriod

    db_session.expire_all()
    return db_session.scalars(select(EdefterArchivePeriod).where(EdefterArchivePeriod.period_id == period_id)).one()


def test_an_approved_month_goes_to_the_archive_and_is_charged_by_size(
        app, client, company, gib, signed_month, small_parts, db_session):  # type: ignore[no-untyped-def]
    from datetime import date, timedelta

    from app.kontor.operations import load_package
    from app.models.edefter_archive import PeriodKeeping
    from app.models.kontor import KontorUnit

    with app.app_context():
        load_package(company.taxpayer.identifier, 50, date.today() + timedelta(days=365), unit=KontorUnit.MB)
    period = signed_month(2024, 1, 40)
    assert client.post(f"/defter/{period.id}/gonder").status_code == 303
    keeping = _keeping(db_session, period.id)
    assert keeping.state is PeriodKeeping.ARSIVLENDI and keeping.file_count > 0 and keeping.charged >= 1
    listed = text_of(client.get("/edefter-arsivi/?yil=2024"))
    assert f"GIB-{company.taxpayer.identifier}-202401-YB-000001.xml" in listed


def test_without_kontor_the_approval_stands_and_the_archive_waits(
        client, company, gib, signed_month, small_parts, db_session):  # type: ignore[no-untyped-def]
    from app.models.edefter_archive import PeriodKeeping

    period = signed_month(2024, 1, 40)
    assert client.post(f"/defter/{period.id}/gonder").status_code == 303
    db_session.refresh(period)
    assert period.state is JournalPeriodState.APPROVED
    keeping = _keeping(db_session, period.id)
    assert keeping.state is PeriodKeeping.BEKLIYOR and "kontör" in keeping.reason.lower()
    assert "Arşive Al" in text_of(client.get("/edefter-arsivi/"))
