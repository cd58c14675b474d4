"""Yetkilendirme operations: grant (signed with the taxpayer's card), accept, revoke, and the Firma Seç switch.

Each runs in one unit of work with its audit entry in the taxpayer's chain. The card signs first, outside any
transaction (decision note 0002); the unit then re-checks and stores the signed document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app.authorisations import queries
from app.authorisations.access import Access
from app.cards import CardChoice, trust_anchors
from app.db import get_session, utcnow
from app.formats.authorisation import authorisation_document
from app.formatting import local_today
from app.identifiers import InvalidIdentifier, kind_of_identifier
from app.models import Authorisation, AuthorisationRole, AuthorisationState, Person, RecentTaxpayer, Taxpayer
from app.refusals import Refused
from app.signing.act import signing_act
from app.signing.verify import verify_signed_xml
from app.unit_of_work import Work, current_actor, unit_of_work


class AuthorisationRefused(Refused):
    """A yetkilendirme rule says no; ``message`` is what the page shows."""


class AuthorisationNotFound(Refused):
    default_message = "Yetkilendirme bulunamadı."


class NotActing(Refused):
    """The person does not act for that taxpayer (never authorised, revoked, expired): the page answers 404."""

    default_message = "Bu mükellef adına işlem yapma yetkiniz yok."


class GrantFormInvalid(Exception):
    """The Yetkilendirme form has mistakes: ``errors`` maps field names to their Turkish messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class GrantPlan:
    """What the confirmation screen shows and "Onayla" signs."""

    person_identifier: str
    person_name: str
    role: AuthorisationRole
    valid_until: date | None

    def as_draft(self) -> dict[str, str | None]:
        """Plain values for the confirmation form's signed draft (``app.drafts``)."""
        return {"tckn": self.person_identifier, "adi_soyadi": self.person_name, "rol": self.role.value,
                "bitis": self.valid_until.isoformat() if self.valid_until else None}

    @classmethod
    def from_draft(cls, draft: Mapping[str, str | None]) -> "GrantPlan":
        until = draft.get("bitis")
        return cls(str(draft["tckn"]), str(draft["adi_soyadi"]), AuthorisationRole(draft["rol"]),
                   date.fromisoformat(until) if until else None)


def read_grant(form: Mapping[str, str], taxpayer: Taxpayer, today: date | None = None) -> GrantPlan:
    """Check the form field by field; raise GrantFormInvalid with every mistake at once."""
    today = today or local_today()
    errors: dict[str, str] = {}
    tckn = (form.get("tckn") or "").strip()
    try:
        if kind_of_identifier(tckn) != "TCKN":
            errors["tckn"] = "Yetki yalnızca bir kişiye (11 haneli T.C. kimlik numarası) verilebilir."
    except InvalidIdentifier as exc:
        errors["tckn"] = exc.message
    if "tckn" not in errors and tckn == taxpayer.identifier:
        errors["tckn"] = "Mükellef kendisini yetkilendiremez."
    name = " ".join((form.get("adi_soyadi") or "").split())
    if not name:
        errors["adi_soyadi"] = "Yetkilendirilecek kişinin adını ve soyadını giriniz."
    elif len(name) > 250:
        errors["adi_soyadi"] = "Ad soyad en çok 250 karakter olabilir."
    role = next((r for r in AuthorisationRole if r.value == form.get("rol")), None)
    if role is None:
        errors["rol"] = "Yetki türünü seçiniz."
    valid_until = None
    if (form.get("bitis") or "").strip():
        try:
            valid_until = date.fromisoformat(form["bitis"].strip())
        except ValueError:
            errors["bitis"] = "Bitiş tarihi GG.AA.YYYY biçiminde olmalıdır."
        else:
            if valid_until < today:
                errors["bitis"] = "Bitiş tarihi bugünden önce olamaz."
    if errors:
        raise GrantFormInvalid(errors)
    return GrantPlan(tckn, name, role, valid_until)  # type: ignore[arg-type]


