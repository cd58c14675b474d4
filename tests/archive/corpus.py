"""Signed UBL-TR documents for the Belge Saklama tests and benchmark, made on the demo SoftHSM cards.

Signatures are real (one card login for many documents); the bad members are derived from good ones the way
they happen: a byte changed after signing, a signature value broken, a document of two other companies, a
signature from a CA the portal does not trust, hostile XML, a file that is not XML.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from app.formats.ubl import PartyDetails, build_invoice
from app.formats.ubl.examples import example_invoice
from app.signing.act import signing_act
from app.signing.demo_pki import DemoPKI
from app.signing.xades import sign_enveloped

HOSTILE = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
           b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol2;</Invoice>')
OUTSIDER = PartyDetails(identifier="1234567890", name="Dış Firma A.Ş.")


def invoices(pki: DemoPKI, seller_key: str, buyer: PartyDetails, count: int, *, prefix: str = "ANA",
             start: int = 1, profile: str = "TEMELFATURA") -> list[bytes]:
    """``count`` distinct invoices of the demo taxpayer ``seller_key`` to ``buyer``, signed in one card login."""
    token = pki.token(seller_key)
    seller = PartyDetails(identifier=token.owner_id, name=token.owner_name)
    issued = date.today() - timedelta(days=40)
    with signing_act(pki.module_path, token.label, token.pin) as act:
        return [act.sign_enveloped(build_invoice(example_invoice(
            number=f"{prefix}{issued.year}{start + n:09d}", ettn=str(uuid.uuid4()), issue_date=issued, seller=seller,
            buyer=buyer))) for n in range(count)]


def tampered(document: bytes) -> bytes:
    """One byte of the payable amount changed after signing."""
    marker = b"PayableAmount currencyID=\"TRY\">"
    at = document.index(marker) + len(marker)
    digit = document[at:at + 1]
    return document[:at] + (b"9" if digit != b"9" else b"8") + document[at + 1:]


def broken_signature(document: bytes) -> bytes:
    start = document.index(b"<ds:SignatureValue")
    start = document.index(b">", start) + 1
    return document[:start] + (b"A" if document[start:start + 1] != b"A" else b"B") + document[start + 1:]


@dataclass
class ForeignSigner:
    """A company with a certificate from a CA the portal does not know."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)


def unknown_ca_invoices(seller: PartyDetails, buyer: PartyDetails, count: int) -> list[bytes]:
    from tests.signing.test_verify import CA_USAGE, SIGNING_USAGE, _certificate, _issued_by
    from app.signing.demo_pki import _name

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _certificate(_name("Bilinmeyen Sertifika Hizmet Sağlayıcısı"), _name("Bilinmeyen Sertifika Hizmet Sağlayıcısı"),
                      key.public_key(), key, ca=True, usage=CA_USAGE)
    signer = _issued_by(ca, key, SIGNING_USAGE, vkn=seller.identifier)
    issued = date.today() - timedelta(days=40)
    return [sign_enveloped(build_invoice(example_invoice(number=f"BLN{issued.year}{n + 1:09d}", ettn=str(uuid.uuid4()),
                                                         issue_date=issued, seller=seller, buyer=buyer)), signer)
            for n in range(count)]


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()
