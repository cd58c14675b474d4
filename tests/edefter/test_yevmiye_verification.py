"""Yevmiye Numarası Doğrulama (SPEC D4) through the web form: files written (and signed) by the core."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.formats.xbrl.model import Branch, LedgerAccount, LedgerLine
from app.formats.xbrl.samples import sample_company, sample_document, write_kebir_file
from app.models import AuditEvent, EdefterBranch, YevmiyeVerification
from app.signing.demo_pki import DEFAULT_DEMO_TAXPAYERS
from tests.edefter.conftest import (
    audit_count,
    signed_yevmiye_bytes,
    text_of,
    verification_count,
    yevmiye_bytes,
    zipped,
)

NO_VERIFICATION = "Yevmiye numaralandırması 1'den başlayacak."


def stored(db_session) -> list[YevmiyeVerification]:
    db_session.expire_all()
    return list(db_session.scalars(select(YevmiyeVerification).order_by(YevmiyeVerification.id)))


def test_without_a_verification_numbering_starts_at_1(client, anadolu):
    page = text_of(client.get("/edefter/yevmiye-dogrulama"))
    assert f"Şubesiz defter: {NO_VERIFICATION}" in page
    assert "Henüz yevmiye dosyası yüklenmedi." in page


def test_a_signed_yevmiye_sets_the_next_number(client, anadolu, upload, db_session):
    data = signed_yevmiye_bytes(anadolu.taxpayer.identifier, count=7, first_counter=41)
    response = upload(data, "4821307561-202403-Y-000001.xml")
    assert response.status_code == 303, text_of(response)
    page = text_of(client.get(response.headers["Location"]))
    assert ("Yevmiye doğrulandı: 03/2024 dönemine ait YEV202403000001 defterinin son yevmiye madde numarası 47, "
            "son satır numarası 21.") in page
    assert ("Şubesiz defter: Sonraki yevmiye madde numarası 48: 03/2024 dönemine ait son yevmiye maddesi 47, "
            "son satır numarası 21.") in page
    [row] = stored(db_session)
    assert (row.last_entry_counter, row.next_entry_counter, row.last_line_number) == (47, 48, "21")
    assert (row.period_start, row.period_end) == (date(2024, 3, 1), date(2024, 3, 31))
    assert row.signature_status == "valid" and row.branch_id is None and not row.in_zip
    assert row.file_name == "4821307561-202403-Y-000001.xml" and row.file_size == len(data)
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "edefter_yevmiye_dogrulandi"))
    assert event.object_id == str(row.id) and event.details["son_madde_no"] == 47 and event.result == "valid"


def test_an_unsigned_yevmiye_is_refused_and_sets_no_numbering(client, anadolu, upload, db_session):
    """Issue 16: a file without its ds:Signature was accepted with a warning and set the numbering."""
    audits = audit_count(db_session)
    signed = signed_yevmiye_bytes(anadolu.taxpayer.identifier, count=7, first_counter=41)
    without_signature = re.sub(rb"<ds:Signature .*</ds:Signature>", b"", signed, flags=re.S)
    assert b"SignatureValue" not in without_signature
    for data in (without_signature, yevmiye_bytes(anadolu.taxpayer.identifier, count=7, first_counter=41)):
        response = upload(data, "4821307561-202403-Y-000001.xml")
        assert response.status_code == 422
        page = text_of(response)
        assert "Yevmiye dosyası imzasız" in page and "Son yevmiye dosyası imzalı olmalıdır" in page
        assert f"Şubesiz defter: {NO_VERIFICATION}" in page
    assert verification_count(db_session) == 0 and audit_count(db_session) == audits


def test_a_signed_yevmiye_is_verified_streaming(app, client, anadolu, upload, db_session):
    """Issue 16 refused signatures above 8 MB; issue 13's streaming verifier checks any size (decision 0112);
    tests/edefter/test_large_upload.py uploads a large one."""
    data = signed_yevmiye_bytes(anadolu.taxpayer.identifier, count=12, first_counter=88)
    response = upload(data)
    assert response.status_code == 303, text_of(response)
    [row] = stored(db_session)
    assert row.signature_status == "valid" and row.last_entry_counter == 99


def test_a_signed_zipped_yevmiye_is_verified_with_the_trust_anchors(client, anadolu, upload, signed_yevmiye,
                                                                   db_session, demo_pki):
    response = upload(zipped("yevmiye.xml", signed_yevmiye("anadolu")), "4821307561-202403-YB-000001.zip")
    assert response.status_code == 303, text_of(response)
    [row] = stored(db_session)
    assert row.signature_status == "valid" and row.in_zip and row.last_entry_counter == 99
    assert row.signer_serial and "İmza geçerli" in row.signature_message
    page = text_of(client.get(f"/edefter/yevmiye-dogrulama/{row.id}"))
    assert "İmza geçerli" in page and "Anadolu Tekstil" in page and row.sha256 in page
    assert "Sonraki yevmiye madde numarası 100" in text_of(client.get("/edefter/yevmiye-dogrulama"))


def test_a_branch_file_continues_that_branchs_numbering(client, anadolu, upload, db_session):
    client.post("/edefter/subeler", data={"sube_kodu": "0001", "sube_adi": "İzmir"})
    client.post("/edefter/subeler", data={"sube_kodu": "0002", "sube_adi": "Manisa"})
    izmir = db_session.scalar(select(EdefterBranch).where(EdefterBranch.code == "0001"))
    data = signed_yevmiye_bytes(anadolu.taxpayer.identifier, count=3, first_counter=10, branch=Branch("0001", "İzmir"))
    response = upload(data, branch_id=izmir.id)
    assert response.status_code == 303, text_of(response)
    page = text_of(client.get("/edefter/yevmiye-dogrulama"))
    assert "0001 İzmir: Sonraki yevmiye madde numarası 13" in page
    assert f"0002 Manisa: {NO_VERIFICATION}" in page
    assert stored(db_session)[0].branch_code == "0001"


def test_the_last_month_of_the_fiscal_year_restarts_numbering(client, anadolu, upload, db_session):
    response = upload(signed_yevmiye_bytes(anadolu.taxpayer.identifier, count=2, first_counter=500, month=12))
    assert response.status_code == 303
    page = text_of(client.get("/edefter/yevmiye-dogrulama"))
    assert ("12/2024 dönemi hesap döneminin son ayı (son madde no 501); yeni hesap döneminde yevmiye "
            "numaralandırması 1'den başlayacak.") in page


def test_a_file_of_an_earlier_fiscal_year_restarts_numbering(client, anadolu, upload):
    response = upload(signed_yevmiye_bytes(anadolu.taxpayer.identifier, count=2, first_counter=70, year=2023, month=5))
    assert response.status_code == 303
    page = text_of(client.get("/edefter/yevmiye-dogrulama"))
    assert ("05/2023 dönemi güncel hesap döneminden (01.01.2024 – 31.12.2024) önceki bir döneme ait (son madde no 71); "
            "yeni hesap döneminde yevmiye numaralandırması 1'den başlayacak.") in page


def test_the_latest_period_is_the_one_that_counts(client, anadolu, upload):
    owner = anadolu.taxpayer.identifier
    upload(signed_yevmiye_bytes(owner, count=2, first_counter=30, month=4))
    upload(signed_yevmiye_bytes(owner, count=2, first_counter=10, month=3))
    assert "Sonraki yevmiye madde numarası 32: 04/2024" in text_of(client.get("/edefter/yevmiye-dogrulama"))


def _kebir(owner: str) -> bytes:
    document = sample_document(2024, 3)
    line = LedgerLine(1, "F1", date(2024, 3, 1), Decimal("10.00"), "D")
    account = LedgerAccount("100", "KASA", Decimal("10.00"), Decimal("0"), (line,))
    target = io.BytesIO()
    write_kebir_file(target, sample_company(owner), document, [account])
    return target.getvalue()


BERAT = (b'<?xml version="1.0" encoding="UTF-8"?><edefter:berat xmlns:edefter="http://www.edefter.gov.tr">'
         b'<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance"/></edefter:berat>')
ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
               b'<edefter:defter xmlns:edefter="http://www.edefter.gov.tr">&lol2;</edefter:defter>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   b'<edefter:defter xmlns:edefter="http://www.edefter.gov.tr">&x;</edefter:defter>')


OWNER, OTHER = (next(t.owner_id for t in DEFAULT_DEMO_TAXPAYERS if t.key == key) for key in ("anadolu", "ege"))
GOOD = yevmiye_bytes(OWNER, count=3)
BAD_INPUTS = [
    ("entity bomb", ENTITY_BOMB, "bomb.xml", "Dosya DOCTYPE/varlık (entity) tanımı içeriyor; güvenlik nedeniyle okunmadı."),
    ("external entity", EXTERNAL_ENTITY, "xxe.xml", "güvenlik nedeniyle okunmadı"),
    ("kebir", _kebir(OWNER), "kebir.xml", "Yüklenen dosya bir kebir (büyük defter); lütfen yevmiye defterini yükleyin."),
    ("berat", BERAT, "berat.xml", "Yüklenen dosya bir berat; lütfen beratı değil yevmiye defterini yükleyin."),
    ("another taxpayer", yevmiye_bytes(OTHER, count=3), "other.xml",
     f"Bu yevmiye defteri başka bir mükellefe ait (VKN/TCKN {OTHER}); yalnızca {OWNER} numaralı mükellefin "
     "defteri yüklenebilir."),
    ("broken zip", zipped("y.xml", GOOD)[:-40], "broken.zip", "Zip dosyası bozuk ya da eksik; açılamadı."),
    ("zip without xml", zipped("y.txt", GOOD), "notes.zip", "Zip dosyasında XML dosyası yok."),
    ("truncated xml", GOOD[: len(GOOD) // 2], "half.xml", "Dosya bozuk ya da yarıda kesilmiş"),
    ("not xml", b"%PDF-1.4 not a defter", "scan.pdf", "Dosya bir XML belgesi değil"),
    ("branch file for the unbranched company", yevmiye_bytes(OWNER, count=3, branch=Branch("0007", "Bursa")),
     "sube.xml", "Bu yevmiye defteri 0007 kodlu şubeye ait; şubesiz defter bekleniyordu."),
]


@pytest.mark.parametrize(("name", "data", "file_name", "message"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_a_bad_file_gets_the_cores_message_and_changes_nothing(client, anadolu, upload, db_session, name, data,
                                                               file_name, message):
    audits = audit_count(db_session)
    response = upload(data, file_name)
    assert response.status_code == 422
    page = text_of(response)
    assert message in page
    assert NO_VERIFICATION in page
    assert verification_count(db_session) == 0 and audit_count(db_session) == audits


def test_a_file_over_the_size_bound_is_refused(app, client, anadolu, upload, db_session):
    app.config["EDEFTER_YEVMIYE_MAX_BYTES"] = 20_000
    data = yevmiye_bytes(anadolu.taxpayer.identifier, count=40)
    assert len(data) > 20_000
    response = upload(data)
    assert response.status_code == 422
    assert "Dosya çok büyük: en fazla 19,5 KB okunabilir." in text_of(response)
    zipped_response = upload(zipped("yevmiye.xml", data), "y.zip")
    assert zipped_response.status_code == 422 and "Dosya çok büyük" in text_of(zipped_response)
    assert verification_count(db_session) == 0


def test_a_changed_signed_file_is_refused(client, anadolu, upload, signed_yevmiye, db_session):
    # a change that keeps GİB's rules (a madde's comment): only the signature shows it
    tampered = signed_yevmiye("anadolu").replace("satış faturası".encode(), "satış".encode(), 1)
    response = upload(tampered)
    assert response.status_code == 422
    page = text_of(response)
    assert "İmza geçersiz" in page and "İmzası doğrulanamayan bir defterin yevmiye numarası esas alınamaz" in page
    assert verification_count(db_session) == 0


def test_our_file_signed_with_another_taxpayers_card_is_refused(client, anadolu, upload, signed_yevmiye, db_session):
    response = upload(signed_yevmiye("anadolu", signer="ege"))
    assert response.status_code == 422 and "İmza geçersiz" in text_of(response)
    assert verification_count(db_session) == 0


def test_no_file_and_no_settings_are_named(client, login_as, party, upload, db_session):
    login_as(party("anadolu").taxpayer)
    no_settings = upload(yevmiye_bytes(party("anadolu").taxpayer.identifier))
    assert no_settings.status_code == 422 and "Yevmiye doğrulamasından önce Firma Ayarları'nı kaydediniz." in text_of(no_settings)
    no_file = client.post("/edefter/yevmiye-dogrulama", data={"sube": ""}, content_type="multipart/form-data")
    assert no_file.status_code == 422 and "Yüklenecek yevmiye dosyasını (XML ya da zip) seçiniz." in text_of(no_file)
    assert verification_count(db_session) == 0


def test_the_wrong_branch_is_named(client, anadolu, upload, db_session):
    client.post("/edefter/subeler", data={"sube_kodu": "0002", "sube_adi": "Manisa"})
    manisa = db_session.scalar(select(EdefterBranch).where(EdefterBranch.code == "0002"))
    izmir_file = yevmiye_bytes(anadolu.taxpayer.identifier, count=3, branch=Branch("0001", "İzmir"))
    response = upload(izmir_file, branch_id=manisa.id)
    assert response.status_code == 422
    assert "Bu yevmiye defteri 0001 kodlu şubeye ait; 0002 kodlu şubenin defteri bekleniyordu." in text_of(response)
    unbranched = upload(yevmiye_bytes(anadolu.taxpayer.identifier, count=3), branch_id=manisa.id)
    assert "Bu yevmiye defteri şubesiz; 0002 kodlu şubenin defteri bekleniyordu." in text_of(unbranched)
    assert verification_count(db_session) == 0


def test_htmx_upload_swaps_the_section_on_error_and_redirects_on_success(client, anadolu, upload):
    bad = upload(BERAT, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and bad.get_data(as_text=True).lstrip().startswith('<div id="yevmiye-dogrulama">')
    good = upload(signed_yevmiye_bytes(anadolu.taxpayer.identifier), headers={"HX-Request": "true"})
    assert good.status_code == 204 and good.headers["HX-Redirect"].endswith("/edefter/yevmiye-dogrulama")


BROKEN_BUT_SIGNED = [
    ("unbalanced", lambda d: d.replace(b">1000.00<", b">1010.00<", 1),
     "gl-bus:totalCredit değeri, gl-cor:entryDetail elemanı içerisindeki gl-cor:debitCreditCode değeri 'C' ve ya "
     "'credit' olan gl-cor:amount değerlerinin toplamına eşit olmalıdır"),
    ("uniqueID of another period", lambda d: d.replace(b"YEV202403000001", b"YEV202402000001", 1),
     "gl-cor:uniqueID elemanındaki dönem bilgisi ile gl-cor:periodCoveredStart elemanındaki dönem bilgisi aynı olmalıdır"),
    ("dates run backwards", lambda d: d.replace(b"2024-03-21", b"2024-03-05"),
     "Yevmiye defteri tarihe göre sıralı olmalıdır"),
    ("a madde outside the period", lambda d: d.replace(b"2024-03-21", b"2024-04-02"),
     "gl-cor:enteredDate elemanın değeri 2024-03-01 ile 2024-03-31 değerleri arasında olmalıdır"),
]


@pytest.mark.parametrize(("name", "change", "rule"), BROKEN_BUT_SIGNED, ids=[case[0] for case in BROKEN_BUT_SIGNED])
def test_a_signed_yevmiye_that_breaks_a_gib_rule_is_refused_with_the_rule(client, anadolu, upload, db_session, name,
                                                                        change, rule):
    """Issue 16: unbalanced maddeler, a uniqueID of another period and dates out of order were recorded as verified."""
    data = signed_yevmiye_bytes(anadolu.taxpayer.identifier, count=3, first_counter=10, change=change)
    audits = audit_count(db_session)
    response = upload(data)
    assert response.status_code == 422
    page = text_of(response)
    assert "Yevmiye dosyası GİB'in e-Defter kurallarına uymuyor" in page and rule in page
    assert NO_VERIFICATION in page
    assert verification_count(db_session) == 0 and audit_count(db_session) == audits


def test_the_page_says_which_size_limit_applies(app, client, anadolu):
    page = text_of(client.get("/edefter/yevmiye-dogrulama"))
    assert "Dosya en fazla 512 MB olabilir (PORTAL_EDEFTER_YEVMIYE_MAX_MB ayarı)" in page
    app.config.update(EDEFTER_YEVMIYE_MAX_BYTES=256 * 1024 * 1024, EDEFTER_YEVMIYE_LIMIT_SETTING="PORTAL_MAX_UPLOAD_MB")
    assert "Dosya en fazla 256 MB olabilir (PORTAL_MAX_UPLOAD_MB ayarı)" in text_of(client.get("/edefter/yevmiye-dogrulama"))


def test_a_large_unproven_file_is_refused_without_the_summary_reading_it(client, anadolu, upload, db_session):
    """Elements the summary's reader does not watch stay in memory until their madde ends; beyond a few MB an
    unproven file is therefore refused on its signature alone, never read a second time (here: 6 MB of junk
    elements after the maddeler, which the reader would have kept until the end)."""
    junk = b"<x/>" * (6 * 1024 * 1024 // 4)
    stuffed = GOOD.replace(b"</gl-cor:accountingEntries>", junk + b"</gl-cor:accountingEntries>", 1)
    assert len(stuffed) > 6 * 1024 * 1024 and stuffed != GOOD
    response = upload(stuffed, "dolu.xml")
    assert response.status_code == 422
    page = text_of(response)
    assert "imzasız bir dosyanın yevmiye numarası esas alınamaz" in page
    assert verification_count(db_session) == 0
