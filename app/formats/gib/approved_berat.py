"""The GİB-approved berat the simulator returns: the taxpayer's berat, untouched, under GİB's seal.

`edefter:berat` allows exactly one ds:Signature, and adding a second enveloped signature to the
same document would break the taxpayer's own. So GİB's answer wraps the submitted berat's exact
bytes (base64) with the approval facts and seals the wrapper (docs/decisions/0022). Both signatures
stay verifiable: the taxpayer's on the inner file, GİB's on the wrapper (xmlsec1 --verify).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from app.formats.gib.berat import BeratInfo
from app.formats.gib.common import DS_NS, DocumentError, required_text, signature_placeholder

NS = "urn:ebelge-portal:gib:onayli-berat:1"
ROOT_TAG = f"{{{NS}}}GibOnayliBerat"
_NSMAP = {"o": NS}


@dataclass(frozen=True)
class ApprovedBerat:
    info: BeratInfo
    approved_at: datetime
    approval_id: str
    berat: bytes  # the taxpayer's signed berat, byte for byte


def build_approved_berat(approval: ApprovedBerat) -> etree._Element:
    """The unsigned approval document with a placeholder for GİB's mali mühür."""
    root = etree.Element(ROOT_TAG, nsmap={"onay": NS, "ds": DS_NS})
    facts = etree.SubElement(root, f"{{{NS}}}OnayBilgileri")
    info = approval.info
    for tag, value in (
        ("OnayNo", approval.approval_id),
        ("VknTckn", info.identifier),
        ("Donem", info.period),
        ("BeratTuru", info.kind),
        ("ParcaNo", str(info.part)),
        ("OnayZamani", approval.approved_at.isoformat(timespec="seconds")),
        ("BeratOzetiSHA256", hashlib.sha256(approval.berat).hexdigest()),
    ):
        etree.SubElement(facts, f"{{{NS}}}{tag}").text = value
    embedded = etree.SubElement(root, f"{{{NS}}}Berat")
    embedded.set("dosyaAdi", submitted_filename(info))
    embedded.text = base64.b64encode(approval.berat).decode("ascii")
    signature_placeholder(root)
    return root


def submitted_filename(info: BeratInfo) -> str:
    """The taxpayer's berat file name, e.g. 9000068418-202401-YB-000001.xml."""
    return info.approved_filename.removeprefix("GIB-")


def read_approved_berat(root: etree._Element) -> ApprovedBerat:
    """The approval facts and the taxpayer's berat bytes; DocumentError when the document is not one."""
    if root.tag != ROOT_TAG:
        raise DocumentError("Belge GİB onaylı berat değil.")
    berat = base64.b64decode(required_text(root, "o:Berat", _NSMAP, "Berat"))
    expected_digest = required_text(root, "o:OnayBilgileri/o:BeratOzetiSHA256", _NSMAP, "Berat Özeti")
    if hashlib.sha256(berat).hexdigest() != expected_digest:
        raise DocumentError("Onaylı berattaki berat dosyası özetiyle uyuşmuyor.")
    info = BeratInfo(
        identifier=required_text(root, "o:OnayBilgileri/o:VknTckn", _NSMAP, "VKN/TCKN"),
        period=required_text(root, "o:OnayBilgileri/o:Donem", _NSMAP, "Dönem"),
        kind=required_text(root, "o:OnayBilgileri/o:BeratTuru", _NSMAP, "Berat Türü"),
        part=int(required_text(root, "o:OnayBilgileri/o:ParcaNo", _NSMAP, "Parça No")),
    )
    return ApprovedBerat(
        info=info,
        approved_at=datetime.fromisoformat(required_text(root, "o:OnayBilgileri/o:OnayZamani", _NSMAP, "Onay Zamanı")),
        approval_id=required_text(root, "o:OnayBilgileri/o:OnayNo", _NSMAP, "Onay No"),
        berat=berat,
    )
