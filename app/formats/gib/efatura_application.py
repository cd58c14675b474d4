"""'GİB e-Fatura Başvuru Bilgileri': the signed e-Fatura application (Yararlanma Yöntemi: Özel Entegrasyon).

GİB publishes no XML format for this form (GIB-FORMATS §7), so the portal and the simulator share
this one: a small document in its own namespace, signed enveloped by the applicant's card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from app.formats.gib.common import (
    DS_NS,
    DocumentError,
    optional_text,
    required_text,
    signature_placeholder,
)

NS = "urn:ebelge-portal:gib:efatura-basvuru:1"
ROOT_TAG = f"{{{NS}}}EFaturaBasvuru"
_NSMAP = {"b": NS}
PRIVATE_INTEGRATION = "Özel Entegrasyon"


@dataclass(frozen=True)
class EFaturaApplicationForm:
    """The fields of the form, as the applicant fills them in."""

    identifier: str
    title: str
    tax_office: str
    address: str
    email: str
    phone: str
    applied_at: datetime
    user_type: str = "OZEL"
    method: str = PRIVATE_INTEGRATION


def build_efatura_application(form: EFaturaApplicationForm) -> etree._Element:
    """The unsigned application document with a ds:Signature placeholder as its last child."""
    root = etree.Element(ROOT_TAG, nsmap={"basvuru": NS, "ds": DS_NS})
    taxpayer = etree.SubElement(root, f"{{{NS}}}Mukellef")
    for tag, value in (
        ("VknTckn", form.identifier),
        ("Unvan", form.title),
        ("VergiDairesi", form.tax_office),
        ("Adres", form.address),
        ("EPosta", form.email),
        ("Telefon", form.phone),
        ("KullaniciTipi", form.user_type),
    ):
        etree.SubElement(taxpayer, f"{{{NS}}}{tag}").text = value
    etree.SubElement(root, f"{{{NS}}}YararlanmaYontemi").text = form.method
    etree.SubElement(root, f"{{{NS}}}BasvuruZamani").text = form.applied_at.isoformat(timespec="seconds")
    signature_placeholder(root)
    return root


def read_efatura_application(root: etree._Element) -> EFaturaApplicationForm:
    """The form's fields from a (signed) application document; DocumentError when it is not one."""
    if root.tag != ROOT_TAG:
        raise DocumentError("Belge bir 'GİB e-Fatura Başvuru Bilgileri' belgesi değil.")
    applied_text = required_text(root, "b:BasvuruZamani", _NSMAP, "Başvuru Zamanı")
    try:
        applied_at = datetime.fromisoformat(applied_text)
    except ValueError as exc:
        raise DocumentError("'Başvuru Zamanı' geçerli bir tarih-saat değil.") from exc
    return EFaturaApplicationForm(
        identifier=required_text(root, "b:Mukellef/b:VknTckn", _NSMAP, "VKN/TCKN"),
        title=required_text(root, "b:Mukellef/b:Unvan", _NSMAP, "Unvan"),
        tax_office=required_text(root, "b:Mukellef/b:VergiDairesi", _NSMAP, "Vergi Dairesi"),
        address=optional_text(root, "b:Mukellef/b:Adres", _NSMAP),
        email=required_text(root, "b:Mukellef/b:EPosta", _NSMAP, "E-Posta"),
        phone=optional_text(root, "b:Mukellef/b:Telefon", _NSMAP),
        user_type=optional_text(root, "b:Mukellef/b:KullaniciTipi", _NSMAP) or "OZEL",
        method=required_text(root, "b:YararlanmaYontemi", _NSMAP, "Yararlanma Yöntemi"),
        applied_at=applied_at,
    )
