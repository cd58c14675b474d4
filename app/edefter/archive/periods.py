"""The company's own approved periods in the archive (decision note 0161).

``keep_approved_period`` records a GİB-approved period's files — the signed defter parts, berats, the DR and GİB's
sealed berats — as archive entries under the same storage keys (no copy), charging their MB once. It is
idempotent: an archived period is left as it is, and a file already in the archive (uploaded earlier, same bytes)
is not charged again. When the MB balance does not cover the period nothing is archived and nothing is charged;
the period is marked "not yet archived" with the reason, its files stay on the Defter Oluştur page, and
"Arşive Al" calls this again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db import get_session, utcnow
from app.edefter.archive import rules
from app.edefter.archive.operations import keep_file
from app.edefter.archive.reading import Examined
from app.formats.gib.user_account import GIB_VKN
from app.formatting import local_today
from app.kontor.rules import KontorRefused, megabytes
from app.kontor.spending import Purse
from app.models import (
    DefterCreation,
    DefterFile,
    DefterFileKind,
    DefterSubmission,
    JournalPeriod,
    JournalPeriodState,
    SubmissionState,
    Taxpayer,
)
from app.models.edefter_archive import ArchiveKind, ArchiveOrigin, EdefterArchiveEntry, EdefterArchivePeriod, PeriodKeeping
from app.models.kontor import KontorUnit
from app.storage import file_store
from app.unit_of_work import unit_of_work

_KINDS = {DefterFileKind.YEVMIYE: ArchiveKind.YEVMIYE, DefterFileKind.KEBIR: ArchiveKind.KEBIR,
          DefterFileKind.YEVMIYE_BERAT: ArchiveKind.YEVMIYE_BERAT, DefterFileKind.KEBIR_BERAT: ArchiveKind.KEBIR_BERAT,
          DefterFileKind.DEFTER_RAPORU: ArchiveKind.DEFTER_RAPORU}
_APPROVED_KINDS = {DefterFileKind.YEVMIYE_BERAT: ArchiveKind.GIB_YEVMIYE_BERAT,
                   DefterFileKind.KEBIR_BERAT: ArchiveKind.GIB_KEBIR_BERAT}


class PeriodNotFound(rules.ArchiveRefused):
    """No such period of this taxpayer."""


@dataclass(frozen=True)
class _OwnFile:
    examined: Examined
    file_name: str
    sha256: str


def keep_approved_period(period_id: int, *, taxpayer_id: int | None = None) -> EdefterArchivePeriod:
    """Archive an approved period's own files once; ``taxpayer_id`` (from a request) must own the period."""
    session = get_session()
    period = session.get(JournalPeriod, period_id, populate_existing=True)
    if period is None or (taxpayer_id is not None and period.taxpayer_id != taxpayer_id):
        raise PeriodNotFound("Dönem bulunamadı.")
    if period.state is not JournalPeriodState.APPROVED:
        raise rules.ArchiveRefused("Yalnızca GİB'in onayladığı dönemler arşive alınır; bu dönem "
                                   f"{period.state.label.lower()} durumunda.")
    taxpayer = session.get(Taxpayer, period.taxpayer_id)
    assert taxpayer is not None
    files = _own_files(period, taxpayer)
    problem = rules.storage_problem() or _missing(files)
    with unit_of_work() as work:
        # The period's row is the lock: the sending job and an "Arşive Al" click keeping it at once wait for each
        # other here, and the second finds the first one's work (never two rows, never a double charge).
        work.session.execute(select(JournalPeriod.id).where(JournalPeriod.id == period.id).with_for_update())
        keeping = work.session.scalars(select(EdefterArchivePeriod).where(EdefterArchivePeriod.period_id == period.id)
                                       .with_for_update().execution_options(populate_existing=True)).first()
        if keeping is None:
            keeping = EdefterArchivePeriod(taxpayer_id=taxpayer.id, period_id=period.id, state=PeriodKeeping.BEKLIYOR)
            work.session.add(keeping)
        if keeping.state is PeriodKeeping.ARSIVLENDI:
            return keeping
        keeping.updated_at = utcnow()
        needed = sum(megabytes(f.examined.size) for f in files if not _archived(work, taxpayer.id, f.sha256))
        available = Purse(work.session, taxpayer.id, KontorUnit.MB, local_today()).available
        if problem is None and needed > available:
            problem = KontorRefused(KontorUnit.MB, needed, available).message
        if problem is not None:
            keeping.state, keeping.reason = PeriodKeeping.BEKLIYOR, problem[:1000]
            work.record("edefter_donemi_arsivlenemedi", taxpayer_id=taxpayer.id, object_type="defter_donemi",
                        object_id=period.id, result="hata", neden=problem[:200])
            return keeping
        charged = 0
        for own in files:
            outcome = keep_file(work, taxpayer, own.examined, own.file_name, own.sha256,
                                origin=ArchiveOrigin.OWN_PERIOD, period_id=period.id)
            if isinstance(outcome, str):  # the lock makes this impossible after the check above
                raise RuntimeError(outcome)
            charged += outcome[1]
        keeping.state, keeping.reason, keeping.archived_at = PeriodKeeping.ARSIVLENDI, "", utcnow()
        keeping.file_count, keeping.charged = len(files), charged
        work.record("edefter_donemi_arsivlendi", taxpayer_id=taxpayer.id, object_type="defter_donemi",
                    object_id=period.id, donem=f"{period.year:04d}-{period.month:02d}", dosya=len(files),
                    kontor_mb=charged)
        return keeping


