"""Hostile or broken uploads end with a clear Turkish reason and a finished upload, never a heap in memory or an
upload left "Sırada" for ever."""

from __future__ import annotations

from sqlalchemy import select

from app.models.edefter_archive import ArchiveUploadStatus, EdefterArchiveUpload
from tests.edefter_archive.conftest import entries, give_mb, page_text, upload, used_mb


def test_a_file_that_is_not_a_zip_ends_its_upload_with_the_reason(client, company, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 5)
    response = upload(client, "sahte.zip", b"PK\x03\x04 bu bir zip degil")
    assert "geçerli bir .zip arşivi değil" in page_text(client.get(response.headers["Location"]))
    db_session.expire_all()
    [kept] = db_session.scalars(select(EdefterArchiveUpload)).all()
    assert kept.status is ArchiveUploadStatus.HATA and "geçerli bir .zip arşivi değil" in (kept.error or "")
    assert "Sırada" not in page_text(client.get("/edefter-arsivi/"))


def test_a_huge_file_posing_as_gibs_approved_berat_is_refused_before_it_is_parsed(client, company, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 10)
    padding = b"<a>" + b"x" * (3 * 1024 * 1024) + b"</a>"
    data = b'<onay:GibOnayliBerat xmlns:onay="http://www.gib.gov.tr/edefter/onay">' + padding + \
        b"</onay:GibOnayliBerat>"

    response = upload(client, "GIB-buyuk.xml", data)

    page = page_text(client.get(response.headers["Location"]))
    assert "Dosya çok büyük" in page and "en fazla 2 MB" in page, page
    assert entries(db_session, company.taxpayer) == [] and used_mb(db_session, company.taxpayer) == 0


def test_a_stored_file_gone_from_the_store_names_the_store_instead_of_an_error_page(
        client, company, signed_period, db_session, app, tmp_path):  # type: ignore[no-untyped-def]
    from app.models import DefterFileKind
    from app.storage import EXTENSION, LocalFileStore

    give_mb(app, company.taxpayer, 5)
    berat = signed_period.one(DefterFileKind.YEVMIYE_BERAT)
    upload(client, berat.file_name, berat.data)
    [entry] = entries(db_session, company.taxpayer)
    app.extensions[EXTENSION] = LocalFileStore(tmp_path / "bos-depo")  # the store moved: the file is not there

    for path in (f"/edefter-arsivi/dosya/{entry.id}", f"/edefter-arsivi/dosya/{entry.id}/dogrula",
                 "/edefter-arsivi/donem.zip?yil=2024&ay=1&sube="):
        response = client.get(path)
        assert response.status_code == 303, path
        assert "Belge deposuna ulaşılamıyor" in page_text(client.get(response.headers["Location"])), path


def test_a_small_zip_that_inflates_past_the_request_bound_is_checked_by_a_job(client, company, db_session, app):  # type: ignore[no-untyped-def]
    from app.edefter.archive import rules
    from tests.edefter_archive.conftest import zipped

    give_mb(app, company.taxpayer, 5)
    inflating = zipped({"buyuk.xml": b"<a>" + b" " * (rules.IMMEDIATE_BYTES + 1024) + b"</a>"})
    assert len(inflating) < 100 * 1024

    response = upload(client, "kucuk.zip", inflating)

    assert response.status_code == 303
    db_session.expire_all()
    [kept] = db_session.scalars(select(EdefterArchiveUpload)).all()
    assert kept.job_id is not None  # not inflated and checked inside the web request
    assert "bir e-Defter dosyası (yevmiye" in page_text(client.get(response.headers["Location"]))


def test_a_periods_zip_never_holds_two_members_of_one_name():  # type: ignore[no-untyped-def]
    from app.edefter.archive.download import member_names
    from app.models.edefter_archive import EdefterArchiveEntry

    files = [EdefterArchiveEntry(id=7, file_name="yevmiye.xml"), EdefterArchiveEntry(id=8, file_name="9-yevmiye.xml"),
             EdefterArchiveEntry(id=9, file_name="yevmiye.xml"), EdefterArchiveEntry(id=10, file_name="../yevmiye.xml")]

    names = member_names(files)

    assert len(set(names)) == len(files) and names[:2] == ["yevmiye.xml", "9-yevmiye.xml"]
    assert all("/" not in name and not name.startswith(".") for name in names)
