"""Creating a cancellation request: the seed's flow, its rules and its messages (SPEC B1, B2)."""

from __future__ import annotations

import re
import subprocess

from sqlalchemy import func, select

from app.models import AuditEvent, CancellationRequest, CancellationStatus
from tests.iptal.conftest import draft_from


def count_requests(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(CancellationRequest))


def test_seller_creates_a_signed_request(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, amount="7840.80")
    login_as(seller.taxpayer)

    confirm, final = request_cancellation(seller, invoice, amount="7.840,80")
    page = confirm.get_data(as_text=True)
    assert "İmza için kullanacağınız sertifika" in page
    assert "Mali Mühür Elektronik Sertifika Hizmet Sağlayıcısı" in page
    assert seller.taxpayer.identifier in page and "Sayısal İmza" in page
    assert final.status_code == 303

    done = client.get(final.headers["Location"]).get_data(as_text=True)
    expected = (
        f"{seller.taxpayer.identifier} vergi / tc kimlik numaralı mükellefe ait {invoice.number} numaralı "
        "7.840,80 tutarındaki fatura için iptal talebi oluşturuldu."
    )
    assert expected in " ".join(done.split())
    assert "İptal talebiniz başarıyla oluşturulmuştur" in done  # GİB's result page
    stored = db_session.scalars(select(CancellationRequest)).one()
    assert stored.status is CancellationStatus.PENDING
    assert stored.responder_identifier == buyer.taxpayer.identifier
    assert b"<ds:SignatureValue" in stored.request_xml or b"SignatureValue" in stored.request_xml
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "iptal_talebi_olusturuldu")) is not None


