"""Namespaces of GİB's e-Defter (XBRL-GL 2006-10-25, case-c-b) documents, and Clark-notation names."""

from __future__ import annotations

EDEFTER = "http://www.edefter.gov.tr"
XBRLI = "http://www.xbrl.org/2003/instance"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
GL_COR = "http://www.xbrl.org/int/gl/cor/2006-10-25"
GL_BUS = "http://www.xbrl.org/int/gl/bus/2006-10-25"
GL_MUC = "http://www.xbrl.org/int/gl/muc/2006-10-25"
GL_PLT = "http://www.xbrl.org/int/gl/plt/2006-10-25"
ISO4217 = "http://www.xbrl.org/2003/iso4217"
ISO639 = "http://www.xbrl.org/2005/iso639"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"

# Prefixes as GİB's own samples and schematron spell them; declared once on the root element.
NSMAP: dict[str, str] = {
    "edefter": EDEFTER,
    "xbrli": XBRLI,
    "link": LINK,
    "xlink": XLINK,
    "gl-cor": GL_COR,
    "gl-bus": GL_BUS,
    "gl-muc": GL_MUC,
    "gl-plt": GL_PLT,
    "iso4217": ISO4217,
    "iso639": ISO639,
    "ds": DS,
    "xades": XADES,
}


def cor(local: str) -> str:
    return f"{{{GL_COR}}}{local}"


def bus(local: str) -> str:
    return f"{{{GL_BUS}}}{local}"


def muc(local: str) -> str:
    return f"{{{GL_MUC}}}{local}"


def xbrli(local: str) -> str:
    return f"{{{XBRLI}}}{local}"


DEFTER = f"{{{EDEFTER}}}defter"
BERAT = f"{{{EDEFTER}}}berat"
DEFTER_RAPORU = f"{{{EDEFTER}}}defterraporu"
SIGNATURE = f"{{{DS}}}Signature"
SIGNATURE_VALUE = f"{{{DS}}}SignatureValue"

# Context ids GİB's schematron expects for the two kinds of defter.
JOURNAL_CONTEXT = "journal_context"
LEDGER_CONTEXT = "ledger_context"
# The identifier scheme used in GİB's samples.
GIB_IDENTIFIER_SCHEME = "http://www.gib.gov.tr"
