"""Signing a prepared period: every defter part, its berat and the DR in one card login (decision note 0110).

Inside the act only small things happen: each part's SignedInfo (its digest was computed while writing) is
signed on the card, then each berat (which copies its part's SignatureValue and size) and the DR are built and
signed. The card is released before the big files are assembled (the signature inserted before the root's end
tag while copying), stored, and verified with the streaming verifier; then one unit of work records it all.
A card removed, a wrong PIN or a failing check leaves the period prepared and unchanged: signing can be retried.
"""

from __future__ import annotations

import io
import tempfile
import uuid
from dataclasses import dataclass
from typing import Any
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.cards import trust_anchors
from app.db import get_session, utcnow
from app.edefter.creation import journal
from app.edefter.creation.naming import file_name
from app.edefter.creation.prerequisites import check_settings
from app.edefter.creation.refusals import CreationRefused
from app.formats.xbrl import berat as berat_format
from app.formats.xbrl import defter_raporu
from app.formats.xbrl.canonical import DECLARATION, root_start
from app.formats.xbrl.defter_stream import ROOT as DEFTER_ROOT
from app.formats.xbrl.defter_stream import ROOT_END as DEFTER_END
from app.formats.xbrl.model import DocumentInfo
from app.models import DefterCreation, DefterFile, DefterFileKind, JournalPeriod, JournalPeriodState, Taxpayer
from app.models.defter_file import CreationState
from app.signing.act import signing_act
from app.signing.stream_verify import verify_signed_file
from app.signing.streamed import DetachedSignature, PreparedDocument, sign_prepared, write_signed
from app.storage import file_store
from app.jobs import JobContext, submit
from app.unit_of_work import release_reads, unit_of_work

FINISH_KIND = "edefter_imza_tamamla"

DESCRIPTION = "e-Defter"


@dataclass
class _Signed:
    """One file signed in the act, waiting to be stored."""

    kind: DefterFileKind
    part_index: int
    file_name: str
    unique_id: str
    signature: DetachedSignature
    prepared: PreparedDocument
    source: DefterFile | None = None  # a defter part (big, in the store, unsigned)
    body: bytes | None = None  # a berat or the DR (small, canonical, unsigned)
    entry_count: int = 0
    tax_totals: dict[str, str] | None = None


FINISH_ATTEMPTS = 3  # takes of the finishing job (a storage hiccup is retried; the last one gives up)


def _files(creation: DefterCreation) -> list[DefterFile]:
    return list(get_session().scalars(
        select(DefterFile).where(DefterFile.creation_id == creation.id,
                                 DefterFile.kind.in_((DefterFileKind.YEVMIYE, DefterFileKind.KEBIR)))
        .order_by(DefterFile.kind, DefterFile.part_index)))


def sign_creation(taxpayer: Taxpayer, period: JournalPeriod, creation: DefterCreation, module_path: str,
                  token_label: str | None, pin: str) -> DefterCreation:
    """The act: every SignedInfo on the card in one login; berats and the DR stored at once; the big parts are
    assembled by the job ``FINISH_KIND`` (its id on ``creation.job_id``), which marks the period signed."""
    if creation.state in (CreationState.SIGNED, CreationState.SIGNING):
        return creation  # a second "Onayla" of the same form: already done or being finished
    if creation.state is not CreationState.PREPARED:
        raise CreationRefused("Dönemin defterleri henüz hazır değil; oluşturma işinin bitmesini bekleyiniz.")
    company = check_settings(taxpayer, period.branch_code)
    start, end = journal.period_bounds(period.year, period.month)
    parts = _files(creation)
    movements = journal.movements_from_json(creation.movements)
    names = (taxpayer.identifier, period.year, period.month, period.branch_code)
    creation_id, period_id, entry_count = creation.id, period.id, creation.entry_count
    release_reads()  # no lock is held while the card signs
    signed: list[_Signed] = []
    now = utcnow()
    with signing_act(module_path, token_label, pin, expected_owner_id=taxpayer.identifier, at=now) as act:
        for part in parts:
            prepared = PreparedDocument(bytes.fromhex(part.canonical_sha256 or ""), root_start(DEFTER_ROOT).encode(),
                                        DEFTER_END)
            signature = sign_prepared(act, prepared, signature_id=f"Signature_{part.unique_id}", signing_time=now,
                                      description=DESCRIPTION)
            signed.append(_Signed(part.kind, part.part_index, part.file_name, part.unique_id, signature, prepared,
                                  source=part, entry_count=part.entry_count, tax_totals=part.tax_totals))
        for item in list(signed):
            signed.append(_berat(act, company, item, start, end, now, names))
        signed.append(_report(act, company, start, end, now, names, entry_count, movements))
        serial, signer = act.certificate_info.serial_hex, act.certificate_info.owner_name
    small = {id(item): _store(item) for item in signed if item.source is None}  # berats and the DR: a few KB each
    with unit_of_work() as work:
        creation = work.session.get(DefterCreation, creation_id)
        assert creation is not None
        if creation.state in (CreationState.SIGNED, CreationState.SIGNING):
            return creation  # a twin request finished first
        if creation.state is not CreationState.PREPARED:
            raise CreationRefused("Dönem bu arada yeniden oluşturuldu; lütfen yeniden imzalayınız.")
        _record(work.session, creation, signed, small)
        creation.state = CreationState.SIGNING
        creation.signed_at = now
        creation.signer_serial = serial
        creation.signer_name = signer
        creation.error = None
        work.record("edefter_imzalandi", taxpayer_id=taxpayer.id, object_type="defter_donemi", object_id=period_id,
                    certificate_serial=serial, donem=f"{names[1]:04d}-{names[2]:02d}", sube=names[3] or None,
                    dosya=len(signed))
    job = submit(FINISH_KIND, taxpayer.id, f"İmzalı e-Defter dosyaları {names[2]:02d}/{names[1]}",
                 {"creation_id": creation_id}, idempotency_key=f"edefter-imza-{creation_id}-{now.timestamp():.6f}")
    with unit_of_work() as work:
        creation = work.session.get(DefterCreation, creation_id)
        assert creation is not None
        if creation.state is CreationState.SIGNING:
            creation.job_id = job.id
    return creation


