"""Belge Saklama pages. Upload → a job per upload (status widget, then each member's verdict); the list per product
with search, download of one document's original bytes or a zip of the chosen ones."""

from __future__ import annotations

from flask import Response, abort, flash, request, stream_with_context, url_for
from flask_login import login_required

from app.acting import acting_taxpayer
from app.archive import operations, queries, rules
from app.archive.download import stream_zip
from app.blueprints.saklama import bp
from app.blueprints.saklama.forms import search_from, selected_ids
from app.htmx import render, see_other
from app.integrator import catalogue
from app.jobs import status
from app.kontor import queries as kontor
from app.models import Verdict
from app.storage.serving import send_stored


@bp.before_request
@login_required
def _require_login() -> None:
    """Every Belge Saklama page needs a logged-in person."""


@bp.get("/")
def index() -> Response:
    """Upload form, balance, recent uploads and the chosen product's stored documents with search."""
    taxpayer_id = acting_taxpayer().id
    search, error = search_from(request.args)
    return render("saklama/index.html", "saklama/_list.html", search=search, filter_error=error,
                  page=queries.documents(taxpayer_id, search, request.args.get("sayfa", 1, type=int)),
                  products=[catalogue.product(code) for code in rules.PRODUCTS],
                  active=rules.active_storage_products(taxpayer_id), counts=queries.counts_by_product(taxpayer_id),
                  imports=queries.imports(taxpayer_id), balances=kontor.balances(taxpayer_id),
                  document_types=rules.DOCUMENT_TYPES)


@bp.post("/yukle")
def upload() -> Response:
    """Keep the file and queue its import; the upload's page shows the progress and then each verdict."""
    file = request.files.get("dosya")
    if file is None or not file.filename:
        flash("Yüklenecek dosyayı seçiniz.", "error")
        return see_other(url_for("saklama.index"))
    try:
        started = operations.start_import(acting_taxpayer(), file.filename, file.stream)
    except rules.ArchiveRefused as refused:
        flash(refused.message, "error")
        return see_other(url_for("saklama.index"))
    return see_other(url_for("saklama.upload_result", import_id=started.id))


@bp.get("/yukleme/<int:import_id>")
def upload_result(import_id: int) -> Response:
    """One upload: its job's status widget, the balance and the verdict of every member."""
    taxpayer_id = acting_taxpayer().id
    upload = queries.import_of(taxpayer_id, import_id) or abort(404)
    only = next((v for v in Verdict if v.value == request.args.get("sonuc")), None)
    job = status.job_of(taxpayer_id, upload.job_id) if upload.job_id else None
    return render("saklama/upload.html", "saklama/_verdicts.html", upload=upload, job=job, only=only,
                  verdicts=queries.verdicts(upload.id, request.args.get("sayfa", 1, type=int), only),
                  balances=kontor.balances(taxpayer_id), verdict_kinds=list(Verdict))


@bp.get("/belge/<int:document_id>")
def document(document_id: int) -> Response:
    """The stored document's original bytes."""
    found = queries.document_of(acting_taxpayer().id, document_id) or abort(404)
    return send_stored(found.sha256, download_name=found.filename, mimetype="application/xml")


@bp.get("/secilenler.zip")
def download_selection() -> Response:
    """A zip of the chosen documents (only the taxpayer's own are taken), written while it is sent."""
    chosen = queries.selection(acting_taxpayer().id, selected_ids(request.args))
    if not chosen:
        flash("İndirmek için listeden en az bir belge seçiniz.", "error")
        return see_other(url_for("saklama.index", urun=request.args.get("urun")))
    response = Response(stream_with_context(stream_zip(chosen)), mimetype="application/zip")
    response.headers["Content-Disposition"] = f"attachment; filename=saklanan-belgeler-{len(chosen)}.zip"
    return response
