"""The berat of one defter part (``edefter:berat``), written as canonical bytes for the streaming signer.

GİB's berat rules (edefter_berat.xsl, GIB-FORMATS §4.1, §8, §9): the part's documentInfo and entityInformation;
an ``xbrli:segment`` with the berat's own UUID, the number of maddeler (yevmiye berats only) and the defter
file's size; one tax-detail entryHeader (qualifierEntry ``standard``) with ten lines — accounts 391, 191, 600,
601, 602, each debit and credit, ``xbrlInclude = period_change`` — or, for a "vergi detaysız" berat, the
segment's ``identifierAuthorityCode VERGI_DETAYSIZ`` and no entryHeader; then the defter's ds:SignatureValue
(with its Id) and the berat's own ds:Signature (added by the signer before the root's end tag).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.canonical import attribute, text
from app.formats.xbrl.defter_stream import DOCUMENT_TAIL, _Facts, document_head
from app.formats.xbrl.model import CompanyInfo, DocumentInfo

ROOT = "edefter:berat"
ROOT_END = f"</{ROOT}>".encode()
TAX_ACCOUNTS = (
    ("391", "HESAPLANAN KDV"),
    ("191", "İNDİRİLECEK KDV"),
    ("600", "YURT İÇİ SATIŞLAR"),
    ("601", "YURT DIŞI SATIŞLAR"),
    ("602", "DİĞER GELİRLER"),
)


@dataclass(frozen=True)
class BeratInput:
    """What a berat says about its defter part."""

    entries_type: str  # "journal" (YB) or "ledger" (KB)
    part_unique_id: str  # the part's YEV…/KEB… uniqueID
    document: DocumentInfo  # the part's documentInfo (same period, creation date)
    berat_uuid: str
    entry_count: int  # maddeler of a yevmiye part (written for journal berats only)
    defter_size: int  # bytes of the signed defter file
    defter_signature_value: str  # base64, copied from the signed defter
    defter_signature_value_id: str
    tax_totals: dict[str, Decimal] | None  # "391D", "391C", … ; None: a "vergi detaysız" berat


def _segment(facts: _Facts, berat: BeratInput) -> str:
    parts = [facts.item("gl-cor:uniqueID", berat.berat_uuid)]
    if berat.entries_type == "journal":
        parts.append(facts.count("gl-bus:numberOfEntries", berat.entry_count))
    # The defter's size (GIB-FORMATS §9); where GİB reads it from is not documented publicly (decision note 0113).
    parts.append(facts.count("gl-bus:measurableQuantity", berat.defter_size))
    if berat.tax_totals is None:
        parts.append(facts.item("gl-cor:identifierAuthorityCode", "VERGI_DETAYSIZ"))
    return "".join(parts)


def _tax_detail(facts: _Facts, totals: dict[str, Decimal]) -> str:
    lines = ["<gl-cor:entryHeader>", facts.item("gl-cor:qualifierEntry", "standard")]
    number = 0
    for code, name in TAX_ACCOUNTS:
        for side in ("D", "C"):
            number += 1
            lines.append(
                "<gl-cor:entryDetail>"
                + facts.item("gl-cor:lineNumber", str(number))
                + "<gl-cor:account>"
                + facts.item("gl-cor:accountMainID", code)
                + facts.item("gl-cor:accountMainDescription", name)
                + "</gl-cor:account>"
                + facts.money("gl-cor:amount", totals.get(code + side, Decimal(0)))
                + facts.item("gl-cor:debitCreditCode", side)
                + "<gl-cor:xbrlInfo>"
                + facts.item("gl-cor:xbrlInclude", "period_change")
                + "</gl-cor:xbrlInfo>"
                + "</gl-cor:entryDetail>"
            )
    lines.append("</gl-cor:entryHeader>")
    return "".join(lines)


def berat_bytes(company: CompanyInfo, berat: BeratInput) -> tuple[bytes, bytes]:
    """(the unsigned berat's canonical bytes from its root start tag to its end tag, their SHA-256)."""
    context_id = ns.JOURNAL_CONTEXT if berat.entries_type == "journal" else ns.LEDGER_CONTEXT
    facts = _Facts(context_id)
    body = (
        document_head(ROOT, company, berat.document, context_id, berat.entries_type, berat.part_unique_id,
                      segment=_segment(facts, berat))
        + (_tax_detail(facts, berat.tax_totals) if berat.tax_totals is not None else "")
        + DOCUMENT_TAIL
        + f'<ds:SignatureValue Id="{attribute(berat.defter_signature_value_id)}">'
        + text(berat.defter_signature_value)
        + "</ds:SignatureValue>"
        + f"</{ROOT}>"
    ).encode()
    return body, hashlib.sha256(body).digest()
