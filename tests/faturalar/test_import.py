"""Fatura Yükle: UBL-TR files and zips become invoices of the logged-in taxpayer, with every refusal explained."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.formats.ubl import PartyDetails
from app.formatting import local_today
from app.identifiers import make_vkn
from app.models import AuditEvent, Invoice
from tests.faturalar.conftest import counted_queries, invoice_xml, upload, zip_of

GIB_SAMPLES = Path("/work/shared/gib/ubl-tr-1.2.1/samples")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def invoices(db_session) -> list[Invoice]:
    return db_session.scalars(select(Invoice).order_by(Invoice.number)).all()


def imports(db_session) -> list[AuditEvent]:
    return db_session.scalars(select(AuditEvent).where(AuditEvent.action == "fatura_yuklendi")).all()


def follow(client, response) -> str:
    assert response.status_code == 303, text(response)
    return text(client.get(response.headers["Location"]))


def test_own_invoice_is_imported_and_listed(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    issued = local_today() - timedelta(days=3)
    ettn = "7d1f4a40-2c55-4e8f-9d0b-1a2b3c4d5e6f"
    number = f"ANA{issued.year}000000101"
    page = follow(client, upload(client, "fatura.xml", invoice_xml(seller, buyer, number, ettn=ettn, issue_date=issued)))
    assert "fatura.xml" in page and "1 fatura alındı." in page

    (invoice,) = invoices(db_session)
    assert (invoice.number, invoice.ettn, invoice.profile_id, invoice.type_code) == (number, ettn, "TEMELFATURA", "SATIS")
    assert (invoice.sender_identifier, invoice.receiver_identifier) == (seller.taxpayer.identifier, buyer.taxpayer.identifier)
    assert invoice.receiver_name == buyer.taxpayer.unvan
    assert invoice.payable_amount == Decimal("15000.00") and invoice.currency == "TRY"
    assert invoice.issue_date == invoice.delivered_on == issued
    (event,) = imports(db_session)
    assert event.taxpayer_id == seller.taxpayer.id
    assert event.details["alinan"] == 1 and event.details["zaten_kayitli"] == 0

    listed = text(client.get("/faturalar/"))
    assert number in listed and "15.000,00 TRY" in listed
    login_as(buyer.taxpayer)
    assert number in text(client.get("/faturalar/?yon=gelen"))


def test_zip_of_many_reports_each_refused_file(client, login_as, party, db_session):
    seller, buyer, person = party("anadolu"), party("ege"), party("ayse")
    login_as(seller.taxpayer)
    files = {f"ocak/ANA{n:03d}.xml": invoice_xml(seller, buyer if n % 2 else person, f"ANA2025000000{n:03d}") for n in range(1, 31)}
    files["ocak/notlar.txt"] = b"not an invoice"
    files["bozuk.xml"] = b"<Invoice><cbc:ID>"
    files["__MACOSX/._ANA001.xml"] = b"ignored"
    page = follow(client, upload(client, "ocak.zip", zip_of(files)))
    assert "30 fatura alındı, 2 dosya reddedildi." in page
    assert "ocak/notlar.txt" in page and "Yalnızca .xml uzantılı dosyalar okunur." in page
    assert "bozuk.xml" in page
    assert len(invoices(db_session)) == 30
    assert imports(db_session)[0].details["reddedilen_dosya"] == 2
    # the buyer who is a person (TCKN) sees hers in the Gelen tab
    login_as(person.taxpayer)
    assert text(client.get("/faturalar/?yon=gelen")).count("TEMELFATURA") == 15


def test_same_upload_twice_changes_nothing(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    data = zip_of({"a.xml": invoice_xml(seller, buyer, "ANA2025000000001"), "b.xml": invoice_xml(seller, buyer, "ANA2025000000002")})
    assert "2 fatura alındı." in follow(client, upload(client, "x.zip", data))
    page = follow(client, upload(client, "x.zip", data))
    assert "0 fatura alındı, 2 zaten kayıtlı." in page and "ANA2025000000001" in page
    # the buyer uploading the same invoices is told they are there already
    login_as(buyer.taxpayer)
    assert "0 fatura alındı, 2 zaten kayıtlı." in follow(client, upload(client, "gelen.zip", data))
    assert len(invoices(db_session)) == 2
    assert [e.details["zaten_kayitli"] for e in imports(db_session)] == [0, 2, 2]


def test_the_same_invoice_twice_in_one_zip_is_stored_once(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    data = invoice_xml(seller, buyer, "ANA2025000000007")
    page = follow(client, upload(client, "x.zip", zip_of({"a.xml": data, "kopya/a.xml": data})))
    assert "1 fatura alındı, 1 zaten kayıtlı." in page
    assert len(invoices(db_session)) == 1


def test_a_number_reused_with_another_ettn_is_refused(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    follow(client, upload(client, "ilk.xml", invoice_xml(seller, buyer, "ANA2025000000009")))
    response = upload(client, "ikinci.xml", invoice_xml(seller, buyer, "ANA2025000000009"))
    assert response.status_code == 422
    assert "ANA2025000000009 numaralı faturası farklı bir ETTN ile zaten kayıtlı" in text(response)
    # two such invoices inside one zip: the first is taken, the second refused
    page = follow(client, upload(client, "x.zip", zip_of({"1.xml": invoice_xml(seller, buyer, "ANA2025000000010"),
                                                           "2.xml": invoice_xml(seller, buyer, "ANA2025000000010")})))
    assert "1 fatura alındı, 1 fatura reddedildi." in page and "farklı bir ETTN" in page
    assert [i.number for i in invoices(db_session)] == ["ANA2025000000009", "ANA2025000000010"]


def test_an_ettn_of_another_invoice_is_refused(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    ettn = "0b7c1e9a-6f2d-4a51-8c3e-9d8f7a6b5c4d"
    follow(client, upload(client, "ilk.xml", invoice_xml(seller, buyer, "ANA2025000000011", ettn=ettn)))
    response = upload(client, "ikinci.xml", invoice_xml(seller, buyer, "ANA2025000000012", ettn=ettn))
    assert response.status_code == 422 and "ETTN'si (0b7c1e9a-6f2d-4a51-8c3e-9d8f7a6b5c4d) başka bir faturada" in text(response)


def test_another_taxpayers_invoice_is_refused_and_nothing_stored(client, login_as, party, db_session):
    anadolu, ege, marmara = party("anadolu"), party("ege"), party("marmara")
    login_as(marmara.taxpayer)
    response = upload(client, "baskasi.xml", invoice_xml(anadolu, ege, "ANA2025000000013"))
    page = text(response)
    assert response.status_code == 422
    assert "ANA2025000000013 numaralı fatura başka bir mükellefin faturası" in page
    assert "Dosyadaki faturaların hiçbiri alınmadı" in page
    assert invoices(db_session) == [] and imports(db_session) == []


def test_identifiers_must_pass_their_check_digits(client, login_as, party, db_session):
    seller = party("anadolu")
    login_as(seller.taxpayer)
    wrong = PartyDetails(identifier="1234567891", name="Hatalı VKN Ltd. Şti.")
    response = upload(client, "f.xml", invoice_xml(seller, wrong, "ANA2025000000014"))
    assert response.status_code == 422
    assert "ANA2025000000014 numaralı faturada alıcı VKN hatalı: 1234567891 geçerli bir vergi kimlik numarası değil" in text(response)
    assert invoices(db_session) == []


def test_long_names_are_cut_on_a_word(client, login_as, party, db_session):
    seller = party("anadolu")
    login_as(seller.taxpayer)
    long_name = " ".join(["Çok Uzun Unvanlı Sanayi ve Ticaret"] * 12) + " A.Ş."
    buyer = PartyDetails(identifier=make_vkn("555444333"), name=long_name)
    follow(client, upload(client, "f.xml", invoice_xml(seller, buyer, "ANA2025000000015")))
    (invoice,) = invoices(db_session)
    assert len(invoice.receiver_name) <= 250 and invoice.receiver_name.endswith("…")
    assert long_name.startswith(invoice.receiver_name[:-1]) and long_name[len(invoice.receiver_name) - 1] == " "


def test_hostile_xml_is_refused_and_nothing_stored(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    good = invoice_xml(seller, buyer, "ANA2025000000016").decode()
    hostile = good.replace("<Invoice", '<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice', 1)
    hostile = hostile.replace("Anadolu Tekstil", "&x; Anadolu Tekstil", 1)
    response = upload(client, "xxe.xml", hostile.encode())
    page = text(response)
    assert response.status_code == 422 and "xxe.xml" in page and "DOCTYPE" in page
    assert "root:" not in page
    assert invoices(db_session) == [] and imports(db_session) == []


def test_broken_zip_and_wrong_file_type_are_explained(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    broken = zip_of({"a.xml": invoice_xml(seller, buyer, "ANA2025000000017")})[:-30]
    response = upload(client, "kirik.zip", broken)
    assert response.status_code == 422 and "Zip dosyası bozuk ya da eksik yüklenmiş" in text(response)
    response = upload(client, "fatura.pdf", b"%PDF-1.7")
    assert response.status_code == 422 and "Yalnızca .xml uzantılı fatura dosyası" in text(response)
    response = client.post("/faturalar/yukle", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Yüklenecek dosyayı seçiniz." in text(response)
    assert invoices(db_session) == []


def test_too_large_upload_gets_the_413_page(app, client, login_as, party, db_session):
    login_as(party("anadolu").taxpayer)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = upload(client, "buyuk.xml", b"<a>" + b" " * 100_000 + b"</a>")
    assert response.status_code == 413 and "Yüklediğiniz dosya izin verilen boyuttan büyük." in text(response)
    assert imports(db_session) == []


def test_gib_samples_are_refused_with_the_check_digit_reason(client, login_as, party, db_session):
    if not GIB_SAMPLES.is_dir():
        pytest.skip(f"GİB's UBL-TR samples are not at {GIB_SAMPLES}")
    login_as(party("anadolu").taxpayer)
    samples = sorted(GIB_SAMPLES.glob("*.xml"))
    response = upload(client, "gib-ornekleri.zip", zip_of([(path.name, path.read_bytes()) for path in samples]))
    page = text(response)
    assert response.status_code == 422 and invoices(db_session) == []
    refusals = re.findall(r"<li><strong>([^<]+)</strong>(?: \(([A-Z0-9]+)\))?: ([^<]+)</li>", page)
    assert {name for name, _, _ in refusals} == {path.name for path in samples}
    reasons = {name: reason for name, _, reason in refusals}
    assert "1288331521 geçerli bir vergi kimlik numarası değil" in reasons["TicariFaturaOrnegi.xml"]
    assert "e-İrsaliye (DespatchAdvice)" in reasons["Irsaliye-Ornek1.xml"]
    # Each sample that reads as an invoice is refused for its test VKNs, or (HASTANE.xml, whose VKNs are valid)
    # as another taxpayer's; the other files are not invoices or break a format rule (decision note 0041).
    invoice_refusals = [reason for _, number, reason in refusals if number]
    check_digits = [reason for reason in invoice_refusals if "kontrol hane" in reason]
    assert len(check_digits) >= 20
    others = [r for r in invoice_refusals if r not in check_digits and "başka bir mükellefin faturası" not in r]
    assert others == []


def test_import_result_is_the_importers_own(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    location = upload(client, "f.xml", invoice_xml(seller, buyer, "ANA2025000000018")).headers["Location"]
    assert client.get(location).status_code == 200
    login_as(buyer.taxpayer)
    assert client.get(location).status_code == 404


def test_invoice_count_does_not_change_the_number_of_queries(app, client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)

    def queries_for(data: bytes) -> int:
        with counted_queries(app) as statements:
            assert upload(client, "x.zip", data).status_code == 303
        return len(statements)

    one = queries_for(zip_of({"a.xml": invoice_xml(seller, buyer, "ANA2025000000500")}))
    many = queries_for(zip_of({f"{n}.xml": invoice_xml(seller, buyer, f"ANA2025000000{n:03d}") for n in range(600, 660)}))
    assert many == one  # the lookups and the insert are one statement each (up to 500 invoices)
    assert db_session.scalar(select(func.count(Invoice.id))) == 61
