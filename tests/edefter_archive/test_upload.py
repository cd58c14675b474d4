"""Uploading e-Defter files to the archive through the page: every kind accepted, each refused file with its
Turkish reason, MB of kontör charged once, duplicates free, an empty balance refused, another taxpayer's → 404."""

from __future__ import annotations

import re

import pytest

from app.kontor.rules import NEW_PACKAGE, megabytes
from app.models import DefterFileKind, EdefterBranch
from app.models.edefter_archive import ArchiveKind, ArchiveOrigin, EdefterArchiveUpload
from app.formats.xbrl.model import Branch
from tests.edefter_archive.conftest import entries, give_mb, page_text, upload, used_mb, zipped
from tests.edefter_archive.files import signed_yevmiye


def result_page(client, response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 303, page_text(response)
    return page_text(client.get(response.headers["Location"]))


def test_every_kind_of_a_signed_period_is_archived_once_and_charged_by_size(
        client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 100)
    members = {f.file_name: f.data for f in signed_period.files} | signed_period.approved

    page = result_page(client, upload(client, "2024-01.zip", zipped(members)))

    assert "Reddedildi" not in re.sub(r"Reddedildi\s*\(", "", page.split("Sıra")[1]), page
    kept = entries(db_session, company.taxpayer)
    assert {e.kind for e in kept} == set(ArchiveKind)
    assert len(kept) == len(members)
    assert all((e.year, e.month, e.origin) == (2024, 1, ArchiveOrigin.UPLOAD) for e in kept)
    charged = sum(megabytes(len(data)) for data in members.values())
    assert used_mb(db_session, company.taxpayer) == charged == sum(e.charged for e in kept)
    gib_berats = [e for e in kept if e.kind is ArchiveKind.GIB_YEVMIYE_BERAT]
    assert gib_berats and all(e.signer_identifier == "3900383669" for e in gib_berats)
    assert all(e.signer_identifier == company.taxpayer.identifier for e in kept if e not in gib_berats
               and e.kind is not ArchiveKind.GIB_KEBIR_BERAT)
    assert all("GİB XSD" in e.checks for e in kept)

    again = result_page(client, upload(client, "yine.zip", zipped(members)))
    assert again.count("Aynı dosya arşivde zaten var; kontör düşülmedi.") == len(members)
    assert used_mb(db_session, company.taxpayer) == charged
    assert len(entries(db_session, company.taxpayer)) == len(members)


def test_the_list_searches_by_year_period_and_kind_and_downloads_the_original_bytes(
        client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 20)
    yevmiye = signed_period.of(DefterFileKind.YEVMIYE)
    for part in yevmiye:
        result_page(client, upload(client, part.file_name, part.data))
    dr = signed_period.one(DefterFileKind.DEFTER_RAPORU)
    result_page(client, upload(client, dr.file_name, dr.data))

    listed = page_text(client.get("/edefter-arsivi/?yil=2024&ay=1&tur=Y", headers={"HX-Request": "true"}))
    assert f"{len(yevmiye)} dosya" in listed and yevmiye[0].file_name in listed and dr.file_name not in listed
    assert "0 dosya" in page_text(client.get("/edefter-arsivi/?yil=2023"))
    kept = {e.file_name: e for e in entries(db_session, company.taxpayer)}
    download = client.get(f"/edefter-arsivi/dosya/{kept[dr.file_name].id}")
    assert download.status_code == 200 and download.get_data() == dr.data
    report = page_text(client.get(f"/edefter-arsivi/dosya/{kept[dr.file_name].id}/dogrula"))
    assert "İmza geçerli" in report or "GEÇERLİ" in report

    import io
    import zipfile

    with client.get("/edefter-arsivi/donem.zip?yil=2024&ay=1&sube=") as response:
        assert response.status_code == 200
        data = response.get_data()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read(dr.file_name) == dr.data
        assert f"{kept[dr.file_name].sha256}  {dr.file_name}" in archive.read("SHA256SUMS.txt").decode()
        assert len(archive.namelist()) == len(yevmiye) + 2


def test_another_taxpayers_file_wrong_period_and_unknown_branch_are_refused_with_the_reason(
        client, company, signed_period, db_session, app, demo_pki, tmp_path):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 20)
    berat = signed_period.one(DefterFileKind.YEVMIYE_BERAT)

    page = result_page(client, upload(client, berat.file_name, berat.data, period="2023-12"))
    assert "Dosya 01/2024 dönemine ait; yükleme için 12/2023 dönemi seçildi." in page

    other = signed_yevmiye(tmp_path / "ege.xml", demo_pki, "ege")
    page = result_page(client, upload(client, "ege.xml", other.read_bytes()))
    assert "Bu dosya başka bir mükellefe ait" in page and company.taxpayer.identifier in page

    branched = signed_yevmiye(tmp_path / "sube.xml", demo_pki, "anadolu", branch=Branch("0007", "İzmir Şubesi"))
    page = result_page(client, upload(client, "sube.xml", branched.read_bytes()))
    assert "Dosya 0007 kodlu şubeye ait; bu şube Firma Ayarları'ndaki şubeleriniz arasında yok." in page

    db_session.add(EdefterBranch(taxpayer_id=company.taxpayer.id, code="0007", name="İzmir Şubesi"))
    db_session.commit()
    page = result_page(client, upload(client, "sube.xml", branched.read_bytes()))
    assert "Arşivlendi" in page or "Saklandı" in page
    assert [(e.branch_code, e.year, e.month) for e in entries(db_session, company.taxpayer)] == [("0007", 2023, 12)]


