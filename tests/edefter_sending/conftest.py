"""Fixtures for sending periods to GİB: the creation fixtures (company, GİB's simulator on a real socket, journal
rows) and a helper that creates and signs a month through the Defter Oluştur pages."""

from __future__ import annotations

from typing import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.models import DefterSubmission, JournalPeriod
from tests.edefter_creation.conftest import company, gib, journal, small_parts, text_of  # noqa: F401
from tests.edefter_creation.test_creation import create, sign


@pytest.fixture
def signed_month(client: FlaskClient, company, journal) -> Callable[..., JournalPeriod]:  # type: ignore[no-untyped-def]
    """A month of ``count`` maddeler created and signed with Anadolu Tekstil's demo card."""

    def make(year: int, month: int, count: int = 8) -> JournalPeriod:
        made = journal(company.taxpayer.id, year, month, count)
        assert create(client, made.period.id).status_code == 303
        assert sign(client, made.period.id, company.card(), company.token.pin).status_code == 303
        return made.period

    return make


def submissions(db_session, period_id: int) -> list[DefterSubmission]:  # type: ignore[no-untyped-def]
    db_session.expire_all()
    return list(db_session.scalars(select(DefterSubmission).where(DefterSubmission.period_id == period_id)
                                   .order_by(DefterSubmission.id)))
