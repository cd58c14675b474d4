"""Issue 16: an imported invoice exists for the other party only when the seller's signature proves it.

Invoices are signed on the demo SoftHSM cards (tests.fixtures.gib.sign_as through invoice_xml); nothing is mocked.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.config import ConfigError, finish, load_settings
from app.formats.ubl import PartyDetails
from app.formatting import local_today
from app.identifiers import make_vkn
from app.models import Invoice, InvoiceOrigin
from app.signing.tokens import list_tokens
from tests.faturalar.conftest import details, invoice_xml, upload, zip_of
from tests.fixtures.gib import sign_as
from tests.fixtures.pkcs11 import session_pki
from tests.formats.test_ubl_reader import envelope

YEAR = (local_today() - timedelta(days=1)).year


def text(response) -> str:
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def stored(db_session) -> list[Invoice]:
    db_session.expire_all()
    return list(db_session.scalars(select(Invoice).order_by(Invoice.number)))


def outgoing(client) -> str:
    return text(client.get("/faturalar/?yon=giden"))


def incoming(client) -> str:
    return text(client.get("/faturalar/?yon=gelen"))


def request_cancellation(client, number: str, role: str):
    """The İptal Portalı's request form, up to the certificate screen."""
    return client.post("/FaturaIptal/talep", data={"fatura_no": number, "tutar": "15.000,00", "islem_sahibi": role,
                                                   "surucu": "SoftHSM", "kart": ""})


def test_an_unsigned_invoice_in_another_taxpayers_name_is_refused(client, login_as, party, db_session):
    """The issue's hole: a buyer's unsigned file made an invoice appear in the seller's Giden Faturalar."""
    seller, buyer = party("anadolu"), party("ege")
    login_as(buyer.taxpayer)
    number = f"ANA{YEAR}000000301"
    response = upload(client, "sahte.xml", invoice_xml(seller, buyer, number, signed=False))
    page = text(response)
    assert response.status_code == 422, page
    assert f"{number} numaralı fatura imzasız" in page and "1 fatura alındı" not in page
    assert stored(db_session) == []
    login_as(seller.taxpayer)
    assert number not in outgoing(client)
    assert "fatura bulunamadı" in text(request_cancellation(client, number, "SATICI"))


