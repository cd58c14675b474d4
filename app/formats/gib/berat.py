"""What GİB reads from a signed e-Defter berat: whose it is, which period, yevmiye or kebir, which part.

The berat repeats its defter's `gl-cor:documentInfo` (GIB-FORMATS §4.1): `entriesType` journal/ledger,
`uniqueID` YEV|KEB + YYYYMM + 6-digit part number, `periodCoveredStart`; the taxpayer is the
`xbrli:identifier` of the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from app.formats.gib.common import DocumentError, required_text

EDEFTER_NS = "http://www.edefter.gov.tr"
_NSMAP = {
    "edefter": EDEFTER_NS,
    "xbrli": "http://www.xbrl.org/2003/instance",
    "gl-cor": "http://www.xbrl.org/int/gl/cor/2006-10-25",
}
_KIND_BY_ENTRIES_TYPE = {"journal": "YB", "ledger": "KB"}
_UNIQUE_ID_PREFIX = {"YB": "YEV", "KB": "KEB"}
_UNIQUE_ID = re.compile(r"^(YEV|KEB)(\d{4})(\d{2})(\d{6})$")
_DOCUMENT_INFO = "xbrli:xbrl/gl-cor:accountingEntries/gl-cor:documentInfo"


@dataclass(frozen=True)
class BeratInfo:
    identifier: str
    period: str  # YYYY-MM
    kind: str  # YB (yevmiye beratı) | KB (kebir beratı)
    part: int

    @property
    def approved_filename(self) -> str:
        """The name GİB gives the approved berat, e.g. GIB-9000068418-202401-YB-000001.xml."""
        return f"GIB-{self.identifier}-{self.period.replace('-', '')}-{self.kind}-{self.part:06d}.xml"


def read_berat_info(root: etree._Element) -> BeratInfo:
    """The berat's owner, period, kind and part; DocumentError when the document is not a berat."""
    if root.tag != f"{{{EDEFTER_NS}}}berat":
        raise DocumentError("Belge bir e-Defter beratı (edefter:berat) değil.")
    identifier = required_text(root, "xbrli:xbrl/xbrli:context/xbrli:entity/xbrli:identifier", _NSMAP, "VKN/TCKN")
    entries_type = required_text(root, f"{_DOCUMENT_INFO}/gl-cor:entriesType", _NSMAP, "entriesType")
    kind = _KIND_BY_ENTRIES_TYPE.get(entries_type)
    if kind is None:
        raise DocumentError(f"Berat türü '{entries_type}' tanınmadı: journal (yevmiye) ya da ledger (kebir) olmalıdır.")
    start = required_text(root, f"{_DOCUMENT_INFO}/gl-cor:periodCoveredStart", _NSMAP, "periodCoveredStart")
    unique_id = required_text(root, f"{_DOCUMENT_INFO}/gl-cor:uniqueID", _NSMAP, "uniqueID")
    match = _UNIQUE_ID.match(unique_id)
    if match is None or match.group(1) != _UNIQUE_ID_PREFIX[kind]:
        raise DocumentError(
            f"Defter numarası (uniqueID) '{unique_id}' {_UNIQUE_ID_PREFIX[kind]}YYYYAA000001 biçiminde olmalıdır."
        )
    period = f"{match.group(2)}-{match.group(3)}"
    if not 1 <= int(match.group(3)) <= 12:
        raise DocumentError(f"Defter numarasındaki ay ({match.group(3)}) geçersiz.")
    if not start.startswith(period):
        raise DocumentError(f"Defter numarasındaki dönem ({period}) ile dönem başlangıcı ({start}) uyuşmuyor.")
    return BeratInfo(identifier=identifier, period=period, kind=kind, part=int(match.group(4)))
