"""Faturalar pages: the invoice list and the UBL-TR import. Views are thin: read, call, render or redirect."""

from __future__ import annotations

import io

from flask import Response, abort, render_template, request, url_for
from flask_login import login_required

from app.acting import acting_taxpayer
from app.blueprints.faturalar import bp
from app.formats.ubl import UploadError
from app.htmx import render, see_other
from app.invoices import operations, queries
from app.invoices.queries import Direction, InvoiceFilter
from app.invoices.report import ImportSummary


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page of the area needs a logged-in taxpayer."""


@bp.get("/")
def index() -> Response:
    """Giden / Gelen Faturalar, with the date range and search filters."""
    invoice_filter, filter_error = InvoiceFilter.from_args(request.args)
    page = queries.invoice_list(acting_taxpayer(), invoice_filter, request.args.get("sayfa", 1, type=int))
    return render("faturalar/index.html", "faturalar/_list.html", page=page, invoice_filter=invoice_filter,
                  filter_error=filter_error, directions=list(Direction))


def _upload_form(error: str | None = None, summary: ImportSummary | None = None, status: int = 200) -> Response:
    return render("faturalar/upload.html", "faturalar/_upload_form.html", status=status, error=error, summary=summary,
                  limits=operations.UPLOAD_LIMITS)


@bp.get("/yukle")
def upload_form() -> Response:
    """"Fatura Yükle": one UBL-TR .xml or a .zip of many."""
    return _upload_form()


@bp.post("/yukle")
def upload() -> Response:
    """Read the file (a too-large request already got the 413 page), import, then show the result."""
    file = request.files.get("dosya")
    filename = (file.filename or "") if file else ""
    try:
        upload_result = operations.read_upload(filename, file.stream if file else io.BytesIO())
    except UploadError as exc:
        return _upload_form(exc.message, status=422)
    report = operations.import_invoices(acting_taxpayer(), upload_result, filename)
    if report.audit_id is None:
        return _upload_form("Dosyadaki faturaların hiçbiri alınmadı; hiçbir şey kaydedilmedi.", report.summary(), 422)
    return see_other(url_for("faturalar.upload_done", kayit=report.audit_id))


@bp.get("/yukle/sonuc/<int:kayit>")
def upload_done(kayit: int) -> str:
    """What an import stored and what it refused, with each reason."""
    summary = queries.import_summary(acting_taxpayer(), kayit)
    if summary is None:
        abort(404)
    return render_template("faturalar/upload_done.html", summary=summary)
