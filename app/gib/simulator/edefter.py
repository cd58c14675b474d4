"""e-Defter berat acceptance (SPEC D6): verify, keep months in order, approve once, seal with GİB's mühür.

A period is complete when at least one yevmiye (YB) and one kebir (KB) berat of it are approved. The
next period is accepted only after the previous one is complete (the taxpayer's first berat opens
its e-Defter history); within a period each kind's parts come in order; an approved part is never
accepted again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.formats.gib.approved_berat import ApprovedBerat, build_approved_berat
from app.formats.gib.berat import BeratInfo, read_berat_info
from app.gib.simulator import refusals
from app.gib.simulator.clock import ISTANBUL
from app.gib.simulator.models import Berat, Taxpayer
from app.gib.simulator.refusals import Refusal
from app.gib.simulator.registry import check_identifier, find_taxpayer, get_taxpayer
from app.gib.simulator.seal import GibSeal
from app.gib.simulator.signatures import SignatureChecker, read_document

KIND_NAMES = {"YB": "yevmiye", "KB": "kebir"}


@dataclass(frozen=True)
class PeriodStatus:
    identifier: str
    period: str
    berats: list[Berat]

    @property
    def yevmiye_sent(self) -> bool:
        return any(berat.kind == "YB" for berat in self.berats)

    @property
    def kebir_sent(self) -> bool:
        return any(berat.kind == "KB" for berat in self.berats)

    @property
    def complete(self) -> bool:
        return self.yevmiye_sent and self.kebir_sent


def previous_period(period: str) -> str:
    year, month = (int(part) for part in period.split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def _berats_of(session: Session, taxpayer_id: int, period: str | None = None) -> list[Berat]:
    query = select(Berat).where(Berat.taxpayer_id == taxpayer_id)
    if period is not None:
        query = query.where(Berat.period == period)
    return list(session.scalars(query.order_by(Berat.period, Berat.kind, Berat.part)))


def _check_order(session: Session, taxpayer: Taxpayer, info: BeratInfo, now: datetime) -> None:
    year, month = (int(part) for part in info.period.split("-"))
    next_month_start = date(year + month // 12, month % 12 + 1, 1)
    if now.astimezone(ISTANBUL).date() < next_month_start:
        raise Refusal(refusals.BERAT_PERIOD_NOT_OVER, f"Dönem: {info.period}.")
    history = _berats_of(session, taxpayer.id)
    same_kind = [b for b in history if b.period == info.period and b.kind == info.kind]
    if any(berat.part == info.part for berat in same_kind):
        raise Refusal(
            refusals.BERAT_ALREADY_APPROVED,
            f"{info.period} dönemi {KIND_NAMES[info.kind]} beratı, parça {info.part}.",
        )
    if same_kind and info.part != max(berat.part for berat in same_kind) + 1:
        raise Refusal(refusals.BERAT_PREVIOUS_PART_MISSING, f"Beklenen parça: {max(b.part for b in same_kind) + 1}.")
    if not history:
        return  # the first berat GİB receives from this taxpayer starts its e-Defter history
    first_period = min(berat.period for berat in history)
    if info.period < first_period:
        raise Refusal(refusals.BERAT_BEFORE_START, f"Başlangıç dönemi: {first_period}.")
    previous = previous_period(info.period)
    if (
        info.period != first_period
        and not PeriodStatus(taxpayer.identifier, previous, _berats_of(session, taxpayer.id, previous)).complete
    ):
        raise Refusal(
            refusals.BERAT_PREVIOUS_PERIOD_MISSING,
            f"{previous} dönemine ait yevmiye ve kebir beratları onaylanmadan {info.period} dönemi gönderilemez.",
        )


def receive_berat(
    session: Session, signed_xml: bytes, checker: SignatureChecker, seal: GibSeal, now: datetime
) -> Berat:
    """Approve a signed yevmiye/kebir berat and keep the GİB-sealed copy that goes back to the taxpayer."""
    info = read_document(signed_xml, read_berat_info)
    check_identifier(info.identifier)
    signer = checker.check(signed_xml, expected_owner_id=info.identifier)
    taxpayer = find_taxpayer(session, info.identifier)
    if taxpayer is None:
        raise Refusal(refusals.TAXPAYER_NOT_FOUND, f"{info.identifier} numaralı mükellef GİB kayıtlarında yok.")
    _check_order(session, taxpayer, info, now)
    approval = ApprovedBerat(info=info, approved_at=now, approval_id=str(uuid.uuid4()), berat=signed_xml)
    sealed = seal.seal(build_approved_berat(approval), at=now)
    berat = Berat(
        taxpayer_id=taxpayer.id,
        period=info.period,
        kind=info.kind,
        part=info.part,
        approved_at=now,
        filename=info.approved_filename,
        signer_serial=signer.serial,
        submitted_berat=signed_xml,
        approved_berat=sealed,
    )
    session.add(berat)
    session.flush()
    return berat


def period_status(session: Session, identifier: str, period: str) -> PeriodStatus:
    """Which berats of the period GİB has approved ("were last period's berats sent?")."""
    taxpayer = get_taxpayer(session, identifier)
    return PeriodStatus(identifier, period, _berats_of(session, taxpayer.id, period))


def approved_berat_file(session: Session, filename: str) -> Berat:
    berat = session.scalar(select(Berat).where(Berat.filename == filename))
    if berat is None:
        raise Refusal(refusals.BERAT_NOT_FOUND, f"Dosya: {filename}.")
    return berat
