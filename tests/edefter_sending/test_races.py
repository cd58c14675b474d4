"""Never sent twice, whoever starts the sending: a second job while one sends (two workers, a double click, the
periodic retry racing "Tekrar Gönder") leaves the file to the first; the periodic retry after a "Tekrar Gönder"
that followed a Hata still sends; GİB's "the same change arrived twice" waits and is tried again; GİB's refusal
text is shown as it came, escaped."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from app.db import utcnow
from app.edefter.sending import operations as sending
from app.gib.simulator.models import Berat
from app.jobs import submit
from app.models import DefterFileKind, DefterSubmission, Job, JournalPeriodState
from app.models.defter_submission import SubmissionState
from app.models.job import JobStatus
from tests.edefter_creation.test_creation import create, sign
from tests.edefter_sending.conftest import submissions, text_of
from tests.fixtures.gib import gib_seal_settings, new_key


def _simulator(gib_simulator_factory, demo_pki, app, company, middleware=None):  # type: ignore[no-untyped-def]
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki),
                                      middleware=middleware)
    app.config["GIB_URL"] = simulator.base_url
    simulator.client.register_taxpayer(company.taxpayer.identifier, company.taxpayer.unvan, idempotency_key=new_key())
    return simulator


def _berats_at_gib(simulator) -> list[Berat]:  # type: ignore[no-untyped-def]
    with simulator.app.extensions["gib_simulator"].sessions() as session:
        return list(session.scalars(select(Berat)))


def _signed(client, company, journal):  # type: ignore[no-untyped-def]
    made = journal(company.taxpayer.id, 2024, 1, 6)
    assert create(client, made.period.id).status_code == 303
    assert sign(client, made.period.id, company.card(), company.token.pin).status_code == 303
    return made.period


def test_a_second_job_leaves_the_files_to_the_job_already_sending_them(
        app, client, company, gib_simulator_factory, demo_pki, journal, db_session):  # type: ignore[no-untyped-def]
    simulator = _simulator(gib_simulator_factory, demo_pki, app, company)
    period = _signed(client, company, journal)
    address = app.config["GIB_URL"]
    app.config["GIB_URL"] = "http://127.0.0.1:9"
    client.post(f"/defter/{period.id}/gonder")
    first = submissions(db_session, period.id)[0]
    owner = first.job_id
    assert first.state is SubmissionState.WAITING and owner is not None
    # That job is still at work on another worker (as when two workers, or a double click, started two).
    db_session.execute(update(Job).where(Job.id == owner).values(status=JobStatus.CALISIYOR))
    db_session.execute(update(DefterSubmission).where(DefterSubmission.period_id == period.id)
                       .values(next_attempt_at=None))
    # It holds the first file only (it took that one; the others are free until it reaches them).
    db_session.execute(update(DefterSubmission).where(DefterSubmission.period_id == period.id,
                                                      DefterSubmission.id != first.id).values(job_id=None))
    db_session.commit()
    app.config["GIB_URL"] = address
    with app.test_request_context():
        second = submit(sending.SEND_KIND, company.taxpayer.id, "ikinci", {"period_id": period.id})
        # What the starters do once the job is queued: the new job takes the files, all or none.
        sending._own([row.id for row in submissions(db_session, period.id)], second.id)
    db_session.expire_all()
    second = db_session.get(Job, second.id)
    assert second.status is JobStatus.TAMAMLANDI and second.result["gonderilen"] == 0
    assert _berats_at_gib(simulator) == []  # the second job sent nothing
    rows = submissions(db_session, period.id)
    assert rows[0].job_id == owner and all(row.job_id is None for row in rows[1:])  # nothing split off
    assert rows[0].attempts == 1

    # The first job gone, "Tekrar Gönder" sends every file once.
    db_session.execute(update(Job).where(Job.id == owner).values(status=JobStatus.HATA))
    db_session.commit()
    assert client.post(f"/defter/{period.id}/gonder").status_code == 303
    rows = submissions(db_session, period.id)
    assert all(row.state is SubmissionState.APPROVED for row in rows)
    berats = _berats_at_gib(simulator)
    assert len(berats) == len(rows) - 1 and len({(b.kind, b.part) for b in berats}) == len(berats)


def test_the_periodic_retry_still_sends_after_tekrar_gonder_followed_a_hata(
        app, client, company, gib_simulator_factory, demo_pki, journal, db_session):  # type: ignore[no-untyped-def]
    _simulator(gib_simulator_factory, demo_pki, app, company)
    period = _signed(client, company, journal)
    address = app.config["GIB_URL"]
    app.config["GIB_URL"] = "http://127.0.0.1:9"
    app.config["EDEFTER_SEND_MAX_ATTEMPTS"] = 2

    def due() -> None:
        db_session.execute(update(DefterSubmission).where(DefterSubmission.state == SubmissionState.WAITING,
                                                          DefterSubmission.next_attempt_at.is_not(None))
                           .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db_session.commit()

    client.post(f"/defter/{period.id}/gonder")  # try 1: GİB away
    due()
    with app.app_context():
        assert sending.retry_due_submissions() == 1  # try 2: GİB away, the last automatic one
    first = submissions(db_session, period.id)[0]
    assert first.state is SubmissionState.FAILED and first.attempts == 2
    assert "2 otomatik deneme tükendi" in first.gib_message and "otomatik olarak tekrar" not in first.gib_message
    assert "127.0.0.1:9" in first.gib_message
    assert client.post(f"/defter/{period.id}/gonder").status_code == 303  # "Tekrar Gönder": try 1 again
    first = submissions(db_session, period.id)[0]
    assert first.state is SubmissionState.WAITING and first.attempts == 1

    app.config["GIB_URL"] = address  # GİB back: the periodic task, not the person, finishes the period
    due()
    with app.app_context():
        assert sending.retry_due_submissions() == 1
    rows = submissions(db_session, period.id)
    assert all(row.state is SubmissionState.APPROVED for row in rows), [(r.state, r.gib_message) for r in rows]
    db_session.refresh(period)
    assert period.state is JournalPeriodState.APPROVED


class _AnswerFirstFileWith:
    """GİB's side answers the first zipped file with the given refusal instead of taking it."""

    def __init__(self, app, status: int, code: str, message: str) -> None:  # type: ignore[no-untyped-def]
        self.app, self.status, self.code, self.message, self.done = app, status, code, message, False

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        if not self.done and "/edefter/files/" in environ.get("PATH_INFO", ""):
            self.done = True
            environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            body = json.dumps({"error": {"code": self.code, "message": self.message}}).encode()
            start_response(f"{self.status} Refused", [("Content-Type", "application/json"),
                                                      ("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_response)


def test_gibs_the_same_change_arrived_twice_waits_and_goes_again_with_the_same_key(
        app, client, company, gib_simulator_factory, demo_pki, journal, db_session):  # type: ignore[no-untyped-def]
    message = "Aynı işlem aynı anda iki kez gönderildi; işlemin durumunu sorgulayıp gerekirse tekrar deneyiniz."
    simulator = _simulator(gib_simulator_factory, demo_pki, app, company,
                           middleware=lambda wsgi: _AnswerFirstFileWith(wsgi, 409, "9006", message))
    period = _signed(client, company, journal)
    client.post(f"/defter/{period.id}/gonder")
    first = submissions(db_session, period.id)[0]
    assert first.state is SubmissionState.WAITING and first.next_attempt_at is not None
    assert first.gib_code is None and message in first.gib_message
    db_session.refresh(period)
    assert period.state is JournalPeriodState.SENT  # not Hata: nothing was refused
    key = first.idempotency_key
    db_session.execute(update(DefterSubmission).where(DefterSubmission.id == first.id)
                       .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db_session.commit()
    with app.app_context():
        assert sending.retry_due_submissions() == 1
    rows = submissions(db_session, period.id)
    assert all(row.state is SubmissionState.APPROVED for row in rows)
    assert rows[0].idempotency_key == key and len(_berats_at_gib(simulator)) == len(rows) - 1


def test_gibs_refusal_text_is_shown_as_it_came_and_escaped(
        app, client, company, gib_simulator_factory, demo_pki, journal, db_session):  # type: ignore[no-untyped-def]
    text = "Berat <b>imzası</b> geçersiz & \"VKN\" uyuşmuyor <script>alert(1)</script>"
    _simulator(gib_simulator_factory, demo_pki, app, company,
               middleware=lambda wsgi: _AnswerFirstFileWith(wsgi, 400, "1177", text))
    period = _signed(client, company, journal)
    client.post(f"/defter/{period.id}/gonder")
    first = submissions(db_session, period.id)[0]
    assert first.kind is DefterFileKind.YEVMIYE_BERAT and first.state is SubmissionState.FAILED
    assert (first.gib_code, first.gib_message) == ("1177", text)
    html = client.get(f"/defter/{period.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "<b>imzası</b>" not in html
    assert "[1177] Berat &lt;b&gt;imzası&lt;/b&gt; geçersiz &amp; " in html
    assert f"[1177] {text}" in text_of(client.get(f"/defter/{period.id}"))


class _RenameInAnswer:
    """GİB's answer names the approved berat with a path (its sealed content stays GİB's, untouched)."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        if "/edefter/files/" not in environ.get("PATH_INFO", ""):
            return self.app(environ, start_response)
        caught: dict = {}  # type: ignore[type-arg]

        def catch(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
            caught.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(self.app(environ, catch))
        if caught["status"].startswith("201"):
            payload = json.loads(body)
            if payload.get("kind") != "DR":
                payload["filename"] = "../../baska-yer/evil.xml"
            body = json.dumps(payload).encode()
        headers = [(k, v) for k, v in caught["headers"] if k.lower() != "content-length"]
        start_response(caught["status"], headers + [("Content-Length", str(len(body)))])
        return [body]


def test_the_kept_berat_is_named_from_its_verified_content_not_from_the_answers_text(
        app, client, company, gib_simulator_factory, demo_pki, journal, db_session):  # type: ignore[no-untyped-def]
    import io
    import zipfile

    _simulator(gib_simulator_factory, demo_pki, app, company, middleware=_RenameInAnswer)
    period = _signed(client, company, journal)
    assert client.post(f"/defter/{period.id}/gonder").status_code == 303
    rows = submissions(db_session, period.id)
    assert all(row.state is SubmissionState.APPROVED for row in rows), [r.gib_message for r in rows]
    vkn = company.taxpayer.identifier
    assert rows[0].approved_file_name == f"GIB-{vkn}-202401-YB-000001.xml"
    with client.get(f"/defter/{period.id}/indir.zip") as exported:
        names = zipfile.ZipFile(io.BytesIO(exported.get_data())).namelist()
    assert f"GIB-{vkn}-202401-YB-000001.xml" in names and not any(".." in name for name in names)


def test_a_re_creation_begun_meanwhile_stops_the_sending_under_the_periods_lock(
        app, client, company, gib, signed_month, db_session, monkeypatch):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    import pytest

    from app.edefter.creation import operations as creation
    from app.models import DefterCreation
    from app.models.defter_file import CreationState
    from app.unit_of_work import unit_of_work

    period = signed_month(2024, 1, 6)

    def read_then_recreated(seen_period):  # type: ignore[no-untyped-def]
        """The check before the lock reads a signed creation; "Oluştur" in another tab commits right after it
        (it locks the period too), before this request takes the lock."""
        seen = creation.creation_of(seen_period)
        assert seen.state is CreationState.SIGNED
        with unit_of_work() as work:
            work.session.execute(update(DefterCreation).where(DefterCreation.id == seen.id)
                                 .values(state=CreationState.PREPARING))
        return SimpleNamespace(id=seen.id, state=CreationState.SIGNED)

    monkeypatch.setattr(sending, "creation_of", read_then_recreated)
    with app.test_request_context():
        mine = creation.period_by_id(company.taxpayer, period.id)
        with pytest.raises(sending.SendingRefused, match="bu arada değişti"):
            sending.start_sending(company.taxpayer, mine, "Test")
    assert submissions(db_session, period.id) == []
