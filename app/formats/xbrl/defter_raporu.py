"""The defter raporu (DR, ``edefter:defterraporu``): one per period (per branch), every main account that moved.

No DR schematron or sample is public (GIB-FORMATS §9): this follows GİB's edefter.xsd and how a public viewer
reads a DR — documentInfo (uniqueID ``EDR`` + YYYYMM + 6 digits), entityInformation, ``xbrli:segment`` with the
DR's UUID and the number of maddeler, and one entryHeader whose entryDetails give, per main account and side,
the amount and (in ``gl-cor:documentApplyToNumber``) the number of lines, ``xbrlInclude = period_change``
(decision note 0113). Written as canonical bytes; the signer appends its ds:Signature.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from app.formats.xbrl.defter_stream import DOCUMENT_TAIL, _Facts, document_head
from app.formats.xbrl.model import CompanyInfo, DocumentInfo

ROOT = "edefter:defterraporu"
ROOT_END = f"</{ROOT}>".encode()
CONTEXT = "report_context"


@dataclass(frozen=True)
class AccountMovement:
    """One main account's movement in the period (a GROUP BY over the period's lines)."""

    main_id: str
    description: str
    debit_count: int
    debit_total: Decimal
    credit_count: int
    credit_total: Decimal


def report_unique_id(document: DocumentInfo) -> str:
    return f"EDR{document.period_start:%Y%m}{document.sequence:06d}"


def defter_raporu_bytes(company: CompanyInfo, document: DocumentInfo, report_uuid: str, entry_count: int,
                        accounts: list[AccountMovement]) -> tuple[bytes, bytes]:
    """(the unsigned DR's canonical bytes from its root start tag to its end tag, their SHA-256)."""
    facts = _Facts(CONTEXT)
    segment = facts.item("gl-cor:uniqueID", report_uuid) + facts.count("gl-bus:numberOfEntries", entry_count)
    lines = ["<gl-cor:entryHeader>", facts.item("gl-cor:qualifierEntry", "standard")]
    number = 0
    for account in sorted(accounts, key=lambda a: a.main_id):
        for side, count, total in (("D", account.debit_count, account.debit_total),
                                   ("C", account.credit_count, account.credit_total)):
            if not count:
                continue
            number += 1
            lines.append(
                "<gl-cor:entryDetail>"
                + facts.item("gl-cor:lineNumber", str(number))
                + "<gl-cor:account>"
                + facts.item("gl-cor:accountMainID", account.main_id)
                + facts.item("gl-cor:accountMainDescription", account.description)
                + "</gl-cor:account>"
                + facts.money("gl-cor:amount", total)
                + facts.item("gl-cor:debitCreditCode", side)
                + facts.item("gl-cor:documentApplyToNumber", str(count))
                + "<gl-cor:xbrlInfo>"
                + facts.item("gl-cor:xbrlInclude", "period_change")
                + "</gl-cor:xbrlInfo>"
                + "</gl-cor:entryDetail>"
            )
    lines.append("</gl-cor:entryHeader>\n")
    body = (
        document_head(ROOT, company, document, CONTEXT, "other", report_unique_id(document), segment=segment)
        + "".join(lines)
        + DOCUMENT_TAIL
        + f"</{ROOT}>"
    ).encode()
    return body, hashlib.sha256(body).digest()
