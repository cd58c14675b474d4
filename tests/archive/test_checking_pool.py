"""The import's zip reading and its checkers (decision note 0095): every compression zipfile reads, a damaged member
refused with its reason, the same verdicts whether documents are checked in the job's process or in a checking
process, and a checking process's failure stops the batch before anything of it is committed."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.archive import members as zip_members
from app.archive.pool import BatchChecker, Checking, Setup, anchors_der
from app.models import ArchiveImport, ImportStatus, ImportVerdict, Verdict
from app.storage import LocalFileStore, StorageWriteError
from tests.archive import corpus
from tests.archive.conftest import activate_saklama, give_kontor, remaining, stored_count, upload, used_kontor


def _read(tmp_path: Path, data: bytes) -> list[tuple[str, bytes | None, str | None]]:
    path = tmp_path / "yukleme.zip"
    path.write_bytes(data)
    with zip_members.opened(path, "yukleme.zip") as (total, found):
        read = [zip_members.unpack(member) for member in found]
    assert total == len(read)
    return [(member.filename, member.data, member.problem) for member in read]


def test_members_of_every_compression_are_read_and_a_damaged_one_is_refused(tmp_path):
    body = b"<Invoice>" + b"x" * 5000 + b"</Invoice>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("klasor/", b"")
        archive.writestr("__MACOSX/._a.xml", b"apple")
        archive.writestr("saklanmis.xml", body, compress_type=zipfile.ZIP_STORED)
        archive.writestr("deflate.xml", body, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("bzip2.xml", body, compress_type=zipfile.ZIP_BZIP2)
        archive.writestr("lzma.xml", body, compress_type=zipfile.ZIP_LZMA)
        archive.writestr("bozulacak.xml", body, compress_type=zipfile.ZIP_STORED)
    data = buffer.getvalue()

    assert [(name, data_, problem) for name, data_, problem in _read(tmp_path, data)] == [
        (name, body, None) for name in ("saklanmis.xml", "deflate.xml", "bzip2.xml", "lzma.xml", "bozulacak.xml")]
    # Bytes before the archive (a self-extractor's stub) move every offset: found as zipfile finds them.
    assert [problem for _, _, problem in _read(tmp_path, b"MZ" + b"\0" * 1000 + data)] == [None] * 5

    # One byte of a stored member changed: its CRC no longer matches, the others are read.
    at = data.rindex(body) + 100
    damaged = _read(tmp_path, data[:at] + b"y" + data[at + 1:])
    assert damaged[-1] == ("bozulacak.xml", None, zip_members.UNREADABLE)
    assert [problem for _, _, problem in damaged[:-1]] == [None] * 4


def test_a_member_whose_local_header_names_another_file_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"<a/>")
        archive.writestr("b.xml", b"<b/>")
    data = buffer.getvalue()
    local_name = data.index(b"b.xml")  # the first occurrence is b.xml's local header
    read = _read(tmp_path, data[:local_name] + b"c" + data[local_name + 1:])
    assert read == [("a.xml", b"<a/>", None), ("b.xml", None, zip_members.UNREADABLE)]


def test_a_truncated_zip_is_refused_as_a_whole(tmp_path):
    data = corpus.zip_bytes([("a.xml", b"<a/>")])
    path = tmp_path / "yarim.zip"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(zip_members.rules.ArchiveRefused):
        with zip_members.opened(path, "yarim.zip"):
            pass


@pytest.mark.parametrize("workers", [1, 2])
def test_the_same_verdicts_in_the_jobs_process_and_in_a_checking_process(app, client, db_session, login_as, anadolu,
                                                                         demo_pki, sales, workers, monkeypatch):
    app.config["ARCHIVE_CHECK_WORKERS"] = workers
    monkeypatch.setattr("app.archive.operations.BATCH", 2)  # three batches: a checking process takes some
    activate_saklama(db_session, anadolu.taxpayer)
    give_kontor(app, anadolu.taxpayer, 100)
    login_as(anadolu.taxpayer)
    good = sales(4)
    members = [("iyi-0.xml", good[0]), ("degismis.xml", corpus.tampered(good[1])), ("iyi-2.xml", good[2]),
               ("saldirgan.xml", corpus.HOSTILE), ("iyi-0-tekrar.xml", good[0]), ("iyi-3.xml", good[3])]

    upload(client, "karisik.zip", corpus.zip_bytes(members))

    db_session.expire_all()
    done = db_session.scalars(select(ArchiveImport)).one()
    verdicts = {v.filename: v.verdict for v in db_session.scalars(select(ImportVerdict))}
    assert verdicts == {"iyi-0.xml": Verdict.SAKLANDI, "degismis.xml": Verdict.REDDEDILDI, "iyi-2.xml": Verdict.SAKLANDI,
                        "saldirgan.xml": Verdict.REDDEDILDI, "iyi-0-tekrar.xml": Verdict.ZATEN_VAR,
                        "iyi-3.xml": Verdict.SAKLANDI}
    assert done.status is ImportStatus.TAMAMLANDI and done.stored_count == 3
    assert stored_count(db_session, anadolu.taxpayer) == 3 == used_kontor(db_session, anadolu.taxpayer)
    assert remaining(db_session, anadolu.taxpayer) == 97


def test_a_checking_process_failure_fails_the_batch_and_commits_nothing(app, tmp_path, demo_pki, sales, anadolu):
    # A store the checking process cannot write to: its error comes back and the job stops before any row.
    blocked = tmp_path / "depo"
    blocked.write_text("bir dosya, klasör değil")
    good = sales(1)[0]
    with app.app_context():
        from app.cards import trust_anchors

        setup = Setup(anchors_der(trust_anchors()), anadolu.taxpayer.identifier, date.today(), None)
        checking = Checking(2, setup, LocalFileStore(blocked))
        try:
            future = checking.submit([zip_members.Member(0, "a.xml", good)])
            with pytest.raises(Exception) as raised:
                future.result(timeout=60)
        finally:
            checking.close()
    assert raised.type is StorageWriteError, raised.value


def test_the_checker_stores_accepted_bytes_before_it_answers(app, tmp_path, demo_pki, sales, anadolu):
    good = sales(2)
    store = LocalFileStore(tmp_path / "depo")
    with app.app_context():
        from app.cards import trust_anchors

        checker = BatchChecker(Setup(anchors_der(trust_anchors()), anadolu.taxpayer.identifier, date.today(), None),
                               store)
    checked = checker([zip_members.Member(0, "a.xml", good[0]), zip_members.Member(1, "b.xml", corpus.tampered(good[1]))])
    assert [type(item).__name__ for item in checked] == ["Candidate", "Refusal"]
    assert checked[0].data == b"" and checked[0].size == len(good[0])
    with store.open(checked[0].sha256) as reader:
        assert reader.read() == good[0]
