"""Reads: may a person act for a taxpayer (asked on every request), which taxpayers they act for, the lists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select

from app.authorisations.access import Access
from app.db import get_session
from app.formatting import local_today
from app.models import Authorisation, AuthorisationRole, AuthorisationState, Person, RecentTaxpayer, Taxpayer


def _in_force(person_identifier: str, today: date) -> list[ColumnElement[bool]]:
    """An authorisation the person accepted, not revoked, not past its end date."""
    return [
        Authorisation.person_identifier == person_identifier,
        Authorisation.revoked_at.is_(None),
        Authorisation.accepted_at.is_not(None),
        or_(Authorisation.valid_until.is_(None), Authorisation.valid_until >= today),
    ]


# Only what an Access needs (an authorisation row would bring its taxpayer along in an inner join).
_GRANT_COLUMNS = (Authorisation.id, Authorisation.role, Authorisation.valid_until)


def _access(taxpayer: Taxpayer, authorisation_id: int | None, role: AuthorisationRole | None,
            valid_until: date | None) -> Access:
    if authorisation_id is None:
        return Access(taxpayer)
    return Access(taxpayer, role, authorisation_id, valid_until)


def access_of(person: Person, taxpayer_id: int) -> Access | None:
    """How the person may act for the taxpayer now, or None when they may not (one query, fresh each request)."""
    row = get_session().execute(
        select(Taxpayer, *_GRANT_COLUMNS)
        .outerjoin(Authorisation, and_(Authorisation.taxpayer_id == Taxpayer.id,
                                       *_in_force(person.identifier, local_today())))
        .where(Taxpayer.id == taxpayer_id)
    ).first()
    if row is None:
        return None
    taxpayer, authorisation_id, role, valid_until = row
    if taxpayer.identifier == person.identifier:
        return Access(taxpayer)
    return _access(taxpayer, authorisation_id, role, valid_until) if authorisation_id is not None else None


def actable_taxpayers(person: Person) -> list[Access]:
    """Every taxpayer the person acts for: the last chosen first, then by name."""
    rows = get_session().execute(
        select(Taxpayer, *_GRANT_COLUMNS)
        .outerjoin(Authorisation, and_(Authorisation.taxpayer_id == Taxpayer.id,
                                       *_in_force(person.identifier, local_today())))
        .outerjoin(RecentTaxpayer, and_(RecentTaxpayer.taxpayer_id == Taxpayer.id,
                                        RecentTaxpayer.person_id == person.id))
        .where(or_(Taxpayer.identifier == person.identifier, Authorisation.id.is_not(None)))
        .order_by(RecentTaxpayer.chosen_at.desc().nulls_last(), Taxpayer.unvan, Taxpayer.id)
    ).all()
    return [Access(t) if t.identifier == person.identifier else _access(t, *grant) for t, *grant in rows]


_TURKISH_FOLD = str.maketrans({"İ": "i", "I": "ı"})


def _fold(text: str) -> str:
    return text.translate(_TURKISH_FOLD).lower()


def search(choices: list[Access], words: str) -> list[Access]:
    """The choices whose name or VKN/TCKN contains the typed text (Turkish case rules: İ/i, I/ı)."""
    wanted = _fold(" ".join(words.split()))
    if not wanted:
        return choices
    return [c for c in choices if wanted in _fold(c.taxpayer.unvan) or c.taxpayer.identifier.startswith(wanted)]


def authorisations_of(taxpayer: Taxpayer) -> list[Authorisation]:
    """Yetkilendirme page: every authorisation the taxpayer gave, newest first."""
    query = select(Authorisation).where(Authorisation.taxpayer_id == taxpayer.id)
    return list(get_session().scalars(query.order_by(Authorisation.granted_at.desc(), Authorisation.id.desc())))


def authorisation_of(taxpayer: Taxpayer, authorisation_id: int) -> Authorisation | None:
    return get_session().scalar(
        select(Authorisation).where(Authorisation.id == authorisation_id, Authorisation.taxpayer_id == taxpayer.id)
    )


def given_to(person: Person) -> list[Authorisation]:
    """Yetkilerim: every authorisation naming the person, newest first (none for a company's seal)."""
    if person.is_company:
        return []
    query = select(Authorisation).where(Authorisation.person_identifier == person.identifier)
    return list(get_session().scalars(query.order_by(Authorisation.granted_at.desc(), Authorisation.id.desc())))


def waiting_for_acceptance(person: Person) -> list[Authorisation]:
    """The person's authorisations still to accept (not revoked, not expired)."""
    today = local_today()
    return [a for a in given_to(person) if a.state(today) is AuthorisationState.PENDING]


def given_to_person(person: Person, authorisation_id: int) -> Authorisation | None:
    return get_session().scalar(
        select(Authorisation).where(Authorisation.id == authorisation_id,
                                    Authorisation.person_identifier == person.identifier)
    )