def finish_signing(job: JobContext) -> dict[str, Any]:
    """The job: put each part's signature into its file (streaming copy), verify it, store it; then the period
    is signed. Idempotent: parts already stored are skipped."""
    creation_id = int(job.params["creation_id"])
    with unit_of_work(write=False) as work:
        creation = work.session.get(DefterCreation, creation_id)
        if creation is None or creation.taxpayer_id != job.taxpayer_id:
            raise CreationRefused("Defter oluşturma kaydı bulunamadı.")
        if creation.state is not CreationState.SIGNING:
            return {"dosya": 0}
        todo = [(row.id, row.file_name, row.unsigned_key, row.unsigned_size, row.canonical_sha256, row.signature_xml)
                for row in _files(creation) if row.signed_key is None]
    done = 0
    for file_id, name, unsigned_key, unsigned_size, digest, signature_xml in todo:
        job.progress(5 + 90 * done // max(1, len(todo)), f"{name} imzalı olarak yazılıyor…")
        prepared = PreparedDocument(bytes.fromhex(digest or ""), root_start(DEFTER_ROOT).encode(), DEFTER_END)
        try:
            stored = _store_part(name, unsigned_key, unsigned_size, prepared, (signature_xml or "").encode())
        except CreationRefused as refusal:
            _back_to_prepared(creation_id, refusal.message)
            raise
        except ValueError as exc:  # the prepared file no longer matches its digest: sign it again
            _back_to_prepared(creation_id, f"{name} hazırlandığından beri değişmiş olabilir; yeniden imzalayınız.")
            raise CreationRefused(f"{name}: {exc}") from exc
        except Exception:
            if job.attempt >= FINISH_ATTEMPTS:  # the last take: let the user sign again instead of waiting forever
                _back_to_prepared(creation_id, f"{name} imzalı olarak saklanamadı; yeniden imzalayınız.")
            raise
        with unit_of_work() as work:
            row = work.session.get(DefterFile, file_id)
            assert row is not None
            row.signed_key, row.signed_size = stored.sha256, stored.size
            row.verification_ok, row.verification_message = stored.ok, stored.message[:500]
            row.signature_xml = None
        done += 1
    with unit_of_work() as work:
        creation = work.session.get(DefterCreation, creation_id)
        assert creation is not None
        period = work.session.get(JournalPeriod, creation.period_id)
        assert period is not None
        creation.state = CreationState.SIGNED
        period.state = JournalPeriodState.SIGNED
        period.updated_at = utcnow()
        work.record("edefter_imzali_dosyalar_saklandi", taxpayer_id=creation.taxpayer_id,
                    object_type="defter_donemi", object_id=period.id, dosya=done)
    return {"dosya": done}


def _back_to_prepared(creation_id: int, message: str) -> None:
    with unit_of_work() as work:
        creation = work.session.get(DefterCreation, creation_id)
        if creation is not None and creation.state is CreationState.SIGNING:
            creation.state = CreationState.PREPARED
            creation.error = message[:1000]


def _document(start, end, now, sequence: int) -> DocumentInfo:  # type: ignore[no-untyped-def]
    return DocumentInfo(start, end, max(now.date(), end), sequence=sequence, source_application="e-Belge Portal")


def _berat(act, company, item: _Signed, start, end, now, names) -> _Signed:  # type: ignore[no-untyped-def]
    identifier, year, month, branch = names
    journal_kind = item.kind is DefterFileKind.YEVMIYE
    assert item.source is not None and item.source.unsigned_size is not None
    berat_input = berat_format.BeratInput(
        entries_type="journal" if journal_kind else "ledger",
        part_unique_id=item.unique_id,
        document=_document(start, end, now, item.part_index + 1),
        berat_uuid=str(uuid.uuid4()).upper(),
        entry_count=item.entry_count,
        defter_size=item.source.unsigned_size + len(item.signature.xml),
        defter_signature_value=item.signature.signature_value,
        defter_signature_value_id=item.signature.signature_value_id,
        tax_totals={k: Decimal(v) for k, v in (item.tax_totals or {}).items()},
    )
    body, digest = berat_format.berat_bytes(company, berat_input)
    prepared = PreparedDocument(digest, root_start(berat_format.ROOT).encode(), berat_format.ROOT_END)
    code = "YB" if journal_kind else "KB"
    signature = sign_prepared(act, prepared, signature_id=f"Signature_{code}_{item.unique_id}", signing_time=now,
                              description="e-Defter beratı")
    kind = DefterFileKind.YEVMIYE_BERAT if journal_kind else DefterFileKind.KEBIR_BERAT
    return _Signed(kind, item.part_index, file_name(identifier, year, month, code, item.part_index + 1, branch),
                   berat_input.berat_uuid, signature, prepared, body=body, entry_count=item.entry_count)


def _report(act, company, start, end, now, names, entry_count, movements) -> _Signed:  # type: ignore[no-untyped-def]
    identifier, year, month, branch = names
    document = _document(start, end, now, 1)
    report_uuid = str(uuid.uuid4()).upper()
    body, digest = defter_raporu.defter_raporu_bytes(company, document, report_uuid, entry_count, movements)
    prepared = PreparedDocument(digest, root_start(defter_raporu.ROOT).encode(), defter_raporu.ROOT_END)
    signature = sign_prepared(act, prepared, signature_id=f"Signature_DR_{year:04d}{month:02d}", signing_time=now,
                              description="e-Defter raporu")
    return _Signed(DefterFileKind.DEFTER_RAPORU, 0, file_name(identifier, year, month, "DR", 0, branch),
                   defter_raporu.report_unique_id(document), signature, prepared, body=body, entry_count=entry_count)


@dataclass(frozen=True)
class _Stored:
    sha256: str
    size: int
    ok: bool
    message: str


def _verified_put(path: Path, name: str) -> _Stored:
    result = verify_signed_file(path, trust_anchors())
    if not result.ok:
        raise CreationRefused(f"{name} imzası doğrulanamadı: {result.message}")
    stored = file_store().put(path)
    return _Stored(stored.sha256, stored.size, result.ok, result.message)


def _store(item: _Signed) -> _Stored:
    """A berat or the DR: its signed bytes assembled in memory (a few KB), verified as anyone would, stored."""
    assert item.body is not None
    with tempfile.NamedTemporaryFile(prefix="edefter-signed-", suffix=".xml") as target:
        target.write(DECLARATION)
        write_signed(io.BytesIO(item.body), len(item.body), item.prepared, item.signature, target)
        target.flush()
        return _verified_put(Path(target.name), item.file_name)


def _store_part(name: str, unsigned_key: str | None, unsigned_size: int | None, prepared: PreparedDocument,
                signature_xml: bytes) -> _Stored:
    """A defter part: the unsigned file copied from the store with the signature inserted (streaming)."""
    assert unsigned_key is not None and unsigned_size is not None
    detached = DetachedSignature(signature_xml, "", "", "", utcnow())
    with tempfile.NamedTemporaryFile(prefix="edefter-signed-", suffix=".xml") as target:
        with file_store().open(unsigned_key) as unsigned:
            if unsigned.read(len(DECLARATION)) != DECLARATION:
                raise CreationRefused(f"{name}: saklanan dosya beklenen biçimde değil.")
            target.write(DECLARATION)
            write_signed(unsigned, unsigned_size - len(DECLARATION), prepared, detached, target)
        target.flush()
        return _verified_put(Path(target.name), name)


def _record(session, creation: DefterCreation, signed: list[_Signed], small: dict[int, _Stored]) -> None:  # type: ignore[no-untyped-def]
    existing = {(f.kind, f.part_index): f for f in session.scalars(
        select(DefterFile).where(DefterFile.creation_id == creation.id))}
    for item in signed:
        row = existing.get((item.kind, item.part_index))
        if row is None:
            row = DefterFile(taxpayer_id=creation.taxpayer_id, creation_id=creation.id, kind=item.kind,
                             part_index=item.part_index, file_name=item.file_name, unique_id=item.unique_id,
                             entry_count=item.entry_count, tax_totals={})
            session.add(row)
        row.unique_id = item.unique_id
        row.signature_value_id = item.signature.signature_value_id
        row.signed_at = item.signature.signing_time
        result = small.get(id(item))
        if result is None:  # a defter part: the job puts the signature in
            row.signature_xml = item.signature.xml.decode("utf-8")
            row.signed_key = row.signed_size = None
            row.verification_ok = row.verification_message = None
        else:
            row.signed_key, row.signed_size = result.sha256, result.size
            row.verification_ok, row.verification_message = result.ok, result.message[:500]
