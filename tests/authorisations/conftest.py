"""Fixtures for persons acting for taxpayers: real grants signed on the demo cards, accepted by the person."""

from __future__ import annotations

import html
import re
import uuid
from datetime import date
from typing import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.authorisations import operations
from app.authorisations.operations import GrantPlan
from app.cards import card_choice_from
from app.models import AuthorisationRole, Person
from tests.fixtures.persons import person_of
from tests.fixtures.portal import Party


def text(response) -> str:
    """What a reader sees: tags dropped, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def markup(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def draft_from(page) -> str:
    page = markup(page) if not isinstance(page, str) else page
    match = re.search(r'name="taslak" value="([^"]+)"', page)
    assert match, "no confirmation form on the page"
    return match.group(1)


def acting_url(taxpayer_id: int, path: str) -> str:
    """A page of a taxpayer's under the acting prefix (decision note 0071)."""
    return f"/mukellef/{taxpayer_id}{path}"


@pytest.fixture
def accountant(party, db_session) -> tuple[Party, Person]:
    """Ayşe Yılmaz (e-imza, TCKN 34721590854): her own taxpayer and her person."""
    ayse = party("ayse")
    return ayse, person_of(db_session, ayse.taxpayer)


@pytest.fixture
def grant(app: Flask, db_session) -> Callable[..., int]:
    """The grantor authorises the person through the real operation (signed on the grantor's demo card);
    the person accepts it unless ``accepted=False``. Returns the authorisation's id."""

    def run(grantor: Party, person: Person, role: str = "mali_musavir", *, accepted: bool = True,
            valid_until: date | None = None) -> int:
        with app.test_request_context():
            card = card_choice_from({"surucu": "SoftHSM", "kart": grantor.token.label})
            plan = GrantPlan(person.identifier, person.name, AuthorisationRole(role), valid_until)
            authorisation, _ = operations.grant(grantor.taxpayer, plan, str(uuid.uuid4()), card, grantor.token.pin)
            if accepted:
                operations.accept(person, authorisation.id)
            return authorisation.id

    return run


@pytest.fixture
def other_client(app: Flask) -> FlaskClient:
    """A second browser (its own cookies), e.g. the company's while the accountant works in ``client``."""
    return app.test_client()
