"""GİB away during a send (retried later with the same key: GİB sees one submission per file), GİB's refusal
shown as it came and fixed by re-creating and sending again, a forged "GİB" seal refused, the frozen period."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.db import utcnow
from app.edefter.creation import operations as creation
from app.edefter.sending import operations as sending
from app.gib.simulator.models import Berat, DefterReport, IdempotentResponse
from app.journal.operations import delete_entries
from app.journal.periods import parse_period
from app.journal.problems import JournalRefused
from app.models import DefterFileKind, DefterSubmission, JournalPeriodState
from app.models.defter_submission import SubmissionState
from app.signing.demo_pki import DemoPKI
from app.gib.simulator import SealSettings
from tests.edefter_creation.test_creation import create, sign
from tests.edefter_sending.conftest import submissions, text_of
from tests.fixtures.gib import gib_seal_settings, new_key


def _simulator_rows(simulator, model) -> list:  # type: ignore[no-untyped-def]
    with simulator.app.extensions["gib_simulator"].sessions() as session:
        return list(session.scalars(select(model)))


def test_gib_away_leaves_files_waiting_and_a_retry_sends_each_once(
        app, client, company, gib, signed_month, db_session):  # type: ignore[no-untyped-def]
    period = signed_month(2024, 1, 6)
    address = app.config["GIB_URL"]
    app.config["GIB_URL"] = "http://127.0.0.1:9"  # nothing listens there
    assert client.post(f"/defter/{period.id}/gonder").status_code == 303
    rows = submissions(db_session, period.id)
    first = rows[0]
    assert first.kind is DefterFileKind.YEVMIYE_BERAT and first.state is SubmissionState.WAITING
    assert first.attempts == 1 and first.next_attempt_at is not None
    assert first.next_attempt_at - utcnow() <= timedelta(minutes=1, seconds=5)
    assert "GİB e-Defter servisine ulaşılamadı (127.0.0.1:9)" in first.gib_message
    assert all(row.attempts == 0 for row in rows[1:])
    db_session.refresh(period)
    assert period.state is JournalPeriodState.SENT
    page = text_of(client.get(f"/defter/{period.id}"))
    assert "GİB e-Defter servisine ulaşılamadı (127.0.0.1:9)" in page and "Tekrar Gönder" in page

    with app.app_context():
        assert sending.retry_due_submissions() == 0  # not due yet
    db_session.execute(update(DefterSubmission).where(DefterSubmission.id == first.id)
                       .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db_session.commit()
    app.config["GIB_URL"] = address
    with app.app_context():
        assert sending.retry_due_submissions() == 1
    rows = submissions(db_session, period.id)
    assert all(row.state is SubmissionState.APPROVED for row in rows)
    assert rows[0].idempotency_key == first.idempotency_key and rows[0].attempts == 2
    db_session.refresh(period)
    assert period.state is JournalPeriodState.APPROVED


class _LoseFirstAnswer:
    """GİB receives and applies the first file, but its answer never arrives in time (the client gives up)."""

    def __init__(self, app, delay: float) -> None:  # type: ignore[no-untyped-def]
        self.app, self.delay, self.lost = app, delay, False

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        result = list(self.app(environ, start_response))
        if not self.lost and "/edefter/files/" in environ.get("PATH_INFO", ""):
            self.lost = True
            time.sleep(self.delay)
        return result


def test_an_answer_lost_on_the_way_back_is_asked_again_with_the_same_key_and_gib_keeps_one(
        app, client, company, gib_simulator_factory, demo_pki, journal, db_session):  # type: ignore[no-untyped-def]
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki),
                                      middleware=lambda wsgi: _LoseFirstAnswer(wsgi, 2.5))
    app.config["GIB_URL"] = simulator.base_url
    simulator.client.register_taxpayer(company.taxpayer.identifier, company.taxpayer.unvan, idempotency_key=new_key())
    made = journal(company.taxpayer.id, 2024, 1, 6)
    assert create(client, made.period.id).status_code == 303
    assert sign(client, made.period.id, company.card(), company.token.pin).status_code == 303
    app.config["GIB_TOTAL_TIMEOUT"] = 1.0
    client.post(f"/defter/{made.period.id}/gonder")
    first = submissions(db_session, made.period.id)[0]
    assert first.state is SubmissionState.WAITING and "yanıt vermedi" in first.gib_message
    assert len(_simulator_rows(simulator, Berat)) == 1  # GİB did approve it

    assert "Tekrar Gönder" in text_of(client.get(f"/defter/{made.period.id}"))
    app.config["GIB_TOTAL_TIMEOUT"] = 20.0
    assert client.post(f"/defter/{made.period.id}/gonder").status_code == 303
    rows = submissions(db_session, made.period.id)
    assert all(row.state is SubmissionState.APPROVED for row in rows), [r.gib_message for r in rows]
    berats = _simulator_rows(simulator, Berat)
    assert len(berats) == len(rows) - 1 and len({(b.kind, b.part) for b in berats}) == len(berats)
    assert len(_simulator_rows(simulator, DefterReport)) == 1
    keys = {row.key for row in _simulator_rows(simulator, IdempotentResponse)}
    assert {row.idempotency_key for row in rows} <= keys


def test_gibs_refusal_is_shown_as_it_came_and_the_period_is_fixed_and_sent_again(
        app, client, company, gib_simulator_factory, demo_pki, journal, db_session):  # type: ignore[no-untyped-def]
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki))
    app.config["GIB_URL"] = simulator.base_url  # Anadolu Tekstil is not in GİB's registry (yet)
    made = journal(company.taxpayer.id, 2024, 1, 6)
    assert create(client, made.period.id).status_code == 303
    assert sign(client, made.period.id, company.card(), company.token.pin).status_code == 303
    client.post(f"/defter/{made.period.id}/gonder")
    first = submissions(db_session, made.period.id)[0]
    assert first.state is SubmissionState.FAILED and first.gib_code == "2002"
    refused_key = first.idempotency_key
    assert first.gib_message == f"Mükellef kaydı bulunamadı. {company.taxpayer.identifier} numaralı mükellef GİB kayıtlarında yok."
    db_session.refresh(made.period)
    assert made.period.state is JournalPeriodState.FAILED
    page = text_of(client.get(f"/defter/{made.period.id}"))
    assert "Hata" in page and "[2002] Mükellef kaydı bulunamadı." in page

    # The fix: the period is created and signed again (nothing of it was approved), then sent.
    simulator.client.register_taxpayer(company.taxpayer.identifier, company.taxpayer.unvan, idempotency_key=new_key())
    assert create(client, made.period.id).status_code == 303
    assert submissions(db_session, made.period.id) == []
    assert sign(client, made.period.id, company.card(), company.token.pin).status_code == 303
    sent = client.post(f"/defter/{made.period.id}/gonder")
    assert sent.status_code == 303, text_of(sent)
    rows = submissions(db_session, made.period.id)
    assert rows and all(row.state is SubmissionState.APPROVED for row in rows)
    assert refused_key not in {row.idempotency_key for row in rows}
    db_session.refresh(made.period)
    assert made.period.state is JournalPeriodState.APPROVED


def test_a_berat_sealed_by_anyone_but_gib_is_refused_and_not_kept(
        app, client, company, gib_simulator_factory, demo_pki: DemoPKI, journal, db_session):  # type: ignore[no-untyped-def]
    impostor = demo_pki.token("ege")  # a valid demo certificate, chained to the trusted CA, but not GİB's
    seal = SealSettings(module_path=demo_pki.module_path, token_label=impostor.label, pin=impostor.pin,
                        softhsm_conf=str(demo_pki.softhsm_conf))
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=seal)
    app.config["GIB_URL"] = simulator.base_url
    simulator.client.register_taxpayer(company.taxpayer.identifier, company.taxpayer.unvan, idempotency_key=new_key())
    made = journal(company.taxpayer.id, 2024, 1, 6)
    create(client, made.period.id)
    sign(client, made.period.id, company.card(), company.token.pin)
    client.post(f"/defter/{made.period.id}/gonder")
    first = submissions(db_session, made.period.id)[0]
    assert first.state is SubmissionState.FAILED and first.approved_key is None
    assert "GİB'in mali mührüyle (VKN 3900383669) mühürlenmemiş" in first.gib_message
    db_session.refresh(made.period)
    assert made.period.state is JournalPeriodState.FAILED


def test_an_approved_period_is_frozen(app, client, company, gib, signed_month, db_session, demo_pki):  # type: ignore[no-untyped-def]
    period = signed_month(2024, 1, 6)
    client.post(f"/defter/{period.id}/gonder")
    db_session.refresh(period)
    assert period.state is JournalPeriodState.APPROVED

    again = client.post(f"/defter/{period.id}/gonder")
    assert again.status_code == 422 and "GİB onaylı dönem değiştirilemez, yeniden gönderilemez" in text_of(again)
    recreate = create(client, period.id)
    assert recreate.status_code == 422 and "GİB onaylı dönem değiştirilemez" in text_of(recreate)
    with app.test_request_context():
        with pytest.raises(creation.CreationRefused, match="GİB onaylı dönem değiştirilemez"):
            creation.sign_period(company.taxpayer, period, demo_pki.module_path, company.token.label, company.token.pin)
        with pytest.raises(JournalRefused, match="GİB Onaylandı"):
            delete_entries(company.taxpayer.id, parse_period("2024-01"), actor="test")
    assert len(submissions(db_session, period.id)) > 0


def test_files_left_waiting_by_a_given_up_job_are_sent_by_the_periodic_retry(
        app, client, company, gib, signed_month, db_session):  # type: ignore[no-untyped-def]
    """A job the engine gave up on (its worker killed too often) leaves its files waiting with no next try: the
    periodic task picks them up once they have been quiet for a while, and GİB still gets each file once."""
    from app.models import Job, JobStatus

    period = signed_month(2024, 1, 6)
    assert client.post(f"/defter/{period.id}/gonder").status_code == 303
    rows = submissions(db_session, period.id)
    assert all(row.state is SubmissionState.APPROVED for row in rows)
    # As a given-up job leaves them: waiting, no next try, owned by a job that is no longer active.
    dead = db_session.get(Job, rows[0].job_id)
    dead.status = JobStatus.HATA
    quiet = utcnow() - sending.ORPHAN_AFTER - timedelta(seconds=1)
    db_session.execute(update(DefterSubmission).where(DefterSubmission.id.in_([r.id for r in rows[1:]]))
                       .values(state=SubmissionState.WAITING, approved_key=None, next_attempt_at=None,
                               updated_at=utcnow()))
    db_session.commit()
    with app.app_context():
        assert sending.retry_due_submissions() == 0  # just touched: maybe a job starting right now
    db_session.execute(update(DefterSubmission).where(DefterSubmission.id.in_([r.id for r in rows[1:]]))
                       .values(updated_at=quiet))
    db_session.commit()
    with app.app_context():
        assert sending.retry_due_submissions() == 1
    rows = submissions(db_session, period.id)
    assert all(row.state is SubmissionState.APPROVED and (row.approved_key or row.kind.value == "DR") for row in rows)
    assert len(gib.period_berats(company.taxpayer.identifier, "2024-01").berats) == len(
        [r for r in rows if r.kind.value != "DR"])
