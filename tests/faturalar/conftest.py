"""Fixtures for the Faturalar area: demo taxpayers (from the İptal Portalı's fixtures) and UBL-TR files."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import date, timedelta
from contextlib import contextmanager
from typing import Any, Iterator

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.formats.ubl import PartyDetails, build_invoice
from app.formats.ubl.examples import example_invoice
from app.formatting import local_today
from tests.fixtures.gib import sign_as
from tests.fixtures.pkcs11 import session_pki
from tests.fixtures.portal import Party


def details(who: Party, name: str | None = None) -> PartyDetails:
    return PartyDetails(identifier=who.taxpayer.identifier, name=name or who.taxpayer.unvan)


def issue_date_for(number: str) -> date:
    """Yesterday when the number is of this year (inside the 8-day window), else a day of the number's year."""
    yesterday = local_today() - timedelta(days=1)
    year = int(number[3:7])
    return yesterday if year == yesterday.year else date(year, 6, 15)


def invoice_xml(
    seller: Party | PartyDetails,
    buyer: Party | PartyDetails,
    number: str,
    *,
    ettn: str | None = None,
    issue_date: date | None = None,
    signer: str | None = None,
    signed: bool = True,
    **overrides: Any,
) -> bytes:
    """A UBL-TR invoice between two parties, written by the portal's own UBL writer and signed (XAdES-BES in
    its UBLExtensions) on a demo card: the seller's own when it is a demo Party, else ``signer``'s (a demo key);
    ``signed=False`` or neither gives the unsigned invoice."""
    document = build_invoice(
        example_invoice(
            number=number,
            ettn=ettn or str(uuid.uuid4()),
            issue_date=issue_date or issue_date_for(number),
            seller=seller if isinstance(seller, PartyDetails) else details(seller),
            buyer=buyer if isinstance(buyer, PartyDetails) else details(buyer),
            **overrides,
        )
    )
    key = signer or (seller.token.key if isinstance(seller, Party) else None)
    return sign_as(session_pki(), key, document) if signed and key else document


def zip_of(files: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items() if isinstance(files, dict) else files:
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client: FlaskClient, filename: str, data: bytes, **kwargs: Any):
    """Post one file to "Fatura Yükle"; the test client's spooled request body is closed afterwards.

    werkzeug closes that temporary file only for requests made with follow_redirects.
    """
    response = client.post(
        "/faturalar/yukle", data={"dosya": (io.BytesIO(data), filename)}, content_type="multipart/form-data", **kwargs
    )
    response.request.input_stream.close()
    return response


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app sends while the block runs."""
    engine = app.extensions["ebelge.db"].engine
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
