"""The XML documents that travel to GİB: how the portal builds them and how GİB's side reads them.

Builders return an lxml element with an empty `ds:Signature` placeholder for the signer to fill
(`app.signing.xades.sign_enveloped`); readers raise `DocumentError` with a Turkish detail.
"""

from app.formats.gib.common import SIGNATURE_PLACEHOLDER_ID, DocumentError, parse_xml

__all__ = ["DocumentError", "SIGNATURE_PLACEHOLDER_ID", "parse_xml"]