def test_a_tampered_byte_an_xsd_breach_and_hostile_xml_are_refused(
        client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 20)
    yevmiye = signed_period.one(DefterFileKind.YEVMIYE).data
    assert b"Muhasebe" in yevmiye
    tampered = yevmiye.replace(b"Muhasebe", b"Muhasebx", 1)
    page = result_page(client, upload(client, "degisik.xml", tampered))
    assert "İmza doğrulanamadı" in page

    berat = signed_period.one(DefterFileKind.YEVMIYE_BERAT).data
    invalid = berat.replace(b"<gl-cor:entriesType", b"<gl-cor:bilinmeyen>x</gl-cor:bilinmeyen><gl-cor:entriesType", 1)
    assert invalid != berat
    page = result_page(client, upload(client, "xsd.xml", invalid))
    assert "GİB'in e-Defter şemasına (edefter.xsd) uymuyor" in page
    assert "<bilinmeyen> öğesi" in page and "not expected" not in page  # said in Turkish, not libxml2's English

    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<edefter:defter xmlns:edefter="http://www.edefter.gov.tr">&lol2;</edefter:defter>')
    page = result_page(client, upload(client, "laughs.xml", laughs))
    assert "DOCTYPE" in page
    entity = berat.replace(b"</gl-cor:entriesType>", b"&xxe;</gl-cor:entriesType>", 1)
    assert entity != berat
    page = result_page(client, upload(client, "entity.xml", entity))
    assert "varlık (entity)" in page

    assert entries(db_session, company.taxpayer) == []
    assert used_mb(db_session, company.taxpayer) == 0


def test_a_zip_keeps_its_good_files_and_refuses_each_bad_member_with_its_reason(
        client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 20)
    berat = signed_period.one(DefterFileKind.KEBIR_BERAT)
    members = {berat.file_name: berat.data, "../../etc/kacak.xml": berat.data, "notlar.txt": b"merhaba",
               "bozuk.xml": b"<edefter:berat xmlns:edefter='http://www.edefter.gov.tr'><yarim>"}
    page = result_page(client, upload(client, "karisik.zip", zipped(members)))

    assert "arşivin dışına çıkan" in page
    assert "notlar.txt: yalnızca XBRL/XML (.xml) e-Defter dosyaları arşivlenebilir." in page
    assert "bozuk ya da yarıda kesilmiş" in page
    assert "1 arşivlendi" in page and "3 reddedildi" in page
    assert [e.file_name for e in entries(db_session, company.taxpayer)] == [berat.file_name]

    not_zip = upload(client, "sahte.zip", b"PK\x03\x04 bu bir zip degil")
    assert "geçerli bir .zip arşivi değil" in result_page(client, not_zip)


def test_an_empty_mb_balance_refuses_the_upload_with_the_seeds_sentence_and_stores_nothing(
        client, company, signed_period, db_session):  # type: ignore[no-untyped-def]
    berat = signed_period.one(DefterFileKind.YEVMIYE_BERAT)
    response = upload(client, berat.file_name, berat.data)
    assert response.status_code == 303
    page = page_text(client.get(response.headers["Location"]))
    assert f"Kullanılabilir saklama alanınız (MB) kalmadı; belge saklanamadı. {NEW_PACKAGE}" in page
    assert entries(db_session, company.taxpayer) == []
    assert db_session.query(EdefterArchiveUpload).count() == 0


