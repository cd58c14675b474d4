"""Yevmiye Numarası Doğrulama (SPEC D4): learn where the previous integrator's numbering stopped.

The uploaded file is read by the core (``app.formats.xbrl``): streamed, checked to be a yevmiye of this
taxpayer and of the chosen branch that keeps GİB's yevmiye rules, its signature verified against the
portal's trust anchors. The last signed yevmiye is by definition signed: only a file whose signature
verifies, by this taxpayer's certificate, is recorded (with one audit entry); an unsigned, untrusted,
changed file is refused and changes nothing (decisions 0030, 0062); signatures of any size are verified
streaming, in bounded memory (decision 0112).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from flask import current_app

from app.edefter.company import queries
from app.edefter.company.operations import EdefterRefused, lock_taxpayer
from app.edefter.company.upload import StoredUpload, stored_upload
from app.formats.safe_xml import format_size
from app.formats.xbrl.signature_check import SignatureCheck, SignatureStatus, check_yevmiye_signature
from app.formats.xbrl.yevmiye_reader import YevmiyeSummary, read_yevmiye_summary
from app.formatting import parse_record_id
from app.models import EdefterBranch, EdefterSettings, Taxpayer, YevmiyeVerification
from app.unit_of_work import release_reads, unit_of_work

SIGNATURE_LABELS = {
    SignatureStatus.VALID.value: "İmza geçerli",
    SignatureStatus.INVALID.value: "İmza geçersiz",
    SignatureStatus.UNSIGNED.value: "İmzasız",
    SignatureStatus.TOO_LARGE.value: "İmza boyut nedeniyle kontrol edilmedi",
}


@dataclass(frozen=True)
class Scope:
    """Whose numbering a file continues: the unbranched company, or one branch (as it stood at the upload)."""

    branch_id: int | None
    code: str | None
    name: str | None


def scope_for(taxpayer: Taxpayer, branch_id: int | None) -> Scope:
    if branch_id is None:
        return Scope(None, None, None)
    branch = queries.branch_of(taxpayer, branch_id)
    if branch is None:
        raise EdefterRefused("Seçilen şube bulunamadı; şube listesini yenileyip tekrar seçiniz.")
    return Scope(branch.id, branch.code, branch.name)


_NOT_PROVEN = {
    SignatureStatus.INVALID: "İmzası doğrulanamayan bir defterin yevmiye numarası esas alınamaz; önceki "
                             "entegratörünüzden imzalı son yevmiye dosyasını yeniden alınız.",
    SignatureStatus.UNSIGNED: "Son yevmiye dosyası imzalı olmalıdır: imzasız bir dosyanın yevmiye numarası esas "
                              "alınamaz. Önceki entegratörünüzden imzalı son yevmiye dosyasını alınız.",
    SignatureStatus.TOO_LARGE: "İmzası doğrulanamayan bir dosya yevmiye numaralandırmasını belirleyemez; dosya "
                               "reddedildi.",
}


def upload_limits() -> dict[str, str]:
    """What the page says about sizes: the yevmiye limit in force and which setting makes it."""
    config = current_app.config
    return {
        "yevmiye": format_size(int(config["EDEFTER_YEVMIYE_MAX_BYTES"])),
        "ayar": str(config.get("EDEFTER_YEVMIYE_LIMIT_SETTING") or "PORTAL_EDEFTER_YEVMIYE_MAX_MB"),
    }


# An unproven file up to this size is also read by the summary's reader, for its plainer message (its memory grows
# with elements it does not watch: a few MB of them cost at most ~100 MB).
_EXPLAIN_UNPROVEN_BYTES = 4 * 1024 * 1024


def read_and_check(upload: StoredUpload, taxpayer: Taxpayer, scope: Scope, trust_anchors: list,
                   max_bytes: int) -> tuple[YevmiyeSummary, SignatureCheck]:
    """The core's summary (GİB's rules checked while streaming) and a signature that verifies, or a refusal
    (YevmiyeReadError, EdefterRefused) saying why.

    Runs outside any database transaction: reading hundreds of MB must not hold a lock.
    """
    # The signature first, streaming in bounded memory (decision 0112): the summary's reader keeps elements it does
    # not watch until their madde ends, so only a file the taxpayer signed is read by it (nothing unproven is read
    # twice, and junk elements cannot make it grow).
    check = check_yevmiye_signature(upload.path, trust_anchors, expected_owner_id=taxpayer.identifier,
                                    max_bytes=max_bytes)
    if check.status is not SignatureStatus.VALID:
        if upload.size <= _EXPLAIN_UNPROVEN_BYTES:
            # A small file may have a plainer fault to name first (a kebir, another VKN, a broken rule).
            read_yevmiye_summary(upload.path, max_bytes=max_bytes, expected_owner_id=taxpayer.identifier,
                                 expected_branch_code=scope.code)
        raise EdefterRefused(f"{check.message} {_NOT_PROVEN[check.status]}")
    summary = read_yevmiye_summary(upload.path, max_bytes=max_bytes, expected_owner_id=taxpayer.identifier,
                                   expected_branch_code=scope.code)
    return summary, check


def record_verification(taxpayer: Taxpayer, scope: Scope, upload: StoredUpload, summary: YevmiyeSummary,
                        check: SignatureCheck) -> YevmiyeVerification:
    """Store what was read, in one short unit of work (the branch must still be there, unchanged)."""
    with unit_of_work() as work:
        lock_taxpayer(taxpayer)
        if scope.branch_id is not None:
            branch = queries.branch_of(taxpayer, scope.branch_id, for_update=True)
            if branch is None or branch.code != scope.code:
                raise EdefterRefused("Seçilen şube bu arada silinmiş ya da değişmiş; lütfen tekrar deneyiniz.")
        verification = _verification_row(taxpayer, scope, upload, summary, check)
        work.session.add(verification)
        work.session.flush()
        work.record("edefter_yevmiye_dogrulandi", taxpayer_id=taxpayer.id, object_type="yevmiye_dogrulama",
                    object_id=verification.id, certificate_serial=verification.signer_serial,
                    result=check.status.value, donem=f"{summary.period_start:%Y-%m}", sube=scope.code,
                    son_madde_no=summary.last_entry_counter, dosya=upload.file_name, boyut=upload.size,
                    sha256=upload.sha256)
    return verification


def _verification_row(taxpayer: Taxpayer, scope: Scope, upload: StoredUpload, summary: YevmiyeSummary,
                      check: SignatureCheck) -> YevmiyeVerification:
    info = check.verification.certificate_info if check.verification is not None else None
    return YevmiyeVerification(
        taxpayer_id=taxpayer.id,
        branch_id=scope.branch_id,
        branch_code=scope.code,
        branch_name=summary.branch_name or scope.name,
        unique_id=summary.unique_id[:40],
        period_start=summary.period_start,
        period_end=summary.period_end,
        entry_count=summary.entry_count,
        first_entry_counter=summary.first_entry_counter,
        last_entry_counter=summary.last_entry_counter,
        last_entry_number=summary.last_entry_number[:60],
        last_line_number=summary.last_line_number[:30],
        signature_status=check.status.value,
        signature_message=check.message[:500],
        signer_serial=info.serial_hex if info is not None else None,
        file_name=upload.file_name,
        file_size=upload.size,
        sha256=upload.sha256,
        in_zip=summary.in_zip,
    )


def verify_yevmiye_upload(taxpayer: Taxpayer, branch_value: str, stream: BinaryIO, file_name: str,
                          trust_anchors: list, max_bytes: int) -> tuple[YevmiyeVerification, SignatureCheck]:
    """"Yükle": copy the upload to a temporary file, read and check it, record it; no lock held meanwhile.

    Raises EdefterRefused or YevmiyeReadError (both refusals with a Turkish message); nothing is recorded then.
    """
    branch_id = _chosen_branch_id(branch_value)
    _scope_of(taxpayer, branch_id)  # refused before hundreds of MB are received
    with stored_upload(stream, file_name, max_bytes) as upload:
        return verify_kept_yevmiye(taxpayer, branch_id, upload, trust_anchors, max_bytes)


def verify_kept_yevmiye(taxpayer: Taxpayer, branch_id: int | None, upload: StoredUpload, trust_anchors: list,
                        max_bytes: int) -> tuple[YevmiyeVerification, SignatureCheck]:
    """Read, check and record a yevmiye already on disk: the upload's temporary copy, or a file the e-Defter Arşivi
    keeps ("Numaralandırmayı buradan başlat"; ``upload.path`` is read where it lies)."""
    scope = _scope_of(taxpayer, branch_id)
    summary, check = read_and_check(upload, taxpayer, scope, trust_anchors, max_bytes)
    return record_verification(taxpayer, scope, upload, summary, check), check


def _scope_of(taxpayer: Taxpayer, branch_id: int | None) -> Scope:
    """The settings must exist; whose numbering the file continues. Reads only (no lock kept: files are large)."""
    release_reads()
    if queries.settings_of(taxpayer) is None:
        raise EdefterRefused("Yevmiye doğrulamasından önce Firma Ayarları'nı kaydediniz.")
    scope = scope_for(taxpayer, branch_id)
    release_reads()
    return scope


def _chosen_branch_id(value: str) -> int | None:
    if not value:
        return None
    branch_id = parse_record_id(value)
    if branch_id is None:
        raise EdefterRefused("Seçilen şube bulunamadı; şube listesini yenileyip tekrar seçiniz.")
    return branch_id


# --- where the numbering stands -------------------------------------------------------------------


@dataclass(frozen=True)
class NumberingState:
    """The numbering of one scope: the unbranched company or a branch."""

    label: str
    verification: YevmiyeVerification | None
    restart_reason: str | None = None  # why the verified file's numbering does not carry on, if it does not

    @property
    def next_counter(self) -> int:
        if self.verification is None or self.restart_reason is not None:
            return 1
        return self.verification.next_entry_counter

    @property
    def sentence(self) -> str:
        v = self.verification
        if v is None:
            return "Yevmiye numaralandırması 1'den başlayacak."
        if self.restart_reason is not None:
            return (f"{v.period_start:%m/%Y} dönemi {self.restart_reason} (son madde no {v.last_entry_counter}); "
                    "yeni hesap döneminde yevmiye numaralandırması 1'den başlayacak.")
        return (f"Sonraki yevmiye madde numarası {self.next_counter}: {v.period_start:%m/%Y} dönemine ait son "
                f"yevmiye maddesi {v.last_entry_counter}, son satır numarası {v.last_line_number or '-'}.")


def restart_reason(period_end: date, settings: EdefterSettings | None) -> str | None:
    """Madde numbers restart at 1 with each hesap dönemi (GIB-FORMATS §4.2): say so when the file ends one."""
    if settings is not None and period_end < settings.fiscal_year_start:
        return (f"güncel hesap döneminden ({settings.fiscal_year_start:%d.%m.%Y} – "
                f"{settings.fiscal_year_end:%d.%m.%Y}) önceki bir döneme ait")
    end = settings.fiscal_year_end if settings is not None else date(period_end.year, 12, 31)
    if (period_end.month, period_end.day) == (end.month, end.day):
        return "hesap döneminin son ayı"
    return None


def numbering_states(taxpayer: Taxpayer) -> list[NumberingState]:
    """One state per scope: each branch (and the unbranched company when it has no branches or a record)."""
    settings = queries.settings_of(taxpayer)
    latest: dict[int | None, YevmiyeVerification] = {}
    for verification in queries.verifications_of(taxpayer):  # newest period first
        latest.setdefault(verification.branch_id, verification)
    branches: list[EdefterBranch] = queries.branches_of(taxpayer)
    scopes: list[tuple[int | None, str]] = [(b.id, f"{b.code} {b.name}") for b in branches]
    if not branches or None in latest:
        scopes.insert(0, (None, "Şubesiz defter"))
    states = []
    for branch_id, label in scopes:
        verification = latest.get(branch_id)
        reason = restart_reason(verification.period_end, settings) if verification is not None else None
        states.append(NumberingState(label, verification, reason))
    return states
