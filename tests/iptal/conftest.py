"""Fixtures for the İptal Portalı's view tests (demo taxpayers and invoices: tests/fixtures/portal.py)."""

from __future__ import annotations

import re
from typing import Callable

import pytest
from flask.testing import FlaskClient

from app.models import Invoice
from tests.fixtures.portal import Party


def draft_from(html: str) -> str:
    match = re.search(r'name="taslak" value="([^"]+)"', html)
    assert match, "no confirmation form on the page"
    return match.group(1)


@pytest.fixture
def request_cancellation(client: FlaskClient) -> Callable[..., tuple[object, object]]:
    """Fill the request form, then confirm with the PIN; returns (confirmation response, final response)."""

    def run(party: Party, invoice: Invoice, *, amount: str | None = None, role: str = "SATICI", pin: str | None = None):
        confirm = client.post(
            "/FaturaIptal/talep",
            data=party.card(fatura_no=invoice.number, tutar=amount or f"{invoice.payable_amount:.2f}", islem_sahibi=role),
        )
        if confirm.status_code != 200:
            return confirm, None
        final = client.post(
            "/FaturaIptal/talep/onayla",
            data={"taslak": draft_from(confirm.get_data(as_text=True)), "sifre": pin or party.token.pin},
        )
        return confirm, final

    return run