def test_a_balance_short_for_a_file_refuses_that_file_only(client, company, signed_period, db_session, app):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 1)
    first, second = signed_period.of(DefterFileKind.YEVMIYE)[:2]
    page = result_page(client, upload(client, "iki.zip", zipped({first.file_name: first.data,
                                                                  second.file_name: second.data})))
    assert "1 arşivlendi" in page and "Kullanılabilir saklama alanınız (MB) kalmadı" in page
    assert used_mb(db_session, company.taxpayer) == 1


def test_another_taxpayers_archive_is_not_found(client, company, signed_period, db_session, app, party, login_as):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 5)
    berat = signed_period.one(DefterFileKind.YEVMIYE_BERAT)
    response = upload(client, berat.file_name, berat.data)
    upload_path = response.headers["Location"]
    [entry] = entries(db_session, company.taxpayer)

    login_as(party("ege").taxpayer)
    for path in (f"/edefter-arsivi/dosya/{entry.id}", f"/edefter-arsivi/dosya/{entry.id}/dogrula", upload_path):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/edefter-arsivi/dosya/{entry.id}/numaralandirma").status_code == 404
    assert berat.file_name not in page_text(client.get("/edefter-arsivi/"))


def test_an_unreachable_store_is_named_on_the_page_and_refuses_uploads(client, company, app, signed_period,
                                                                       tmp_path):  # type: ignore[no-untyped-def]
    from app.storage import EXTENSION, LocalFileStore

    give_mb(app, company.taxpayer, 5)
    blocker = tmp_path / "dosya"
    blocker.write_text("bir klasör değil")
    app.extensions[EXTENSION] = LocalFileStore(blocker / "depo")
    page = page_text(client.get("/edefter-arsivi/"))
    assert f"Belge deposuna ulaşılamıyor ({blocker / 'depo'})" in page
    berat = signed_period.one(DefterFileKind.YEVMIYE_BERAT)
    page = page_text(client.get(upload(client, berat.file_name, berat.data).headers["Location"]))
    assert "Belge deposuna ulaşılamıyor" in page and "Toplam 0 dosya" in page


def test_a_file_is_charged_its_size_in_mb_rounded_up(client, company, db_session, app, demo_pki, tmp_path):  # type: ignore[no-untyped-def]
    give_mb(app, company.taxpayer, 10)
    yevmiye = signed_yevmiye(tmp_path / "buyukce.xml", demo_pki, "anadolu", target_bytes=int(2.4 * 1024 * 1024))
    size = yevmiye.stat().st_size
    assert 2 * 1024 * 1024 < size < 3 * 1024 * 1024

    page = result_page(client, upload(client, "buyukce.xml", yevmiye.read_bytes()))

    assert "1 arşivlendi" in page and "3 MB kontör düşüldü" in page
    [entry] = entries(db_session, company.taxpayer)
    assert (entry.size, entry.charged, used_mb(db_session, company.taxpayer)) == (size, 3, 3)
    assert "Kullanılabilir saklama alanı: 7 MB" in page_text(client.get("/edefter-arsivi/"))


def test_the_page_shows_the_mb_balance_the_archive_spends(app, client, company):  # type: ignore[no-untyped-def]
    """The archive charges MB: its page names that balance, not the document units Belge Saklama spends."""
    from datetime import date, timedelta

    from app.kontor.operations import load_package

    with app.app_context():
        load_package(company.taxpayer.identifier, 1000, date.today() + timedelta(days=365))  # units, not MB
    page = page_text(client.get("/edefter-arsivi/"))
    assert "Kullanılabilir saklama alanı: 0 MB" in page and "1000 Adet" not in page
    give_mb(app, company.taxpayer, 37)
    assert "Kullanılabilir saklama alanı: 37 MB" in page_text(client.get("/edefter-arsivi/"))


@pytest.mark.parametrize("period", [b"2024-1x", b"2024-13", b"0000-01"])
def test_a_gib_approved_berat_with_a_broken_period_is_refused_not_a_server_error(
        client, company, signed_period, db_session, app, period):  # type: ignore[no-untyped-def]
    """The wrapper's Dönem is read before any signature is checked: a hostile one is a Turkish refusal."""
    give_mb(app, company.taxpayer, 20)
    name, sealed = next(iter(signed_period.approved.items()))
    broken = re.sub(rb"<(\w+:)?Donem>[^<]*<", lambda m: m.group(0).split(b">")[0] + b">" + period + b"<", sealed, 1)
    assert broken != sealed
    response = upload(client, name, broken)
    assert response.status_code == 303
    page = result_page(client, response)
    assert "GİB onaylı beratın dönemi" in page or "onay bilgilerinden biri" in page
    assert entries(db_session, company.taxpayer) == []
