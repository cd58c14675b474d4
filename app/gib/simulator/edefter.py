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
from app.formats.gib.defter_raporu import read_report_info
from app.formats.gib.edefter_package import PackageError, parse_file_name, read_zip
from app.gib.simulator import refusals
from app.gib.simulator.clock import ISTANBUL
from app.gib.simulator.models import Berat, DefterReport, Taxpayer
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


def _check_period_over(period: str, now: datetime) -> None:
    year, month = (int(part) for part in period.split("-"))
    next_month_start = date(year + month // 12, month % 12 + 1, 1)
    if now.astimezone(ISTANBUL).date() < next_month_start:
        raise Refusal(refusals.BERAT_PERIOD_NOT_OVER, f"Dönem: {period}.")


def _check_order(session: Session, taxpayer: Taxpayer, info: BeratInfo, now: datetime) -> None:
    _check_period_over(info.period, now)
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


@dataclass(frozen=True)
class ReceivedFile:
    """What GİB answers to a zipped berat (its approval) or DR (its acceptance)."""

    berat: Berat | None = None
    report: DefterReport | None = None


def receive_file(session: Session, zip_name: str, body: bytes, checker: SignatureChecker, seal: GibSeal,
                 now: datetime, max_bytes: int) -> ReceivedFile:
    """A berat or DR zipped as GİB names it (``VKN-YYYYMM-YB-000001.zip``): unzip safely, check the name against
    the content, then approve the berat or accept the DR."""
    try:
        if not zip_name.endswith(".zip"):
            raise PackageError("Dosya adı .zip ile bitmelidir.")
        name = parse_file_name(zip_name)
        signed_xml = read_zip(zip_name, body, max_bytes)
    except PackageError as exc:
        raise Refusal(refusals.BAD_PACKAGE, exc.detail) from exc
    if name.kind == "DR":
        report = read_document(signed_xml, read_report_info)
        if (report.identifier, report.period) != (name.owner, name.period):
            raise Refusal(refusals.NAME_MISMATCH, f"Dosya: {zip_name}; içerik: {report.identifier} {report.period}.")
        return ReceivedFile(report=receive_report(session, signed_xml, name.stem + ".xml", name.branch, checker, now))
    info = read_document(signed_xml, read_berat_info)
    if (info.identifier, info.period, info.kind, info.part) != (name.owner, name.period, name.kind, name.part):
        raise Refusal(refusals.NAME_MISMATCH,
                      f"Dosya: {zip_name}; içerik: {info.identifier} {info.period} {info.kind} {info.part:06d}.")
    return ReceivedFile(berat=receive_berat(session, signed_xml, checker, seal, now))


def receive_report(session: Session, signed_xml: bytes, filename: str, branch: str, checker: SignatureChecker,
                   now: datetime) -> DefterReport:
    """Accept a signed DR: signed by the taxpayer it names, its period over and that period's berats approved."""
    info = read_document(signed_xml, read_report_info)
    check_identifier(info.identifier)
    signer = checker.check(signed_xml, expected_owner_id=info.identifier)
    taxpayer = find_taxpayer(session, info.identifier)
    if taxpayer is None:
        raise Refusal(refusals.TAXPAYER_NOT_FOUND, f"{info.identifier} numaralı mükellef GİB kayıtlarında yok.")
    _check_period_over(info.period, now)
    if session.scalar(select(DefterReport.id).where(DefterReport.taxpayer_id == taxpayer.id,
                                                    DefterReport.period == info.period,
                                                    DefterReport.branch == branch)) is not None:
        raise Refusal(refusals.REPORT_ALREADY_RECEIVED, f"Dönem: {info.period}.")
    if not PeriodStatus(taxpayer.identifier, info.period, _berats_of(session, taxpayer.id, info.period)).complete:
        raise Refusal(refusals.REPORT_BERATS_MISSING, f"Dönem: {info.period}.")
    report = DefterReport(taxpayer_id=taxpayer.id, period=info.period, branch=branch, filename=filename,
                          received_at=now, acceptance_id=str(uuid.uuid4()), signer_serial=signer.serial,
                          document=signed_xml)
    session.add(report)
    session.flush()
    return report
