"""Fixtures for the signing core: the session's demo tokens, sample documents, xmlsec1."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.signing.demo_pki import DemoPKI, DemoToken
from app.signing.act import signing_act

DATA = Path(__file__).parent / "data"

XMLSEC1_ID_ATTRIBUTES = [
    "--id-attr:Id",
    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
    "--id-attr:Id",
    "http://www.w3.org/2000/09/xmldsig#:KeyInfo",
]


def xmlsec1_verify(signed: bytes, trusted_pem: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Debian's xmlsec1, trusting only the given CA (without --enabled-key-data x509 it trusts any key)."""
    document = tmp_path / "signed.xml"
    document.write_bytes(signed)
    command = ["xmlsec1", "--verify", "--enabled-key-data", "x509", "--trusted-pem", str(trusted_pem)]
    return subprocess.run(
        [*command, *XMLSEC1_ID_ATTRIBUTES, str(document)], capture_output=True, text=True, timeout=60
    )


def sign_once(pki: DemoPKI, token: DemoToken, document: bytes, **options: object) -> bytes:
    with signing_act(pki.module_path, token.label, token.pin, check_validity=not token.expired) as act:
        return act.sign_enveloped(document, **options)


@pytest.fixture(scope="session")
def invoice() -> bytes:
    """A UBL-TR TICARIFATURA of Anadolu Tekstil with an empty ext:ExtensionContent."""
    return (DATA / "ubl_invoice.xml").read_bytes()


@pytest.fixture(scope="session")
def berat() -> bytes:
    """An e-Defter berat skeleton: xbrli:xbrl, the defter's copied SignatureValue, an empty ds:Signature."""
    return (DATA / "berat.xml").read_bytes()
