"""XAdES-BES signatures made on the token: where they go, what they contain, and that xmlsec1 accepts them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from lxml import etree

from app.signing.act import signing_act
from app.signing.verify import verify_signed_xml
from app.signing.xades import DS_NS, NAMESPACES, XADES_NS
from tests.signing.conftest import sign_once, xmlsec1_verify

INCLUSIVE_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"


def _signature(signed: bytes) -> etree._Element:
    signatures = etree.fromstring(signed).findall(f".//{{{DS_NS}}}Signature")
    assert len(signatures) == 1
    return signatures[0]


def test_ubl_invoice_is_signed_inside_extension_content_with_the_id_cac_signature_points_at(demo_pki, invoice, tmp_path):
    signed = sign_once(demo_pki, demo_pki.token("anadolu"), invoice)

    signature = _signature(signed)
    assert etree.QName(signature.getparent()).localname == "ExtensionContent"
    assert signature.get("Id") == "Signature_DAS2024000000003"
    assert verify_signed_xml(signed, demo_pki.trust_anchors(), expected_owner_id="4821307561").ok
    check = xmlsec1_verify(signed, demo_pki.ca_cert_path, tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stderr.startswith("OK")


def test_signature_has_the_parts_gib_checks(demo_pki, invoice):
    signed = sign_once(demo_pki, demo_pki.token("anadolu"), invoice)

    signature = _signature(signed)
    ns = {"ds": DS_NS, "xades": XADES_NS}
    assert signature.find("ds:SignedInfo/ds:CanonicalizationMethod", ns).get("Algorithm") == INCLUSIVE_C14N
    assert signature.find("ds:SignedInfo/ds:SignatureMethod", ns).get("Algorithm").endswith("#rsa-sha256")
    whole_document = signature.find("ds:SignedInfo/ds:Reference[@URI='']", ns)
    assert whole_document.find("ds:Transforms", ns) is not None
    assert signature.find("ds:SignatureValue", ns).get("Id")
    assert signature.find("ds:KeyInfo/ds:X509Data/ds:X509Certificate", ns) is not None
    properties = signature.find("ds:Object/xades:QualifyingProperties/xades:SignedProperties", ns)
    assert properties.find(".//xades:SigningTime", ns) is not None
    assert properties.find(".//xades:SigningCertificate/xades:Cert/xades:IssuerSerial/ds:X509SerialNumber", ns) is not None
    assert properties.find(".//xades:SigningCertificateV2", ns) is None


def test_berat_is_signed_at_its_placeholder_after_the_xbrl_and_verifies_with_xmlsec1(demo_pki, berat, tmp_path):
    signed = sign_once(demo_pki, demo_pki.token("anadolu"), berat)

    root = etree.fromstring(signed)
    assert [etree.QName(child).localname for child in root] == ["xbrl", "SignatureValue", "Signature"]
    assert root.find("ds:SignatureValue", NAMESPACES).get("Id") == "SignatureValue_Defter"  # the copy is untouched
    assert verify_signed_xml(signed, demo_pki.trust_anchors()).ok
    assert xmlsec1_verify(signed, demo_pki.ca_cert_path, tmp_path).returncode == 0


def test_placeholder_given_by_id_keeps_that_id(demo_pki, tmp_path):
    request = (
        b'<IptalTalebi xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><FaturaNo>DAS2024000000003</FaturaNo>'
        b'<Tutar>7840.80</Tutar><ds:Signature Id="Signature_Talep"/></IptalTalebi>'
    )
    signed = sign_once(demo_pki, demo_pki.token("ege"), request, placeholder="Signature_Talep")

    assert _signature(signed).get("Id") == "Signature_Talep"
    assert verify_signed_xml(signed, demo_pki.trust_anchors()).ok
    assert xmlsec1_verify(signed, demo_pki.ca_cert_path, tmp_path).returncode == 0


def test_placeholder_given_by_xpath_puts_the_signature_inside_that_element(demo_pki):
    document = b"<Basvuru><Bilgi>Ozel Entegrasyon</Bilgi><Imza/><Son/></Basvuru>"
    signed = sign_once(demo_pki, demo_pki.token("ege"), document, placeholder="/Basvuru/Imza")

    assert _signature(signed).getparent().tag == "Imza"
    assert verify_signed_xml(signed, demo_pki.trust_anchors()).ok


def test_missing_placeholder_is_refused(demo_pki):
    with pytest.raises(ValueError, match="bulunamadı"):
        sign_once(demo_pki, demo_pki.token("ege"), b"<Belge/>", placeholder="/Belge/Yok")


def test_document_without_any_place_gets_the_signature_as_last_child(demo_pki):
    signed = sign_once(demo_pki, demo_pki.token("ege"), b"<Talep><No>1</No></Talep>")

    assert etree.QName(etree.fromstring(signed)[-1]).localname == "Signature"
    assert verify_signed_xml(signed, demo_pki.trust_anchors()).ok


def test_ec_p384_mali_muhur_signs_with_ecdsa_sha384_and_xmlsec1_accepts_it(demo_pki, invoice, tmp_path):
    signed = sign_once(demo_pki, demo_pki.token("marmara"), invoice)

    algorithm = _signature(signed).find("ds:SignedInfo/ds:SignatureMethod", NAMESPACES).get("Algorithm")
    assert algorithm.endswith("#ecdsa-sha384")
    result = verify_signed_xml(signed, demo_pki.trust_anchors())
    assert result.ok and result.certificate_info.key_description == "EC P-384"
    assert xmlsec1_verify(signed, demo_pki.ca_cert_path, tmp_path).returncode == 0


def test_e_imza_of_a_sole_trader_verifies(demo_pki, invoice, tmp_path):
    signed = sign_once(demo_pki, demo_pki.token("ayse"), invoice)

    result = verify_signed_xml(signed, demo_pki.trust_anchors(), expected_owner_id="34721590854")
    assert result.ok and result.certificate_info.kind == "e_imza"
    assert xmlsec1_verify(signed, demo_pki.ca_cert_path, tmp_path).returncode == 0


def test_a_batch_of_documents_is_signed_inside_one_login(demo_pki, invoice):
    token = demo_pki.token("ege")
    with signing_act(demo_pki.module_path, token.label, token.pin) as act:
        signed = [act.sign_enveloped(invoice, signature_id=f"Signature_{n}") for n in range(5)]

    assert len(set(signed)) == 5
    assert all(verify_signed_xml(document, demo_pki.trust_anchors()).ok for document in signed)


def test_signing_time_given_by_the_caller_is_the_one_written_and_reported(demo_pki, invoice):
    moment = datetime.now(timezone.utc).replace(microsecond=0)
    signed = sign_once(demo_pki, demo_pki.token("ege"), invoice, signing_time=moment)

    assert verify_signed_xml(signed, demo_pki.trust_anchors()).signing_time == moment


def test_caller_element_is_not_changed(demo_pki, invoice):
    element = etree.fromstring(invoice)
    before = etree.tostring(element)
    sign_once(demo_pki, demo_pki.token("ege"), element)

    assert etree.tostring(element) == before



def test_processing_instructions_and_comments_around_the_root_survive_and_verify(demo_pki, tmp_path):
    document = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="general.xslt"?>\n'
        b"<!-- fatura -->\n<Talep>\n\t<No>1</No><!-- ic yorum -->\n\t<Imza/>\n</Talep>\n"
    )
    signed = sign_once(demo_pki, demo_pki.token("ege"), document, placeholder="/Talep/Imza")

    assert b"<?xml-stylesheet" in signed and b"<!-- ic yorum -->" in signed
    assert verify_signed_xml(signed, demo_pki.trust_anchors()).ok
    assert xmlsec1_verify(signed, demo_pki.ca_cert_path, tmp_path).returncode == 0
    changed_stylesheet = signed.replace(b'href="general.xslt"', b'href="other.xslt"')
    assert verify_signed_xml(changed_stylesheet, demo_pki.trust_anchors()).code == "tampered"
    assert xmlsec1_verify(changed_stylesheet, demo_pki.ca_cert_path, tmp_path).returncode != 0
