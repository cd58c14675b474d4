"""İmza Doğrulama on both databases: the report of a document signed on a demo card, by an unknown CA and
tampered; PDF and XML downloads; the standalone page keeps nothing; Doğrula of kept documents stays in scope."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from sqlalchemy import func, select

from app.formats.ubl import PartyDetails
from app.models import ArchivedDocument, AuditEvent, KontorMovement
from app.verification_report.exports import NAMESPACE
from tests.archive import corpus
from tests.archive.conftest import activate_saklama, give_kontor, upload


@pytest.fixture(scope="module")
def documents(demo_pki) -> dict[str, bytes]:
    ege = demo_pki.token("ege")
    good = corpus.invoices(demo_pki, "anadolu", PartyDetails(ege.owner_id, ege.owner_name), 2, prefix="DGR")
    unknown = corpus.unknown_ca_invoices(PartyDetails("4821307561", "Anadolu Tekstil"),
                                         PartyDetails(ege.owner_id, ege.owner_name), 1)[0]
    return {"good": good[0], "other": good[1], "unknown": unknown, "tampered": corpus.tampered(good[1])}


def _report(client, data: bytes, form: str = ""):
    response = client.post("/imza-dogrulama/", data={"dosya": (io.BytesIO(data), "belge.xml"), "bicim": form},
                           content_type="multipart/form-data")
    response.request.input_stream.close()
    return response


def test_a_document_signed_on_a_demo_card_is_valid_with_every_detail(client, login_as, party, documents):
    login_as(party("ege").taxpayer)

    page = _report(client, documents["good"]).get_data(as_text=True)

    assert "GEÇERLİ" in page and "TOTAL_PASSED" in page
    assert 'class="imzalayan-kimlik">4821307561<' in page and "Anadolu Tekstil" in page
    assert "Özet değeri (1. referans: Belgenin tamamı)" in page and "XAdES SigningCertificate" in page
    assert "SignedProperties" in page and "Kontrol edilemedi" not in page and "Başarısız" not in page
    assert "Güven çapası" in page and "imza zamanı" in page.lower()


def test_a_document_of_an_unknown_ca_is_not_trusted(client, login_as, party, documents):
    login_as(party("ege").taxpayer)

    page = _report(client, documents["unknown"]).get_data(as_text=True)

    assert "BELİRSİZ" in page and "INDETERMINATE" in page and "güvenilen bir sertifika" in page
    assert "Zincir portalın güvendiği hiçbir sertifika hizmet sağlayıcısına ulaşmıyor." in page
    assert "Yok: zincir güvenilen bir sağlayıcıya ulaşmıyor" in page
    # The signature itself is intact: the digest and value checks pass, only trust fails.
    assert "SHA256 özeti eşleşiyor" in page


def test_a_tampered_document_fails_on_its_digest(client, login_as, party, documents):
    login_as(party("ege").taxpayer)

    page = _report(client, documents["tampered"]).get_data(as_text=True)

    assert "GEÇERSİZ" in page and "TOTAL_FAILED" in page and "değiştirilmiş" in page
    assert "SHA256 özeti eşleşmiyor" in page


def test_hostile_or_unsigned_input_gets_a_report_not_an_error(client, login_as, party):
    login_as(party("ege").taxpayer)

    hostile = _report(client, corpus.HOSTILE)
    assert hostile.status_code == 200 and "DOCTYPE" in hostile.get_data(as_text=True)
    garbage = _report(client, b"\x00\x01 bu bir xml degil")
    assert garbage.status_code == 200 and "OKUNAMADI" in garbage.get_data(as_text=True)


def test_pdf_and_xml_reports_and_nothing_is_kept(client, login_as, party, documents, db_session):
    login_as(party("ege").taxpayer)
    before = db_session.scalar(select(func.count()).select_from(AuditEvent))

    pdf = _report(client, documents["good"], "pdf")
    xml = _report(client, documents["tampered"], "xml")

    assert pdf.mimetype == "application/pdf" and pdf.get_data().startswith(b"%PDF")
    assert b"DejaVu" in pdf.get_data()  # the Turkish font is embedded
    assert "attachment" in pdf.headers["Content-Disposition"]
    root = etree.fromstring(xml.get_data())
    ns = {"r": NAMESPACE}
    assert root.findtext("r:Sonuc/r:Karar", namespaces=ns) == "GEÇERSİZ"
    assert root.findtext("r:Imzalayan/r:Kimlik", namespaces=ns) == "4821307561"
    assert any(c.findtext("r:Sonuc", namespaces=ns) == "Başarısız" for c in root.iterfind("r:Kontroller/r:Kontrol", ns))
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert db_session.scalar(select(func.count()).select_from(ArchivedDocument)) == 0


def test_dogrula_of_a_stored_document_and_of_an_activation_request(app, client, db_session, login_as, party, documents):
    anadolu = party("anadolu")
    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 5)
    login_as(anadolu.taxpayer)
    upload(client, "fatura.xml", documents["good"])
    stored = db_session.scalars(select(ArchivedDocument)).one()

    listed = client.get("/yonetim/belge-saklama/").get_data(as_text=True)
    assert f"/imza-dogrulama/saklanan-belge/{stored.id}" in listed
    page = client.get(f"/imza-dogrulama/saklanan-belge/{stored.id}").get_data(as_text=True)
    assert "GEÇERLİ" in page and stored.number in page
    assert client.get(f"/imza-dogrulama/saklanan-belge/{stored.id}?bicim=pdf").get_data().startswith(b"%PDF")
    assert client.get("/imza-dogrulama/bilinmeyen-tur/1").status_code == 404
    assert client.get(f"/imza-dogrulama/hizmet-talebi/{stored.id + 999}").status_code == 404
    assert db_session.scalar(select(func.count()).select_from(KontorMovement)) == 2  # Yükleme + one Kullanım


def test_dogrula_of_an_activation_request_from_its_page(client, db_session, login_as, party):
    import uuid

    from app.models import ServiceLabel, ServiceRequest
    from app.models.service import LabelStatus, RequestAction, RequestStatus
    from tests.fixtures.gib import sign_as
    from tests.fixtures.pkcs11 import session_pki

    anadolu, ege = party("anadolu"), party("ege")
    document = sign_as(session_pki(), "anadolu", b"<HizmetTalebi><Urun>efatura</Urun><Islem>acma</Islem></HizmetTalebi>")
    request = ServiceRequest(taxpayer_id=anadolu.taxpayer.id, submission_id=str(uuid.uuid4()), action=RequestAction.ACMA,
                             product="efatura", status=RequestStatus.ONAY_BEKLIYOR, document=document,
                             certificate_serial="01")
    db_session.add(request)
    db_session.flush()
    db_session.add(ServiceLabel(taxpayer_id=anadolu.taxpayer.id, product="efatura", kind="efatura_pk",
                                alias="urn:mail:defaultpk@anadolu.com.tr", status=LabelStatus.ONAY_BEKLIYOR,
                                opening_request_id=request.id))
    db_session.commit()
    login_as(anadolu.taxpayer)

    page = client.get(f"/yonetim/hizmet-aktivasyonu/talep/{request.id}").get_data(as_text=True)
    assert f"/imza-dogrulama/hizmet-talebi/{request.id}" in page
    report = client.get(f"/imza-dogrulama/hizmet-talebi/{request.id}").get_data(as_text=True)
    assert "GEÇERLİ" in report and "4821307561" in report
    assert client.get(f"/imza-dogrulama/hizmet-talebi/{request.id}?parca=basvuru").status_code == 404

    login_as(ege.taxpayer)
    assert client.get(f"/imza-dogrulama/hizmet-talebi/{request.id}").status_code == 404


def test_dogrula_of_a_yetkilendirme_from_its_list(client, db_session, login_as, party):
    import uuid

    from app.models import Authorisation, AuthorisationRole
    from tests.fixtures.gib import sign_as
    from tests.fixtures.pkcs11 import session_pki

    anadolu, ege = party("anadolu"), party("ege")
    document = sign_as(session_pki(), "anadolu", b"<YetkilendirmeBelgesi><Kisi>34721590854</Kisi></YetkilendirmeBelgesi>")
    grant = Authorisation(submission_id=str(uuid.uuid4()), taxpayer_id=anadolu.taxpayer.id,
                          person_identifier="34721590854", person_name="Ayşe Yılmaz", role=AuthorisationRole.MALI_MUSAVIR,
                          granted_by="4821307561", document_xml=document, certificate_serial="01")
    db_session.add(grant)
    db_session.commit()
    login_as(anadolu.taxpayer)

    assert f"/imza-dogrulama/yetkilendirme/{grant.id}" in client.get("/yetkilendirme/").get_data(as_text=True)
    xml = client.get(f"/imza-dogrulama/yetkilendirme/{grant.id}?bicim=xml")
    assert xml.mimetype == "application/xml" and "GEÇERLİ".encode() in xml.get_data()
    login_as(ege.taxpayer)
    assert client.get(f"/imza-dogrulama/yetkilendirme/{grant.id}").status_code == 404
