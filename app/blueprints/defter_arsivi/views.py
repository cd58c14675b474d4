"""e-Defter Arşivi pages. Upload → checked now (small) or by a job (the upload's page shows progress, then each
file's verdict); the list by year, period, kind and branch; download of a file or a period's zip; Doğrula;
"Arşive Al" for an own approved period; seeding Yevmiye Numarası Doğrulama from an archived yevmiye."""

from __future__ import annotations

from flask import Response, abort, flash, make_response, render_template, request, stream_with_context, url_for
from flask_login import login_required

from app.acting import acting_taxpayer, needs
from app.authorisations.access import Need
from app.blueprints.defter_arsivi import bp
from app.edefter.archive import operations, queries, rules
from app.edefter.archive.download import stream_period_zip
from app.edefter.archive.numbering import seed_numbering
from app.edefter.archive.periods import PeriodNotFound, keep_approved_period
from app.edefter.company import queries as company
from app.formats.safe_xml import format_size
from app.htmx import render, see_other
from app.jobs import status
from app.kontor import queries as kontor
from app.models import KontorUnit
from app.models.edefter_archive import ArchiveKind, ArchiveVerdict
from app.refusals import Refused
from app.storage import StorageError, StoredFileMissing, file_store
from app.storage.serving import send_stored
from app.verification_report import report_for_stored


@bp.before_request
@login_required
def _require_login() -> None:
    """Every e-Defter Arşivi page needs a logged-in person."""


@bp.get("/")
@needs(Need.VIEW)
def index() -> Response:
    """Upload form, balance, recent uploads, periods not yet archived and the archived files with search."""
    taxpayer = acting_taxpayer()
    search, error = queries.search_from(request.args)
    count, size = queries.totals(taxpayer.id)
    return render("defter_arsivi/index.html", "defter_arsivi/_list.html", search=search, filter_error=error,
                  page=queries.entries(taxpayer.id, search, request.args.get("sayfa", 1, type=int)),
                  kinds=list(ArchiveKind), years=queries.years(taxpayer.id), branches=company.branches_of(taxpayer),
                  uploads=queries.uploads(taxpayer.id), waiting=queries.periods_not_archived(taxpayer.id),
                  balances=[kontor.balance_of(taxpayer.id, KontorUnit.MB)], storage_problem=rules.storage_problem(),
                  total_count=count, total_size=format_size(size), size=format_size, seedable=queries.seedable)


@bp.post("/yukle")
@needs(Need.PREPARE)
def upload() -> Response:
    """Keep the upload and check it (now, or by a job); the upload's page shows each file's verdict."""
    file = request.files.get("dosya")
    if file is None or not file.filename:
        flash("Yüklenecek dosyayı seçiniz.", "error")
        return see_other(url_for("defter_arsivi.index"))
    try:
        started = operations.start_upload(acting_taxpayer(), file.filename, file.stream, request.form.get("donem", ""))
    except Refused as refused:
        flash(refused.message, "error")
        return see_other(url_for("defter_arsivi.index"))
    return see_other(url_for("defter_arsivi.upload_result", upload_id=started.id))


@bp.get("/yukleme/<int:upload_id>")
@needs(Need.VIEW)
def upload_result(upload_id: int) -> Response:
    """One upload: its job's status widget (if any), the balance and the verdict of every file."""
    taxpayer_id = acting_taxpayer().id
    found = queries.upload_of(taxpayer_id, upload_id) or abort(404)
    only = next((v for v in ArchiveVerdict if v.value == request.args.get("sonuc")), None)
    job = status.job_of(taxpayer_id, found.job_id) if found.job_id else None
    stuck = operations.is_stuck(found, job.job if job else None)
    return render("defter_arsivi/upload.html", "defter_arsivi/_verdicts.html", upload=found, job=job, only=only,
                  stuck=stuck,
                  verdicts=queries.verdicts(found.id, request.args.get("sayfa", 1, type=int), only),
                  balances=[kontor.balance_of(taxpayer_id, KontorUnit.MB)], verdict_kinds=list(ArchiveVerdict))


