"""Defter Oluştur pages. Views are thin: load the period (404 when not this taxpayer's), call an operation."""

from __future__ import annotations

import tempfile

from flask import Response, abort, flash, request, send_file, url_for
from flask_login import current_user, login_required

from app.acting import acting_taxpayer, needs
from app.authorisations.access import Need
from app.blueprints.defter import bp
from app.cards import card_choice_from, certificate_for_confirmation, installed_drivers, tokens_for
from app.drafts import DraftExpired, make_draft, read_draft
from app.edefter.creation import operations, queries
from app.edefter.sending import operations as sending
from app.edefter.sending import queries as sending_queries
from app.edefter.sending.seal import verify_kept
from app.htmx import is_partial, render, see_other
from app.jobs.status import view_of
from app.models import JournalPeriod
from app.refusals import Refused
from app.signing.certinfo import CertificateInfo
from app.formats.safe_xml import format_size
from app.storage.serving import send_stored

DRAFT = "defter-imza"


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page here needs a logged-in person."""


def _period(period_id: int) -> JournalPeriod:
    try:
        return operations.period_by_id(acting_taxpayer(), period_id)
    except operations.PeriodNotFound:
        abort(404)


def _sending(period: JournalPeriod) -> dict[str, object]:
    """What the "GİB'e Gönderim" block shows: the submissions, the sending job, whether to keep polling."""
    rows = sending_queries.submissions_of(period)
    job = sending_queries.latest_job(rows)
    return {"submissions": rows, "send_job": view_of(job) if job else None,
            "polling": bool(job and job.active) or any(row.state.value == "gonderildi" for row in rows)}


def _page(period: JournalPeriod, error: str | None = None, status: int = 200, chosen_token: str | None = None) -> Response:
    creation = operations.creation_of(period)
    job = queries.job_of(creation)
    drivers = installed_drivers()
    driver = request.form.get("surucu") or (drivers[0] if drivers else "")
    tokens, token_error = tokens_for(driver) if driver else ([], None)
    return render("defter/period.html", "defter/_period.html", status=status, period=period, creation=creation,
                  files=queries.files_of(creation), job=view_of(job) if job else None,
                  readiness=queries.readiness(acting_taxpayer(), period), error=error, drivers=drivers,
                  driver=driver, tokens=tokens, token_error=token_error, chosen_token=chosen_token, size=format_size,
                  **_sending(period))


@bp.get("/")
@needs(Need.VIEW)
def index() -> Response:
    """The taxpayer's journal periods and where each stands."""
    return render("defter/index.html", "defter/_periods.html", periods=queries.periods_of(acting_taxpayer()))


@bp.get("/<int:period_id>")
@needs(Need.VIEW)
def period(period_id: int) -> Response:
    """One period: prerequisites, the creation job's progress, the files, the card form, the signed result."""
    return _page(_period(period_id))


@bp.post("/<int:period_id>/olustur")
@needs(Need.PREPARE)
def create(period_id: int) -> Response:
    """"Oluştur": check the prerequisites (GİB included) and start the creation job."""
    period = _period(period_id)
    try:
        operations.start_creation(acting_taxpayer(), period)
    except Refused as exc:
        return _page(period, exc.message, 422)
    return see_other(url_for("defter.period", period_id=period_id))


@bp.post("/<int:period_id>/imza")
@needs(Need.SIGN)
def confirm(period_id: int) -> Response:
    """The card chosen: show the certificate that will sign (SPEC A2) and ask for the PIN."""
    period = _period(period_id)
    try:
        card = card_choice_from(request.form)
        certificate = certificate_for_confirmation(card, acting_taxpayer().identifier)
    except Refused as exc:
        return _page(period, exc.message, 422, request.form.get("kart"))
    draft = make_draft(DRAFT, period_id=period_id, driver=card.driver, token=card.token_label)
    return render("defter/confirm.html", "defter/_confirm.html", period=period, certificate=certificate, draft=draft,
                  error=None)


@bp.post("/<int:period_id>/onayla")
@needs(Need.SIGN)
def sign(period_id: int) -> Response:
    """"Onayla": every part, berat and the DR signed in one card login."""
    period = _period(period_id)
    try:
        draft = read_draft(DRAFT, request.form.get("taslak", ""))
    except DraftExpired as exc:
        flash(exc.message, "error")
        return see_other(url_for("defter.period", period_id=period_id))
    if draft.get("period_id") != period_id:
        abort(404)
    try:
        card = card_choice_from({"surucu": draft["driver"], "kart": draft["token"] or ""})
        creation = operations.sign_period(acting_taxpayer(), period, card.module_path, card.token_label,
                                          request.form.get("sifre", ""))
    except Refused as exc:
        return render("defter/confirm.html", "defter/_confirm.html", status=422, period=period,
                      certificate=_certificate_again(draft), draft=request.form["taslak"], error=exc.message)
    waiting = "" if creation.state.value == "imzali" else " İmzalı dosyalar hazırlanıyor."
    flash(f"{period.label} dönemi defterleri, beratları ve defter raporu imzalandı.{waiting}", "success")
    return see_other(url_for("defter.period", period_id=period_id))