def _archived(work, taxpayer_id: int, sha256: str) -> bool:  # type: ignore[no-untyped-def]
    return work.session.scalar(select(EdefterArchiveEntry.id).where(EdefterArchiveEntry.taxpayer_id == taxpayer_id,
                                                                    EdefterArchiveEntry.sha256 == sha256)) is not None


def _missing(files: list[_OwnFile]) -> str | None:
    store = file_store()
    for own in files:
        if not store.exists(own.sha256):
            return f"{rules.STORAGE_UNREACHABLE}: {own.file_name} dosyası depoda bulunamadı."
    if not files:
        return "Dönemin imzalı dosyası bulunamadı."
    return None


def _own_files(period: JournalPeriod, taxpayer: Taxpayer) -> list[_OwnFile]:
    """The period's signed files and GİB's sealed berats, as entries would describe them."""
    session = get_session()
    creation = session.scalar(select(DefterCreation).where(DefterCreation.period_id == period.id))
    if creation is None:
        return []
    found: list[_OwnFile] = []
    for row in session.scalars(select(DefterFile).where(DefterFile.creation_id == creation.id,
                                                        DefterFile.signed_key.is_not(None))
                               .order_by(DefterFile.kind, DefterFile.part_index)):
        assert row.signed_key is not None
        examined = Examined(
            _KINDS[row.kind], period.year, period.month, period.branch_code or "", row.part_index + 1,
            row.unique_id[:40], int(row.signed_size or 0), taxpayer.identifier, (creation.signer_name or "")[:250],
            (creation.signer_serial or "")[:80], row.signed_at or creation.signed_at,
            "Portalda oluşturuldu ve imzalandı; GİB onayladı.", row.last_entry_counter)
        found.append(_OwnFile(examined, row.file_name, row.signed_key))
    for sent in session.scalars(select(DefterSubmission).where(DefterSubmission.period_id == period.id,
                                                               DefterSubmission.state == SubmissionState.APPROVED,
                                                               DefterSubmission.approved_key.is_not(None))
                                .order_by(DefterSubmission.kind, DefterSubmission.part_index)):
        kind = _APPROVED_KINDS.get(sent.kind)
        if kind is None or sent.approved_key is None:
            continue
        examined = Examined(
            kind, period.year, period.month, period.branch_code or "", sent.part_index + 1,
            (sent.approval_no or "")[:40], int(sent.approved_size or 0), GIB_VKN, (sent.seal_signer or "")[:250], "",
            sent.approved_at, "GİB mühürü doğrulandı (gönderim sırasında).")
        found.append(_OwnFile(examined, sent.approved_file_name or f"GIB-{sent.kind.value}-{sent.part_index + 1}.xml",
                              sent.approved_key))
    return found
