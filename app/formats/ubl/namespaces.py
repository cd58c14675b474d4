"""XML namespaces of UBL-TR invoices and GİB envelopes."""

from __future__ import annotations

from typing import Final

INVOICE: Final = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
DS: Final = "http://www.w3.org/2000/09/xmldsig#"
XADES: Final = "http://uri.etsi.org/01903/v1.3.2#"
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
SBDH: Final = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
PACKAGE: Final = "http://www.efatura.gov.tr/package-namespace"

# Prefix map for find()/findall() paths and for writing documents.
NSMAP: Final[dict[str, str]] = {
    "inv": INVOICE,
    "cac": CAC,
    "cbc": CBC,
    "ext": EXT,
    "ds": DS,
    "sh": SBDH,
    "ef": PACKAGE,
}
