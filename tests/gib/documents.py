"""Request documents for the simulator tests: e-Fatura application, label requests, a minimal e-Defter berat."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lxml import etree

from app.formats.gib.efatura_application import EFaturaApplicationForm, build_efatura_application
from app.formats.gib.user_account import LabelSpec, UserAccountRequest, build_user_account_request

ANADOLU_VKN = "4821307561"
ANADOLU_TITLE = "Anadolu Tekstil Sanayi ve Ticaret A.Ş."
EGE_VKN = "6132704183"
GB = LabelSpec("Invoice", "GB", "urn:mail:defaultgb@anadolutekstil.com.tr")
PK = LabelSpec("Invoice", "PK", "urn:mail:defaultpk@anadolutekstil.com.tr")
IRSALIYE_PK = LabelSpec("DespatchAdvice", "PK", "urn:mail:irsaliyepk@anadolutekstil.com.tr")


def application(
    identifier: str = ANADOLU_VKN, title: str = ANADOLU_TITLE, method: str = "Özel Entegrasyon"
) -> etree._Element:
    return build_efatura_application(
        EFaturaApplicationForm(
            identifier=identifier,
            title=title,
            tax_office="Bornova",
            address="Sanayi Cad. No: 1 Bornova / İzmir",
            email="muhasebe@anadolutekstil.com.tr",
            phone="0232 000 00 00",
            applied_at=datetime.now(UTC),
            method=method,
        )
    )


def label_request(
    *labels: LabelSpec, action: str = "open", identifier: str = ANADOLU_VKN, activation_date: date | None = None
) -> etree._Element:
    request = UserAccountRequest(
        identifier=identifier,
        title=ANADOLU_TITLE,
        labels=labels or (GB, PK),
        created_at=datetime.now(UTC),
        activation_date=activation_date,
    )
    return build_user_account_request(request, action)  # type: ignore[arg-type]


EDEFTER = "http://www.edefter.gov.tr"
XBRLI = "http://www.xbrl.org/2003/instance"
GL_COR = "http://www.xbrl.org/int/gl/cor/2006-10-25"
DS = "http://www.w3.org/2000/09/xmldsig#"


def berat(identifier: str, period: str, kind: str = "YB", part: int = 1) -> etree._Element:
    """A minimal yevmiye (YB) or kebir (KB) berat with the fields GİB reads and a signature placeholder."""
    year, month = period.split("-")
    root = etree.Element(f"{{{EDEFTER}}}berat", nsmap={"edefter": EDEFTER, "xbrli": XBRLI, "gl-cor": GL_COR, "ds": DS})
    xbrl = etree.SubElement(root, f"{{{XBRLI}}}xbrl")
    context = etree.SubElement(xbrl, f"{{{XBRLI}}}context", id="berat_context")
    entity = etree.SubElement(context, f"{{{XBRLI}}}entity")
    etree.SubElement(entity, f"{{{XBRLI}}}identifier", scheme="http://www.gib.gov.tr").text = identifier
    entries = etree.SubElement(xbrl, f"{{{GL_COR}}}accountingEntries")
    info = etree.SubElement(entries, f"{{{GL_COR}}}documentInfo")
    etree.SubElement(info, f"{{{GL_COR}}}entriesType").text = "journal" if kind == "YB" else "ledger"
    prefix = "YEV" if kind == "YB" else "KEB"
    etree.SubElement(info, f"{{{GL_COR}}}uniqueID").text = f"{prefix}{year}{month}{part:06d}"
    etree.SubElement(info, f"{{{GL_COR}}}periodCoveredStart").text = f"{period}-01"
    etree.SubElement(root, f"{{{DS}}}SignatureValue", Id="DefterImzaDegeri").text = "ZGVmdGVy"
    etree.SubElement(root, f"{{{DS}}}Signature", Id="Signature_Berat")
    return root


def defter_raporu(identifier: str, period: str) -> etree._Element:
    """A minimal defter raporu (DR) with the fields GİB reads and a signature placeholder."""
    year, month = period.split("-")
    root = etree.Element(f"{{{EDEFTER}}}defterraporu", nsmap={"edefter": EDEFTER, "xbrli": XBRLI, "gl-cor": GL_COR,
                                                               "ds": DS})
    xbrl = etree.SubElement(root, f"{{{XBRLI}}}xbrl")
    context = etree.SubElement(xbrl, f"{{{XBRLI}}}context", id="report_context")
    entity = etree.SubElement(context, f"{{{XBRLI}}}entity")
    etree.SubElement(entity, f"{{{XBRLI}}}identifier", scheme="http://www.gib.gov.tr").text = identifier
    entries = etree.SubElement(xbrl, f"{{{GL_COR}}}accountingEntries")
    info = etree.SubElement(entries, f"{{{GL_COR}}}documentInfo")
    etree.SubElement(info, f"{{{GL_COR}}}entriesType").text = "other"
    etree.SubElement(info, f"{{{GL_COR}}}uniqueID").text = f"EDR{year}{month}000001"
    etree.SubElement(info, f"{{{GL_COR}}}periodCoveredStart").text = f"{period}-01"
    etree.SubElement(root, f"{{{DS}}}Signature", Id="Signature_DR")
    return root
