"""Creating and signing a period through the Defter Oluştur pages, on both databases, with the demo card, the
GİB simulator over HTTP, and the files checked by xmlsec1, GİB's XSD and schematron, and the streaming verifier."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from app.formats.xbrl import namespaces as ns
from app.models import DefterCreation, DefterFile, DefterFileKind, JournalPeriodState
from app.signing.stream_verify import verify_signed_file
from tests.edefter_creation.conftest import text_of
from tests.edefter_creation.gib_checks import schematron_errors, xsd_errors
from tests.fixtures.gib import new_key
from tests.signing.conftest import xmlsec1_verify

NS = {"gl-cor": ns.GL_COR, "gl-bus": ns.GL_BUS, "xbrli": ns.XBRLI, "ds": ns.DS, "edefter": ns.EDEFTER}
STYLESHEETS = {DefterFileKind.YEVMIYE: "edefter_yevmiye_with_ds.xsl", DefterFileKind.KEBIR: "edefter_kebir_with_ds.xsl",
               DefterFileKind.YEVMIYE_BERAT: "edefter_berat_with_ds.xsl",
               DefterFileKind.KEBIR_BERAT: "edefter_berat_with_ds.xsl"}


def create(client: FlaskClient, period_id: int):  # type: ignore[no-untyped-def]
    return client.post(f"/defter/{period_id}/olustur")


def sign(client: FlaskClient, period_id: int, card: dict[str, str], pin: str):  # type: ignore[no-untyped-def]
    confirm = client.post(f"/defter/{period_id}/imza", data=card)
    assert confirm.status_code == 200, text_of(confirm)
    assert "İmza için kullanacağınız sertifika" in text_of(confirm)
    draft = re.search(r'name="taslak" value="([^"]+)"', confirm.get_data(as_text=True))
    assert draft is not None
    return client.post(f"/defter/{period_id}/onayla", data={"taslak": draft.group(1), "sifre": pin})


def files_of(db_session, period_id: int) -> list[DefterFile]:  # type: ignore[no-untyped-def]
    db_session.expire_all()
    creation = db_session.scalar(select(DefterCreation).where(DefterCreation.period_id == period_id))
    assert creation is not None
    return list(db_session.scalars(select(DefterFile).where(DefterFile.creation_id == creation.id)
                                   .order_by(DefterFile.kind, DefterFile.part_index)))


def download(client: FlaskClient, period_id: int, row: DefterFile, folder: Path) -> Path:
    response = client.get(f"/defter/{period_id}/dosya/{row.id}")
    assert response.status_code == 200
    path = folder / row.file_name
    path.write_bytes(response.get_data())
    return path


def test_a_month_becomes_signed_yevmiye_kebir_berats_and_dr_that_gib_and_xmlsec1_accept(
        client, company, gib, journal, small_parts, db_session, demo_pki, tmp_path):  # type: ignore[no-untyped-def]
    month = journal(company.taxpayer.id, 2024, 1, 60)
    page = client.get(f"/defter/{month.period.id}")
    assert "Hesap döneminin ilk ayı" in text_of(page)

    assert create(client, month.period.id).status_code == 303
    page = text_of(client.get(f"/defter/{month.period.id}"))
    assert "İmza Bekleniyor" in page and "İmza bekleniyor" in page
    assert sign(client, month.period.id, company.card(), company.token.pin).status_code == 303

    rows = files_of(db_session, month.period.id)
    kinds = [row.kind for row in rows]
    yevmiye = [row for row in rows if row.kind is DefterFileKind.YEVMIYE]
    assert len(yevmiye) >= 3, "24 KB parts: the month must split"
    assert kinds.count(DefterFileKind.YEVMIYE_BERAT) == len(yevmiye)
    assert kinds.count(DefterFileKind.KEBIR_BERAT) == kinds.count(DefterFileKind.KEBIR)
    assert kinds.count(DefterFileKind.DEFTER_RAPORU) == 1
    assert [r.file_name for r in yevmiye][:2] == [f"{company.taxpayer.identifier}-202401-Y-000001.xml",
                                                 f"{company.taxpayer.identifier}-202401-Y-000002.xml"]
    # Numbering runs on across parts, and no madde is split.
    counters: list[int] = []
    lines: list[int] = []
    for row in rows:
        path = download(client, month.period.id, row, tmp_path)
        assert xmlsec1_verify(path.read_bytes(), demo_pki.ca_cert_path, tmp_path).returncode == 0, row.file_name
        result = verify_signed_file(path, demo_pki.trust_anchors(), expected_owner_id=company.taxpayer.identifier)
        assert result.ok, result.message
        assert xsd_errors(path) == [], row.file_name
        if row.kind in STYLESHEETS:
            assert schematron_errors(path, STYLESHEETS[row.kind]) == [], row.file_name
        if row.kind is DefterFileKind.YEVMIYE:
            root = etree.parse(str(path)).getroot()
            counters += [int(c) for c in root.xpath("//gl-cor:entryHeader/gl-cor:entryNumberCounter/text()", namespaces=NS)]
            lines += [int(n) for n in root.xpath("//gl-cor:entryDetail/gl-cor:lineNumber/text()", namespaces=NS)]
            for header in root.iterfind(".//gl-cor:entryHeader", NS):
                assert len(header.findall("gl-cor:entryDetail", NS)) == 3
    assert counters == list(range(1, 61))
    assert lines == list(range(1, 181))

    page = text_of(client.get(f"/defter/{month.period.id}"))
    assert "İmzalandı" in page and "İmza geçerli" in page
    db_session.expire_all()
    assert month.period.state is JournalPeriodState.SIGNED

    with client.get(f"/defter/{month.period.id}/indir.zip") as exported:
        assert exported.status_code == 200
        data = exported.get_data()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == len(rows) + 1 and "SHA256SUMS.txt" in names
        manifest = archive.read("SHA256SUMS.txt").decode()
        for row in rows:
            assert f"{row.signed_key}  {row.file_name}" in manifest


def test_the_berat_carries_the_defters_signature_value_size_and_entry_count(
        client, company, gib, journal, db_session, tmp_path):  # type: ignore[no-untyped-def]
    month = journal(company.taxpayer.id, 2024, 1, 8)
    create(client, month.period.id)
    sign(client, month.period.id, company.card(), company.token.pin)
    rows = {row.kind: row for row in files_of(db_session, month.period.id)}
    defter = etree.parse(str(download(client, month.period.id, rows[DefterFileKind.YEVMIYE], tmp_path))).getroot()
    berat_path = download(client, month.period.id, rows[DefterFileKind.YEVMIYE_BERAT], tmp_path)
    berat = etree.parse(str(berat_path)).getroot()
    copied = berat.find("ds:SignatureValue", NS)
    original = defter.find("ds:Signature/ds:SignatureValue", NS)
    assert copied is not None and original is not None
    assert copied.text == original.text and copied.get("Id") == original.get("Id")
    segment = berat.find(".//xbrli:segment", NS)
    assert segment.findtext("gl-bus:numberOfEntries", namespaces=NS) == "8"
    assert segment.findtext("gl-bus:measurableQuantity", namespaces=NS) == str(rows[DefterFileKind.YEVMIYE].signed_size)
    # The tax detail sums the KDV and sales accounts of the part.
    details = {(d.findtext("gl-cor:account/gl-cor:accountMainID", namespaces=NS), d.findtext("gl-cor:debitCreditCode", namespaces=NS)):
               d.findtext("gl-cor:amount", namespaces=NS) for d in berat.iterfind(".//gl-cor:entryDetail", NS)}
    assert len(details) == 10
    sales = defter.xpath("sum(//gl-cor:entryDetail[gl-cor:account/gl-cor:accountMainID='600']/gl-cor:amount)", namespaces=NS)
    assert float(details[("600", "C")]) == pytest.approx(sales)
    # The DR lists each main account that moved with its line counts.
    report = etree.parse(str(download(client, month.period.id, rows[DefterFileKind.DEFTER_RAPORU], tmp_path))).getroot()
    assert report.tag == ns.DEFTER_RAPORU
    accounts = set(report.xpath("//gl-cor:accountMainID/text()", namespaces=NS))
    assert accounts == {"120", "600", "391", "153", "191", "320"}
    sales_count = report.xpath("string(//gl-cor:entryDetail[gl-cor:account/gl-cor:accountMainID='600']/gl-cor:documentApplyToNumber)",
                               namespaces=NS)
    assert sales_count == "4"
    # GİB's simulator accepts the berat (signature, owner, period) over HTTP.
    approval = gib.submit_berat(berat_path.read_bytes(), idempotency_key=new_key())
    assert approval.kind == "YB" and approval.period == "2024-01"


def test_where_gibs_schematron_is_configured_every_part_passes_it_before_signing(
        app, client, company, gib, journal, small_parts, db_session):  # type: ignore[no-untyped-def]
    from tests.edefter_creation.gib_checks import SCHEMATRON, require_gib_package

    require_gib_package()
    app.config["EDEFTER_SCHEMATRON_DIR"] = str(SCHEMATRON)
    month = journal(company.taxpayer.id, 2024, 1, 20)
    assert create(client, month.period.id).status_code == 303
    page = text_of(client.get(f"/defter/{month.period.id}"))
    assert "İmza Bekleniyor" in page and "GİB kurallarına uymayan" not in page
    app.config["EDEFTER_SCHEMATRON_DIR"] = "/yok/boyle/bir/klasor"
    assert create(client, month.period.id).status_code == 303
    page = text_of(client.get(f"/defter/{month.period.id}"))
    assert "GİB şematron dosyası bulunamadı" in page


def test_the_period_block_refreshes_itself_while_its_job_runs(
        client, company, gib, journal, small_parts, db_session):  # type: ignore[no-untyped-def]
    """After "Oluştur" (and after the PIN) a job runs: the period block asks for itself every 2 s, so the card form
    or the signed files appear when the job ends, and stops asking then; the job widget inside does not poll too."""
    from sqlalchemy import update

    from app.models import Job
    from app.models.job import JobStatus

    month = journal(company.taxpayer.id, 2024, 1, 6)
    assert create(client, month.period.id).status_code == 303
    creation = db_session.scalar(select(DefterCreation).where(DefterCreation.period_id == month.period.id))
    db_session.execute(update(Job).where(Job.id == creation.job_id).values(status=JobStatus.CALISIYOR))
    db_session.commit()
    running = client.get(f"/defter/{month.period.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in running and running.count('hx-trigger="every') == 1
    assert re.search(r'<div id="donem" hx-get="[^"]+"\s+hx-trigger="every 2s"', running)

    db_session.execute(update(Job).where(Job.id == creation.job_id).values(status=JobStatus.TAMAMLANDI))
    db_session.commit()
    done = client.get(f"/defter/{month.period.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every' not in done and 'id="imza-formu"' in done