def test_an_invoice_signed_by_the_buyer_does_not_prove_the_sellers(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(buyer.taxpayer)
    number = f"ANA{YEAR}000000302"
    response = upload(client, "f.xml", invoice_xml(seller, buyer, number, signer="ege"))
    assert response.status_code == 422
    page = text(response)
    assert f"{number} numaralı faturanın satıcı imzası doğrulanamadı" in page
    assert seller.taxpayer.identifier in page  # the certificate's owner was expected to be the seller
    assert stored(db_session) == []


def test_a_seller_signed_invoice_uploaded_by_the_buyer_exists_for_both(client, login_as, party, db_session, demo_pki):
    seller, buyer = party("anadolu"), party("ege")
    login_as(buyer.taxpayer)
    number = f"ANA{YEAR}000000303"
    response = upload(client, "f.xml", invoice_xml(seller, buyer, number))
    assert response.status_code == 303, text(response)
    (invoice,) = stored(db_session)
    assert invoice.origin is InvoiceOrigin.SIGNED
    card = next(t for t in list_tokens(demo_pki.module_path) if t.label == demo_pki.token("anadolu").label)
    assert invoice.origin_certificate_serial == card.signing_certificate.serial_hex
    assert invoice.uploaded_by_taxpayer_id == buyer.taxpayer.id
    assert number in incoming(client)
    login_as(seller.taxpayer)
    listing = outgoing(client)
    assert number in listing and "İptal Talebi" in listing


def test_a_signed_invoice_changed_after_signing_is_refused(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(buyer.taxpayer)
    number = f"ANA{YEAR}000000304"
    changed = invoice_xml(seller, buyer, number).replace(b">15000.00<", b">1500.00<")
    response = upload(client, "f.xml", changed)
    assert response.status_code == 422
    assert "imzalandıktan sonra değiştirilmiş" in text(response)
    assert stored(db_session) == []


def test_an_expired_sellers_signature_is_refused(client, login_as, party, db_session):
    seller, buyer = party("karadeniz"), party("ege")
    login_as(buyer.taxpayer)
    number = f"KRD{YEAR}000000001"
    document = invoice_xml(details(seller), buyer, number, signed=False)
    signed = sign_as(session_pki(), "karadeniz", document, check_validity=False)
    response = upload(client, "f.xml", signed)
    assert response.status_code == 422 and "süresi dolmuştu" in text(response)
    assert stored(db_session) == []


def test_party_names_come_from_the_portals_taxpayers(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    stranger = PartyDetails(identifier=make_vkn("555444333"), name="Dosyadaki Alıcı Ltd. Şti.")
    login_as(seller.taxpayer)
    number_1, number_2 = f"ANA{YEAR}000000305", f"ANA{YEAR}000000306"
    files = {
        "1.xml": invoice_xml(PartyDetails(seller.taxpayer.identifier, "Sahte Unvan A.Ş."), buyer, number_1,
                             signer="anadolu"),
        "2.xml": invoice_xml(seller, stranger, number_2),
    }
    response = upload(client, "f.zip", zip_of(files))
    assert response.status_code == 303, text(response)
    first, second = stored(db_session)
    assert (first.sender_name, first.sender_name_from_file) == (seller.taxpayer.unvan, False)
    assert (first.receiver_name, first.receiver_name_from_file) == (buyer.taxpayer.unvan, False)
    assert (second.receiver_name, second.receiver_name_from_file) == ("Dosyadaki Alıcı Ltd. Şti.", True)
    listing = " ".join(re.sub(r"<[^>]+>", " ", outgoing(client)).split())
    assert "Sahte Unvan" not in listing
    assert "Dosyadaki Alıcı Ltd. Şti. (dosyadaki unvan)" in listing
    assert f"{buyer.taxpayer.unvan} (dosyadaki unvan)" not in listing


def test_the_numbers_year_must_be_the_issue_dates_year(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)
    number = f"ANA{YEAR}000000307"
    response = upload(client, "f.xml", invoice_xml(seller, buyer, number, issue_date=date(2009, 5, 4)))
    assert response.status_code == 422
    assert (f"{number} numaralı faturanın numarasındaki yıl ({YEAR}) fatura tarihinin (04.05.2009) yılı değil"
            in text(response))
    assert stored(db_session) == []


def test_signed_invoices_inside_a_gib_envelope_are_proven_one_by_one(client, login_as, party, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(buyer.taxpayer)
    first, second = f"ANA{YEAR}000000308", f"ANA{YEAR}000000309"
    unsigned = f"ANA{YEAR}000000310"
    data = envelope(invoice_xml(seller, buyer, first), invoice_xml(seller, buyer, second),
                    invoice_xml(seller, buyer, unsigned, signed=False))
    response = upload(client, "zarf.xml", data)
    assert response.status_code == 303, text(response)
    page = text(client.get(response.headers["Location"]))
    assert "2 fatura alındı, 1 fatura reddedildi." in page and f"{unsigned} numaralı fatura imzasız" in page
    assert [(i.number, i.origin) for i in stored(db_session)] == [(first, InvoiceOrigin.SIGNED),
                                                                   (second, InvoiceOrigin.SIGNED)]


# --- the demo switch: unsigned imports as the uploader's own ---------------------------------------------


@pytest.fixture
def unsigned_accepted(app):
    app.config["ACCEPT_UNSIGNED_INVOICES"] = True
    yield
    app.config["ACCEPT_UNSIGNED_INVOICES"] = False


def test_demo_switch_keeps_an_unsigned_invoice_to_its_uploader(client, login_as, party, db_session, unsigned_accepted):
    seller, buyer = party("anadolu"), party("ege")
    login_as(buyer.taxpayer)
    number = f"ANA{YEAR}000000311"
    response = upload(client, "egitim.xml", invoice_xml(seller, buyer, number, signed=False))
    assert response.status_code == 303, text(response)
    assert ("1 fatura alındı (bunlardan 1 tanesi imzasız olduğu için yalnızca size görünür)."
            in text(client.get(response.headers["Location"])))
    (invoice,) = stored(db_session)
    assert (invoice.origin, invoice.uploaded_by_taxpayer_id) == (InvoiceOrigin.UPLOADER_ONLY, buyer.taxpayer.id)
    listing = incoming(client)
    assert number in listing and "İmzasız (yalnızca size görünür)" in listing and "İptal Talebi</a>" not in listing
    refused = text(request_cancellation(client, number, "ALICI"))
    assert "imzasız yüklendiği için yalnızca sizin listenizde görünür" in refused
    # the seller never sees it, and cannot reach it through the İptal Portalı
    login_as(seller.taxpayer)
    assert number not in outgoing(client)
    assert "fatura bulunamadı" in text(request_cancellation(client, number, "SATICI"))


def test_demo_switch_takes_gib_style_samples_whose_signature_fails_as_the_uploaders(client, login_as, party,
                                                                                     db_session, unsigned_accepted):
    seller, buyer = party("anadolu"), party("ege")
    login_as(buyer.taxpayer)
    number = f"ANA{YEAR}000000312"
    changed = invoice_xml(seller, buyer, number).replace(b">15000.00<", b">1500.00<")
    assert upload(client, "f.xml", changed).status_code == 303
    (invoice,) = stored(db_session)
    assert invoice.origin is InvoiceOrigin.UPLOADER_ONLY


def test_the_sellers_signed_copy_proves_an_unsigned_upload(client, login_as, party, db_session, unsigned_accepted):
    seller, buyer = party("anadolu"), party("ege")
    number = f"ANA{YEAR}000000313"
    ettn = "3f2b8c1d-6a4e-4f9b-8d2c-1a5e7b9c0d3f"
    login_as(buyer.taxpayer)
    assert upload(client, "f.xml", invoice_xml(seller, buyer, number, ettn=ettn, signed=False)).status_code == 303
    # the seller's own unsigned copy is another uploader's: refused
    login_as(seller.taxpayer)
    response = upload(client, "f.xml", invoice_xml(seller, buyer, number, ettn=ettn, signed=False))
    assert response.status_code == 422 and "imzasız bir kopyası başka bir mükellef tarafından yüklenmiş" in text(response)
    # the signed one proves it: now both parties see it
    response = upload(client, "f.xml", invoice_xml(seller, buyer, number, ettn=ettn))
    assert response.status_code == 303
    (invoice,) = stored(db_session)
    assert (invoice.origin, invoice.uploaded_by_taxpayer_id) == (InvoiceOrigin.SIGNED, seller.taxpayer.id)
    assert number in outgoing(client)
    login_as(buyer.taxpayer)
    assert number in incoming(client)


def test_demo_switch_is_refused_in_production(tmp_path):
    settings = load_settings({}, {"MODE": "production", "SECRET_KEY": "x" * 32, "ACCEPT_UNSIGNED_INVOICES": True})
    with pytest.raises(ConfigError, match="PORTAL_ACCEPT_UNSIGNED_INVOICES yalnızca demo ve test"):
        finish(settings, tmp_path)
    demo = load_settings({"PORTAL_ACCEPT_UNSIGNED_INVOICES": "1"}, {"MODE": "demo"})
    assert finish(demo, tmp_path)["ACCEPT_UNSIGNED_INVOICES"] is True


def test_rows_made_by_the_portal_count_as_proven(client, login_as, party, invoice_factory):
    """Demo data and the tests' factory are system-made: visible to both parties and cancellable."""
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    assert invoice.origin is InvoiceOrigin.SYSTEM
    login_as(buyer.taxpayer)
    listing = incoming(client)
    assert invoice.number in listing and "İptal Talebi" in listing