@bp.post("/yukleme/<int:upload_id>/surdur")
@needs(Need.PREPARE)
def resume(upload_id: int) -> Response:
    """"Kontrolü Sürdür": a left-behind upload is checked on by a job, from where it stopped."""
    try:
        operations.resume_upload(acting_taxpayer(), upload_id)
    except Refused as refused:
        if queries.upload_of(acting_taxpayer().id, upload_id) is None:
            abort(404)
        flash(refused.message, "warning")
    return see_other(url_for("defter_arsivi.upload_result", upload_id=upload_id))


@bp.get("/dosya/<int:entry_id>")
@needs(Need.VIEW)
def download(entry_id: int) -> Response:
    """The archived file's original bytes."""
    entry = queries.entry_of(acting_taxpayer().id, entry_id) or abort(404)
    try:
        return send_stored(entry.sha256, download_name=entry.file_name, mimetype="application/xml")
    except StorageError as error:
        return _store_unreachable(error)


@bp.get("/dosya/<int:entry_id>/dogrula")
@needs(Need.VIEW)
def verify(entry_id: int) -> Response:
    """Doğrula: the İmza Doğrulama report of the archived file."""
    entry = queries.entry_of(acting_taxpayer().id, entry_id) or abort(404)
    try:
        report = report_for_stored(entry.sha256, f"e-Defter Arşivi: {entry.file_name}")
    except StorageError as error:
        return _store_unreachable(error)
    return make_response(render_template("dogrulama/report.html", report=report, error=None, downloads=None))


def _store_unreachable(error: StorageError) -> Response:
    """The archive's page, naming the store (D9), instead of an error page."""
    flash(f"{rules.STORAGE_UNREACHABLE}: {error.message}", "error")
    return see_other(url_for("defter_arsivi.index"))


@bp.get("/donem.zip")
@needs(Need.VIEW)
def period_zip() -> Response:
    """Every archived file of one period (and branch) in a zip with a SHA256SUMS manifest."""
    search, error = queries.search_from(request.args)
    if error or search.year is None or search.month is None:
        flash("İndirilecek dönemin yılını ve ayını seçiniz.", "error")
        return see_other(url_for("defter_arsivi.index"))
    branch = search.branch or ""
    entries = queries.period_entries(acting_taxpayer().id, search.year, search.month, branch)
    if not entries:
        flash(f"{search.month:02d}/{search.year} döneminin arşivde dosyası yok.", "error")
        return see_other(url_for("defter_arsivi.index"))
    missing = next((e for e in entries if not file_store().exists(e.sha256)), None)
    if missing is not None:  # asked before the first byte is sent: a zip cut short would look like a good one
        return _store_unreachable(StoredFileMissing(missing.sha256))
    response = Response(stream_with_context(stream_period_zip(entries)), mimetype="application/zip")
    suffix = f"-{branch}" if branch else ""
    response.headers["Content-Disposition"] = f"attachment; filename=edefter-{search.year}{search.month:02d}{suffix}.zip"
    return response


@bp.post("/donem/<int:period_id>/arsive-al")
@needs(Need.PREPARE)
def keep_period(period_id: int) -> Response:
    """Arşive Al: keep an own approved period (again after the kontör was short)."""
    taxpayer = acting_taxpayer()
    try:
        kept = keep_approved_period(period_id, taxpayer_id=taxpayer.id)
    except PeriodNotFound:
        abort(404)
    except Refused as refused:
        flash(refused.message, "error")
        return see_other(url_for("defter_arsivi.index"))
    if kept.reason:
        flash(kept.reason, "error")
    else:
        flash(f"Dönemin {kept.file_count} dosyası arşive alındı ({kept.charged} MB kontör düşüldü).", "success")
    return see_other(url_for("defter_arsivi.index"))


@bp.post("/dosya/<int:entry_id>/numaralandirma")
@needs(Need.PREPARE)
def seed(entry_id: int) -> Response:
    """Set Yevmiye Numarası Doğrulama from this archived yevmiye (the same checks as an upload there)."""
    taxpayer = acting_taxpayer()
    queries.entry_of(taxpayer.id, entry_id) or abort(404)
    try:
        verification = seed_numbering(taxpayer, entry_id)
    except (Refused, StorageError) as refused:
        flash(refused.message, "error")
        return see_other(url_for("defter_arsivi.index"))
    flash(f"Yevmiye numaralandırması arşivdeki dosyadan belirlendi: son madde no {verification.last_entry_counter}.",
          "success")
    return see_other(url_for("edefter.yevmiye"))
