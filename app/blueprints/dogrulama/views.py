"""İmza Doğrulama pages: one report route for every kept signed document (by kind and id, the acting taxpayer's
only), as a page, a PDF or an XML; and the standalone upload page (nothing is stored)."""

from __future__ import annotations

import re

from flask import Response, abort, make_response, render_template, request, url_for
from flask_login import login_required

from app.acting import acting_taxpayer
from app.archive.rules import clean_name
from app.blueprints.dogrulama import bp
from app.refusals import Refused
from app.verification_report import Report, build_report
from app.verification_report.exports import report_pdf, report_xml
from app.verification_report.report import MAX_REPORT_BYTES
from app.verification_report.sources import signed_source


@bp.before_request
@login_required
def _require_login() -> None:
    """Every İmza Doğrulama page needs a logged-in person."""


def _answer(report: Report, form: str, filename: str, downloads: dict[str, str] | None = None) -> Response:
    """The report in the asked form: the page, or a PDF / XML download."""
    stem = re.sub(r"[^0-9A-Za-z_-]+", "_", filename.rsplit(".", 1)[0])[:80] or "belge"
    if form in ("pdf", "xml"):
        try:
            data, mimetype = (report_pdf(report), "application/pdf") if form == "pdf" else (report_xml(report), "application/xml")
        except Refused as refused:
            return make_response(render_template("dogrulama/report.html", report=report, error=refused.message,
                                                 downloads=downloads), 503)
        response = make_response(data)
        response.mimetype = mimetype
        response.headers["Content-Disposition"] = f"attachment; filename=dogrulama-raporu-{stem}.{form}"
        return response
    return make_response(render_template("dogrulama/report.html", report=report, error=None, downloads=downloads))


@bp.get("/<kind>/<int:object_id>")
def report(kind: str, object_id: int) -> Response:
    """Doğrula: the report of one kept signed document (?bicim=pdf|xml to download it)."""
    source = signed_source(acting_taxpayer(), kind, object_id, request.args.get("parca", "")) or abort(404)
    built = build_report(source.data, source.title, expected_owner_id=source.expected_owner_id)
    part = request.args.get("parca", "")
    downloads = {form: url_for("dogrulama.report", kind=kind, object_id=object_id, parca=part or None, bicim=form)
                 for form in ("pdf", "xml")}
    return _answer(built, request.args.get("bicim", ""), source.filename, downloads)


@bp.get("/", scoped=False)
def upload_form() -> str:
    """The standalone page: upload any signed XML."""
    return render_template("dogrulama/upload.html", error=None, limit=MAX_REPORT_BYTES // (1024 * 1024))


@bp.post("/", scoped=False)
def upload() -> Response | str:
    """The report of the uploaded file, as a page or a download; the file is read in memory and not kept."""
    file = request.files.get("dosya")
    if file is None or not file.filename:
        return render_template("dogrulama/upload.html", error="Doğrulanacak XML dosyasını seçiniz.",
                               limit=MAX_REPORT_BYTES // (1024 * 1024))
    data = file.stream.read(MAX_REPORT_BYTES + 1)
    built = build_report(data, f"İmza Doğrulama Raporu: {clean_name(file.filename, 100)}")
    return _answer(built, request.form.get("bicim", ""), file.filename)
