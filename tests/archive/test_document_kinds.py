"""Which product and kind Belge Saklama reads from each UBL-TR document, and what it refuses (pure lxml)."""

from __future__ import annotations

from datetime import date

import pytest

from app.formats.safe_xml import parse_untrusted
from app.formats.stored_document import DocumentFormatError, read_stored_document
from app.kontor.rules import MB, charge, megabytes, unit_for
from app.models.kontor import KontorUnit

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _party(tag: str, identifier: str, name: str, wrap: bool = True) -> str:
    inner = (f'<cac:PartyIdentification><cbc:ID schemeID="{"VKN" if len(identifier) == 10 else "TCKN"}">{identifier}'
             f'</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>{name}</cbc:Name></cac:PartyName>')
    return f"<cac:{tag}><cac:Party>{inner}</cac:Party></cac:{tag}>" if wrap else f"<cac:{tag}>{inner}</cac:{tag}>"


def _document(root: str, extra: str, parties: str) -> bytes:
    return (f'<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" xmlns:cac="{CAC}" xmlns:cbc="{CBC}">'
            f'{extra}<cbc:ID>ABC2024000000001</cbc:ID><cbc:UUID>5F0C2A8E-3B1D-4C6E-9A7F-2D4E6B8C0A12</cbc:UUID>'
            f'<cbc:IssueDate>2024-03-01</cbc:IssueDate>{parties}</{root}>').encode()


SUPPLIER_CUSTOMER = _party("AccountingSupplierParty", "4821307561", "Anadolu") + _party(
    "AccountingCustomerParty", "6132704183", "Ege")


@pytest.mark.parametrize(("root", "extra", "parties", "product", "kind", "sender"), [
    ("Invoice", "<cbc:ProfileID>TEMELFATURA</cbc:ProfileID><cbc:InvoiceTypeCode>SATIS</cbc:InvoiceTypeCode>",
     SUPPLIER_CUSTOMER, "efatura", "fatura", "4821307561"),
    ("Invoice", "<cbc:ProfileID>EARSIVFATURA</cbc:ProfileID><cbc:InvoiceTypeCode>SATIS</cbc:InvoiceTypeCode>",
     SUPPLIER_CUSTOMER, "earsiv", "earsiv_fatura", "4821307561"),
    ("Invoice", "<cbc:ProfileID>EARSIVBELGE</cbc:ProfileID><cbc:InvoiceTypeCode>SERBESTMESLEKMAKBUZU</cbc:InvoiceTypeCode>",
     SUPPLIER_CUSTOMER, "esmm", "esmm", "4821307561"),
    ("CreditNote", "<cbc:ProfileID>EARSIVBELGE</cbc:ProfileID><cbc:CreditNoteTypeCode>MUSTAHSILMAKBUZ</cbc:CreditNoteTypeCode>",
     SUPPLIER_CUSTOMER, "emm", "emm", "4821307561"),
    ("ApplicationResponse", "", _party("SenderParty", "6132704183", "Ege", wrap=False)
     + _party("ReceiverParty", "4821307561", "Anadolu", wrap=False), "efatura", "uygulama_yaniti", "6132704183"),
    ("DespatchAdvice", "", _party("DespatchSupplierParty", "4821307561", "Anadolu")
     + _party("DeliveryCustomerParty", "6132704183", "Ege"), "eirsaliye", "irsaliye", "4821307561"),
    ("ReceiptAdvice", "", _party("DespatchSupplierParty", "4821307561", "Anadolu")
     + _party("DeliveryCustomerParty", "6132704183", "Ege"), "eirsaliye", "irsaliye_yaniti", "6132704183"),
])
def test_each_kind_is_read_with_its_sender(root, extra, parties, product, kind, sender):
    read = read_stored_document(parse_untrusted(_document(root, extra, parties), max_bytes=10**6), today=date(2025, 1, 1))

    assert (read.product, read.document_type, read.sender.identifier) == (product, kind, sender)
    assert read.ettn == "5f0c2a8e-3b1d-4c6e-9a7f-2d4e6b8c0a12" and read.issue_date == date(2024, 3, 1)


@pytest.mark.parametrize(("data", "message"), [
    (_document("CreditNote", "<cbc:CreditNoteTypeCode>IADE</cbc:CreditNoteTypeCode>", SUPPLIER_CUSTOMER), "MUSTAHSILMAKBUZ"),
    (b"<Belge xmlns='urn:x'/>", "saklanabilecek bir belge değil"),
    (_document("Invoice", "", _party("AccountingSupplierParty", "48213", "Anadolu")), "geçersiz"),
    (_document("Invoice", "", SUPPLIER_CUSTOMER).replace(b"2024-03-01", b"2031-03-01"), "ileri bir tarih"),
])
def test_what_is_not_a_storable_document_is_refused_with_a_reason(data, message):
    with pytest.raises(DocumentFormatError) as refused:
        read_stored_document(parse_untrusted(data, max_bytes=10**6), today=date(2025, 1, 1))
    assert message in refused.value.message


def test_what_a_document_costs():
    assert unit_for("efatura") is KontorUnit.ADET and unit_for("earsiv") is KontorUnit.ADET
    assert unit_for("earsiv", origin="baska_cok") is KontorUnit.MB and unit_for("edefter") is KontorUnit.MB
    assert (megabytes(0), megabytes(MB), megabytes(MB + 1)) == (1, 1, 2)
    assert charge(KontorUnit.ADET, 5 * MB) == 1 and charge(KontorUnit.MB, 5 * MB + 7) == 6