def _certificate_again(draft: dict[str, object]) -> CertificateInfo | None:
    """The certificate shown again beside the message after a wrong PIN (read without the PIN); None when the
    card is gone, which the message already says."""
    try:
        card = card_choice_from({"surucu": str(draft["driver"]), "kart": str(draft["token"] or "")})
        return certificate_for_confirmation(card, acting_taxpayer().identifier)
    except Refused:
        return None


@bp.get("/<int:period_id>/dosya/<int:file_id>")
@needs(Need.VIEW)
def download(period_id: int, file_id: int) -> Response:
    """A signed file as GİB receives it."""
    row = queries.file_of(acting_taxpayer(), _period(period_id), file_id)
    if row is None or row.signed_key is None:
        abort(404)
    return send_stored(row.signed_key, download_name=row.file_name, mimetype="application/xml")


@bp.get("/<int:period_id>/dosya/<int:file_id>/rapor")
@needs(Need.VIEW)
def report(period_id: int, file_id: int) -> Response:
    """The signed file's verification report."""
    period = _period(period_id)
    row = queries.file_of(acting_taxpayer(), period, file_id)
    if row is None or row.signed_key is None:
        abort(404)
    return render("defter/report.html", "defter/_report.html", period=period, file=row,
                  creation=operations.creation_of(period))


@bp.get("/<int:period_id>/indir.zip")
@needs(Need.VIEW)
def export(period_id: int) -> Response:
    """Every signed file of the period and a SHA256SUMS manifest, as one zip."""
    period = _period(period_id)
    spool = tempfile.TemporaryFile()
    try:
        operations.export_period(acting_taxpayer(), period, spool)
    except Refused as exc:
        spool.close()
        flash(exc.message, "warning")
        return see_other(url_for("defter.period", period_id=period_id))
    spool.seek(0)
    name = f"{acting_taxpayer().identifier}-{period.year:04d}{period.month:02d}-edefter.zip"
    return send_file(spool, mimetype="application/zip", as_attachment=True, download_name=name)


# --- GİB'e gönderim (issue 14) -----------------------------------------------------------------------------------


@bp.post("/<int:period_id>/gonder")
@needs(Need.SIGN)
def send(period_id: int) -> Response:
    """"GİB'e Gönder" / "Tekrar Gönder": the berats and DR go to GİB as a job; the block polls until it ends."""
    period = _period(period_id)
    try:
        sending.start_sending(acting_taxpayer(), period, current_user.display)
    except Refused as exc:
        return _page(period, exc.message, 422)
    if is_partial():  # the block swapped in place; it polls itself while the job runs
        return _page(period)
    return see_other(url_for("defter.period", period_id=period_id))


@bp.get("/<int:period_id>/gonderim")
@needs(Need.VIEW)
def sending_state(period_id: int) -> Response:
    """The "GİB'e Gönderim" block alone, for its self-polling while the job runs."""
    period = _period(period_id)
    if not is_partial():
        return _page(period)
    return render("defter/period.html", "defter/_sending.html", period=period,
                  creation=operations.creation_of(period), **_sending(period))


def _submission(period: JournalPeriod, submission_id: int):  # type: ignore[no-untyped-def]
    row = sending_queries.submission_of(period, submission_id)
    if row is None or row.approved_key is None or row.approved_file_name is None:
        abort(404)
    return row


@bp.get("/<int:period_id>/gonderim/<int:submission_id>/onayli-berat")
@needs(Need.VIEW)
def approved_berat(period_id: int, submission_id: int) -> Response:
    """GİB's sealed berat as it was received and verified."""
    row = _submission(_period(period_id), submission_id)
    return send_stored(row.approved_key, download_name=row.approved_file_name, mimetype="application/xml")


@bp.get("/<int:period_id>/gonderim/<int:submission_id>/dogrula")
@needs(Need.VIEW)
def approved_report(period_id: int, submission_id: int) -> Response:
    """GİB's seal on the kept berat verified again now (trust anchors, sealer GİB)."""
    period = _period(period_id)
    row = _submission(period, submission_id)
    result = verify_kept(row.approved_key)
    return render("defter/approved_report.html", "defter/_approved_report.html", period=period, row=row,
                  result=result)
