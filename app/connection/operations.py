"""GİB Bağlantı Kontrolü as a job: start it (once at a time per taxpayer) and the handler a worker runs."""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.connection.queries import GIB_CHECK_KIND, ConnectionAnswer, active_check
from app.db import get_session
from app.gib.client import Label, RegisteredUser
from app.gib.client import Taxpayer as GibTaxpayer
from app.gib_access import DEFAULT_SIMULATOR_URL, ClockCheck, check_clock, gib_client
from app.jobs import JobContext, JobKind, submit
from app.models import Job, Taxpayer
from app.refusals import Refused
from app.unit_of_work import release_reads

TITLE = "GİB Bağlantı Kontrolü"


class ConnectionCheckRefused(Refused):
    """The check cannot be made (its taxpayer is gone)."""


def start_check(taxpayer: Taxpayer) -> Job:
    """Start a check for the taxpayer, or answer with the one already waiting or running (a double click)."""
    running = active_check(taxpayer.id)
    if running is not None:
        return running
    return submit(GIB_CHECK_KIND, taxpayer.id, TITLE)


def check_connection(job: JobContext) -> dict[str, Any]:
    """The handler: GİB's clock, then the taxpayer's registry entry, then its labels; the answer is the result.

    GİB away ends the job with GİB's message ("GİB servisine ulaşılamıyor…"): for a check that is the answer,
    so it is not retried.
    """
    taxpayer = get_session().get(Taxpayer, job.taxpayer_id) if job.taxpayer_id is not None else None
    if taxpayer is None:
        raise ConnectionCheckRefused("Mükellef kaydı bulunamadı; GİB bağlantısı kontrol edilemedi.")
    identifier = taxpayer.identifier
    release_reads()  # no transaction is held while GİB is asked
    client = gib_client()
    try:
        job.progress(5, "GİB saati soruluyor…")
        clock = check_clock(client)
        job.progress(35, "Mükellefin GİB kaydı aranıyor…")
        registry = client.find_taxpayer(identifier)
        job.progress(70, "Kayıtlı kullanıcı listesindeki etiketler okunuyor…")
        registered = client.registered_user(identifier)
    finally:
        client.close()
    return _result(current_app.config["GIB_URL"] or DEFAULT_SIMULATOR_URL, identifier, clock, registry, registered)


def _result(gib_url: str, identifier: str, clock: ClockCheck, registry: GibTaxpayer | None,
            registered: RegisteredUser | None) -> dict[str, Any]:
    application = registry.efatura_application if registry else None
    labels: list[Label] = registered.active_aliases() if registered else []
    return {
        "gib_url": gib_url,
        "identifier": identifier,
        "clock": {"ok": clock.ok, "message": clock.message, "gib_time": clock.reading.gib_time.isoformat(),
                  "local_time": clock.reading.local_time.isoformat()},
        "registry": None if registry is None else {
            "title": registry.title, "user_type": registry.user_type,
            "application_method": application.method if application else None,
            "application_received_at": application.received_at.isoformat() if application else None,
        },
        "labels": [{"document_type": label.document_type, "role": label.role, "alias": label.alias,
                    "account_type": label.account_type, "created_at": label.created_at.isoformat()}
                   for label in labels],
    }


GIB_CHECK = JobKind(GIB_CHECK_KIND, check_connection, retry_when_gib_away=False,
                    result_template="yonetim/_gib_answer.html", present=ConnectionAnswer.from_result)
