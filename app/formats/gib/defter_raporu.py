"""What GİB reads from a signed defter raporu (DR): whose it is and which period.

The DR repeats the defter's documentInfo (decision note 0113): ``uniqueID`` EDR + YYYYMM + 6 digits,
``periodCoveredStart``; the taxpayer is the ``xbrli:identifier`` of the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from app.formats.gib.berat import EDEFTER_NS
from app.formats.gib.common import DocumentError, required_text

_NSMAP = {
    "xbrli": "http://www.xbrl.org/2003/instance",
    "gl-cor": "http://www.xbrl.org/int/gl/cor/2006-10-25",
}
_DOCUMENT_INFO = "xbrli:xbrl/gl-cor:accountingEntries/gl-cor:documentInfo"
_UNIQUE_ID = re.compile(r"^EDR(\d{4})(0[1-9]|1[0-2])(\d{6})$")


@dataclass(frozen=True)
class ReportInfo:
    identifier: str
    period: str  # YYYY-MM


def read_report_info(root: etree._Element) -> ReportInfo:
    """The DR's owner and period; DocumentError when the document is not a defter raporu."""
    if root.tag != f"{{{EDEFTER_NS}}}defterraporu":
        raise DocumentError("Belge bir defter raporu (edefter:defterraporu) değil.")
    identifier = required_text(root, "xbrli:xbrl/xbrli:context/xbrli:entity/xbrli:identifier", _NSMAP, "VKN/TCKN")
    unique_id = required_text(root, f"{_DOCUMENT_INFO}/gl-cor:uniqueID", _NSMAP, "uniqueID")
    match = _UNIQUE_ID.match(unique_id)
    if match is None:
        raise DocumentError(f"Defter raporu numarası (uniqueID) '{unique_id[:40]}' EDRYYYYAA000001 biçiminde olmalıdır.")
    period = f"{match.group(1)}-{match.group(2)}"
    start = required_text(root, f"{_DOCUMENT_INFO}/gl-cor:periodCoveredStart", _NSMAP, "periodCoveredStart")
    if not start.startswith(period):
        raise DocumentError(f"Defter raporu numarasındaki dönem ({period}) ile dönem başlangıcı ({start}) uyuşmuyor.")
    return ReportInfo(identifier=identifier, period=period)