def test_signed_request_verifies_with_xmlsec1(client, login_as, party, invoice_factory, request_cancellation, demo_pki, db_session, tmp_path):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    request_cancellation(seller, invoice)
    stored = db_session.scalars(select(CancellationRequest)).one()

    download = client.get(f"/FaturaIptal/talep/{stored.id}/talep.xml")
    assert download.status_code == 200
    signed = tmp_path / "talep.xml"
    signed.write_bytes(download.data)
    result = subprocess.run(
        ["xmlsec1", "--verify", "--enabled-key-data", "x509", "--trusted-pem", str(demo_pki.ca_cert_path),
         "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
         "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:KeyInfo", str(signed)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert invoice.number.encode() in download.data and b"7840.80" in download.data


def test_buyer_may_start_a_request_too(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    _, final = request_cancellation(buyer, invoice, role="ALICI")
    assert final.status_code == 303
    stored = db_session.scalars(select(CancellationRequest)).one()
    assert stored.responder_identifier == seller.taxpayer.identifier


def refused(client, party_, invoice, **form) -> str:
    data = {"fatura_no": invoice.number if invoice else "", "tutar": "1", "islem_sahibi": "SATICI", **form}
    response = client.post("/FaturaIptal/talep", data=party_.card(**data))
    page = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 422, re.findall(r'class="alert[^>]*>([^<]*)', page)
    return page


def test_wrong_amount_is_refused_with_a_clear_message(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, amount="100.00")
    login_as(seller.taxpayer)
    page = refused(client, seller, invoice, tutar="100,01")
    assert "ödenecek tutarı ile aynı değil" in page
    assert count_requests(db_session) == 0


def test_unknown_invoice_gets_gibs_not_found_sentence(client, login_as, party, db_session):
    seller = party("anadolu")
    login_as(seller.taxpayer)
    response = client.post("/FaturaIptal/talep", data=seller.card(fatura_no="XYZ2025000000042", tutar="10,00",
                                                                  islem_sahibi="SATICI"))
    page = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 422
    assert (f"{seller.taxpayer.identifier} Vergi / T.C. kimlik numaralı mükellefe ait XYZ2025000000042 numaralı "
            "10,00 tutarındaki fatura bulunamadı !") in page
    assert "Lütfen sayfayı yenileyip tekrar deneyiniz." in page and 'id="talep-formu"' not in page  # GİB's error page


def test_another_taxpayers_invoice_is_not_found(client, login_as, party, invoice_factory):
    seller, buyer, stranger = party("anadolu"), party("ege"), party("ayse")
    invoice = invoice_factory(seller, buyer)
    login_as(stranger.taxpayer)
    for role in ("SATICI", "ALICI"):
        page = refused(client, stranger, invoice, tutar=f"{invoice.payable_amount}", islem_sahibi=role)
        assert "bulunamadı" in page


def test_badly_written_number_and_amount_are_explained(client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    assert "16 karakter" in refused(client, seller, None, fatura_no="DAS20", tutar="1")
    assert "geçerli bir tutar değil" in refused(client, seller, invoice, tutar="yedi bin")


def test_commercial_invoice_is_sent_to_the_red_application_response(client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, profile="TICARIFATURA")
    login_as(seller.taxpayer)
    assert "RED uygulama yanıtı" in refused(client, seller, invoice, tutar=f"{invoice.payable_amount}")


def test_request_outside_the_window_is_refused(client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer, delivered_days_ago=9)
    login_as(seller.taxpayer)
    assert "8 gün geçtiği için iptal talebi yapılamaz" in refused(client, seller, invoice, tutar=f"{invoice.payable_amount}")


def test_second_open_request_and_cancelled_invoice_are_refused(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    request_cancellation(seller, invoice)
    assert "onay bekleyen bir iptal talebi zaten var" in refused(client, seller, invoice, tutar=f"{invoice.payable_amount}")
    login_as(buyer.taxpayer)
    page = refused(client, buyer, invoice, tutar=f"{invoice.payable_amount}", islem_sahibi="ALICI")
    assert "onay bekleyen bir iptal talebi zaten var" in page, re.findall(r'class="alert[^>]*>([^<]*)', page)
    from app.db import utcnow

    invoice.cancelled_at = utcnow()
    db_session.commit()
    db_session.execute(CancellationRequest.__table__.update().values(status="rejected"))
    db_session.commit()
    login_as(seller.taxpayer)
    assert "zaten iptal edilmiştir" in refused(client, seller, invoice, tutar=f"{invoice.payable_amount}")


def test_double_onayla_creates_one_request(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    confirm = client.post("/FaturaIptal/talep", data=seller.card(fatura_no=invoice.number, tutar=f"{invoice.payable_amount}",
                                                                                      islem_sahibi="SATICI"))
    form = {"taslak": draft_from(confirm.get_data(as_text=True)), "sifre": seller.token.pin}
    first = client.post("/FaturaIptal/talep/onayla", data=form)
    second = client.post("/FaturaIptal/talep/onayla", data=form)  # double click / back and resubmit
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count_requests(db_session) == 1


def test_wrong_pin_stores_nothing_and_says_so(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    _, final = request_cancellation(seller, invoice, pin="975319")
    assert final.status_code == 422
    page = final.get_data(as_text=True)
    assert "şifre (PIN) hatalı" in page
    assert "975319" not in page
    assert count_requests(db_session) == 0
    # the same confirmation still works with the right PIN: nothing was lost
    _, again = request_cancellation(seller, invoice)
    assert again.status_code == 303


def test_another_taxpayers_card_is_refused(client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    response = client.post("/FaturaIptal/talep", data=buyer.card(fatura_no=invoice.number, tutar=f"{invoice.payable_amount}",
                                                                                      islem_sahibi="SATICI"))
    assert response.status_code == 422
    assert "Doğru kartı takınız" in response.get_data(as_text=True)


def test_htmx_confirmation_is_a_fragment(client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    response = client.post("/FaturaIptal/talep", headers={"HX-Request": "true"},
                           data=seller.card(fatura_no=invoice.number, tutar=f"{invoice.payable_amount}",
                                                                                      islem_sahibi="SATICI"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and 'id="onay-ekrani"' in body
    final = client.post("/FaturaIptal/talep/onayla", headers={"HX-Request": "true"},
                        data={"taslak": draft_from(body), "sifre": seller.token.pin})
    assert final.status_code == 204 and final.headers["HX-Redirect"].startswith("/FaturaIptal/talep/sonuc")


def test_request_form_can_be_prefilled_from_the_invoice_list(client, login_as, party):
    login_as(party("anadolu").taxpayer)
    page = client.get("/FaturaIptal/talep?fatura_no=ANA2026000000001&tutar=7.840,80&islem_sahibi=ALICI").get_data(as_text=True)
    assert 'value="ANA2026000000001"' in page and 'value="7.840,80"' in page
    assert 'value="ALICI" selected' in page


def test_an_edited_confirmation_form_is_refused(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(seller.taxpayer)
    confirm = client.post("/FaturaIptal/talep", data=seller.card(fatura_no=invoice.number, tutar=f"{invoice.payable_amount}",
                                                                                      islem_sahibi="SATICI"))
    tampered = draft_from(confirm.get_data(as_text=True))[:-3] + "abc"
    response = client.post("/FaturaIptal/talep/onayla", data={"taslak": tampered, "sifre": seller.token.pin})
    assert response.status_code == 303
    assert "Onay ekranının süresi doldu veya form değiştirildi" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count_requests(db_session) == 0