def grant(taxpayer: Taxpayer, plan: GrantPlan, submission_id: str, card: CardChoice,
          pin: str) -> tuple[Authorisation, bool]:
    """Sign the authorisation with the taxpayer's card and store it; returns (authorisation, created).

    A resubmitted "Onayla" returns the first one. An open authorisation of the same person is replaced.
    """
    existing = _by_submission(taxpayer, submission_id)
    if existing is not None:
        return existing, False
    now = utcnow()
    document = authorisation_document(
        document_id=submission_id, grantor_identifier=taxpayer.identifier, grantor_name=taxpayer.unvan,
        person_identifier=plan.person_identifier, person_name=plan.person_name, role_code=plan.role.value,
        role_name=plan.role.label, scope=plan.role.scope, valid_until=plan.valid_until, moment=now,
    )
    with signing_act(card.module_path, card.token_label, pin, expected_owner_id=taxpayer.identifier, at=now) as act:
        signed = act.sign_enveloped(document)
        serial = act.certificate_info.serial_hex
    result = verify_signed_xml(signed, trust_anchors(), expected_owner_id=taxpayer.identifier)
    if not result.ok:
        raise AuthorisationRefused(f"İmza doğrulanamadı: {result.message}")

    with unit_of_work() as work:
        existing = _by_submission(taxpayer, submission_id)
        if existing is not None:
            return existing, False
        _replace_open(work, taxpayer, plan.person_identifier, now)
        authorisation = Authorisation(
            submission_id=submission_id, taxpayer_id=taxpayer.id, person_identifier=plan.person_identifier,
            person_name=plan.person_name, role=plan.role, valid_until=plan.valid_until, granted_at=now,
            granted_by=current_actor(), document_xml=signed, certificate_serial=serial,
        )
        work.session.add(authorisation)
        try:
            work.session.flush()
        except IntegrityError:
            raise AuthorisationRefused(
                f"{plan.person_identifier} için aynı anda başka bir yetkilendirme yapıldı. "
                "Lütfen listeyi kontrol ediniz."
            ) from None
        work.record("yetki_verildi", taxpayer_id=taxpayer.id, object_type="yetkilendirme", object_id=authorisation.id,
                    certificate_serial=serial, kisi=plan.person_identifier, rol=plan.role.label,
                    bitis=plan.valid_until.isoformat() if plan.valid_until else None)
    return authorisation, True


def _by_submission(taxpayer: Taxpayer, submission_id: str) -> Authorisation | None:
    return get_session().scalar(
        select(Authorisation).where(Authorisation.submission_id == submission_id,
                                    Authorisation.taxpayer_id == taxpayer.id)
    )


def _replace_open(work: Work, taxpayer: Taxpayer, person_identifier: str, now: datetime) -> None:
    previous = work.session.scalars(
        select(Authorisation)
        .where(Authorisation.taxpayer_id == taxpayer.id, Authorisation.person_identifier == person_identifier,
               Authorisation.revoked_at.is_(None))
        .with_for_update(of=Authorisation)
        .execution_options(populate_existing=True)
    ).all()
    for old in previous:
        _revoke(work, old, now, neden="Yerine yeni yetki verildi")
    work.session.flush()


def _revoke(work: Work, authorisation: Authorisation, now: datetime, **details: str) -> None:
    authorisation.revoked_at = now
    authorisation.revoked_by = current_actor()
    work.record("yetki_iptal_edildi", taxpayer_id=authorisation.taxpayer_id, object_type="yetkilendirme",
                object_id=authorisation.id, kisi=authorisation.person_identifier, rol=authorisation.role.label,
                **details)


def _locked(work: Work, *conditions) -> Authorisation | None:
    return work.session.scalars(
        select(Authorisation).where(*conditions).with_for_update(of=Authorisation)
        .execution_options(populate_existing=True)
    ).first()


def revoke(taxpayer: Taxpayer, authorisation_id: int) -> Authorisation:
    """Revoke at once: the person's next request for this taxpayer is refused."""
    with unit_of_work() as work:
        authorisation = _locked(work, Authorisation.id == authorisation_id, Authorisation.taxpayer_id == taxpayer.id)
        if authorisation is None:
            raise AuthorisationNotFound()
        if authorisation.revoked_at is not None:
            raise AuthorisationRefused(f"{authorisation.person_name} için verilen yetki zaten iptal edilmiş.")
        _revoke(work, authorisation, utcnow())
    return authorisation


def accept(person: Person, authorisation_id: int) -> Authorisation:
    """The person accepts an authorisation given to them; from then on they may act for the taxpayer."""
    with unit_of_work() as work:
        authorisation = _locked(work, Authorisation.id == authorisation_id,
                                Authorisation.person_identifier == person.identifier)
        if authorisation is None:
            raise AuthorisationNotFound()
        state = authorisation.state(local_today())
        if state is AuthorisationState.ACTIVE:
            return authorisation  # accepted already (a double click)
        if state is not AuthorisationState.PENDING:
            raise AuthorisationRefused(
                f"{authorisation.taxpayer.unvan} tarafından verilen yetki kabul edilemez: {state.label.lower()}."
            )
        authorisation.accepted_at = utcnow()
        work.record("yetki_kabul_edildi", taxpayer_id=authorisation.taxpayer_id, object_type="yetkilendirme",
                    object_id=authorisation.id, kisi=person.identifier, rol=authorisation.role.label)
    return authorisation


def switch_to(person: Person, taxpayer_id: int) -> Access:
    """Firma Seç: the person starts working for a taxpayer they act for; recorded in its chain."""
    with unit_of_work() as work:
        access = queries.access_of(person, taxpayer_id)
        if access is None:
            raise NotActing()
        dialect = work.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        now = utcnow()
        work.session.execute(
            insert(RecentTaxpayer).values(person_id=person.id, taxpayer_id=taxpayer_id, chosen_at=now)
            .on_conflict_do_update(index_elements=["person_id", "taxpayer_id"], set_={"chosen_at": now})
        )
        work.record("firma_secildi", taxpayer_id=taxpayer_id, object_type="mukellef", object_id=taxpayer_id,
                    rol=access.role_label)
    return access
