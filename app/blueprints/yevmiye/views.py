"""Yevmiye Kayıtları and API Anahtarları pages. Views read the request, call the journal package, render."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import login_required

from app.acting import acting_taxpayer
from app.blueprints.yevmiye import bp
from app.edefter.company.forms import parse_date
from app.formatting import local_today, parse_record_id
from app.htmx import render, see_other
from app.jobs.status import job_of
from app.journal import api_keys, queries, samples
from app.journal.operations import delete_entries
from app.journal.periods import parse_period, period_name
from app.journal.problems import JournalRefused
from app.journal.rules import DOCUMENT_TYPE_LABELS, PeriodBounds
from app.journal.upload import upload
from app.models import ApiKeyScope, JournalPeriod
from app.unit_of_work import current_actor


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page needs a logged-in person acting for the taxpayer."""


def _bounds(donem: str) -> PeriodBounds:
    try:
        return parse_period(donem)
    except JournalRefused:
        abort(404)


def _this_month() -> str:
    today = local_today()
    return f"{today.year}-{today.month:02d}"


@bp.get("/yevmiye-kayitlari/")
def index() -> str:
    """The periods that received entries, with their state and counts."""
    return render_template("yevmiye/index.html", periods=queries.periods_of(acting_taxpayer().id),
                           this_month=_this_month())


@bp.get("/yevmiye-kayitlari/donem")
def choose() -> Response | str:
    """The period typed on the index page: its journal, or a word that nothing arrived for it yet."""
    donem = request.args.get("donem", "")[:7] or _this_month()
    found = queries.period_of(acting_taxpayer().id, _bounds(donem))
    if found is None:
        return render_template("yevmiye/period.html", donem=donem, period=None)
    return see_other(url_for("yevmiye.period", period_id=found.id))


def _period_or_404(period_id: int) -> JournalPeriod:
    found = queries.period_by_id(acting_taxpayer().id, period_id)
    if found is None:
        abort(404)
    return found


@bp.get("/yevmiye-kayitlari/<int:period_id>")
def period(period_id: int) -> Response:
    """The journal screen: a period's entries with their lines, totals, search, paging and who sent what."""
    found = _period_or_404(period_id)
    search = request.args.get("ara", "")[:50]
    page = queries.entries_page(found, parse_record_id(request.args.get("sayfa", "1")) or 1, search)
    return render("yevmiye/period.html", "yevmiye/_entries.html", donem=period_name(found), period=found, page=page,
                  search=search, totals=queries.totals_of(found), batches=queries.batches_of(found),
                  labels=DOCUMENT_TYPE_LABELS)


@bp.post("/yevmiye-kayitlari/<int:period_id>/sil")
def delete_period_entries(period_id: int) -> Response:
    """Delete the period's entries (or one batch's: ``gonderim``) while no e-Defter was created from them."""
    found = _period_or_404(period_id)
    batch_id = parse_record_id(request.form.get("gonderim", "")) if request.form.get("gonderim") else None
    if request.form.get("gonderim") and batch_id is None:  # a broken batch id never means "the whole period"
        abort(404)
    try:
        deleted = delete_entries(acting_taxpayer().id, parse_period(period_name(found)), batch_id)
        flash(f"{deleted.entries} madde ({deleted.lines} satır) silindi.", "success")
    except JournalRefused as refused:
        flash(refused.message, "error")
    return see_other(url_for("yevmiye.period", period_id=period_id))


@bp.get("/yevmiye-kayitlari/yukle")
def upload_form() -> str:
    """The upload page: the period, the file, the sample and the template."""
    return render_template("yevmiye/upload.html", donem=request.args.get("donem", _this_month())[:7])


@bp.post("/yevmiye-kayitlari/yukle")
def upload_file() -> Response | tuple[str, int]:
    """Import a CSV/XLSX now, or start a job for a large one; a refusal lists every bad row."""
    donem = request.form.get("donem", "")[:7]
    file = request.files.get("dosya")
    try:
        outcome = upload(acting_taxpayer(), donem, file.stream if file else None, file.filename if file else None,
                         current_actor())
    except JournalRefused as refused:
        return render_template("yevmiye/upload.html", donem=donem, refused=refused), 422
    if outcome.job is not None:
        job = job_of(acting_taxpayer().id, outcome.job.id)
        return render_template("yevmiye/upload.html", donem=donem, job=job), 202
    result = outcome.result
    flash(f"{result.entry_count} madde ({result.line_count} satır) {result.period} dönemine alındı.", "success")
    return see_other(url_for("yevmiye.period", period_id=result.period_id))


@bp.get("/yevmiye-kayitlari/ornek.csv", defaults={"kind": "ornek", "ext": "csv"}, scoped=False)
@bp.get("/yevmiye-kayitlari/ornek.xlsx", defaults={"kind": "ornek", "ext": "xlsx"}, scoped=False)
@bp.get("/yevmiye-kayitlari/sablon.csv", defaults={"kind": "sablon", "ext": "csv"}, scoped=False)
@bp.get("/yevmiye-kayitlari/sablon.xlsx", defaults={"kind": "sablon", "ext": "xlsx"}, scoped=False)
def sample(kind: str, ext: str) -> Response:
    """ornek.csv / ornek.xlsx (three maddeler of this month) and sablon.csv / sablon.xlsx (the header only): the
    same for everyone, so outside any taxpayer's addresses."""
    rows = samples.sample_rows(parse_period(_this_month())) if kind == "ornek" else []
    body = samples.csv_bytes(rows) if ext == "csv" else samples.xlsx_bytes(rows)
    mimetype = "text/csv" if ext == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="yevmiye-{kind}.{ext}"'
    return response


def _keys_page(new_key: api_keys.NewKey | None = None, error: str | None = None, status: int = 200,
               values: dict[str, str] | None = None) -> tuple[str, int]:
    keys = api_keys.keys_of(acting_taxpayer())
    return render_template("yevmiye/api_keys.html", keys=keys, new_key=new_key, error=error, scopes=list(ApiKeyScope),
                           values=values or {"kapsam": ApiKeyScope.WRITE.value}, state=api_keys.key_state), status


@bp.get("/api-anahtarlari")
def keys() -> tuple[str, int]:
    """API Anahtarları: the taxpayer's keys (name, scope, expiry, last use) and the form for a new one."""
    return _keys_page()


@bp.post("/api-anahtarlari")
def key_create() -> tuple[str, int]:
    """Create a key and show it once (never stored, never redirected through a URL)."""
    form = request.form
    expires_text = form.get("bitis", "").strip()
    expires_on = parse_date(expires_text) if expires_text else None
    if expires_text and expires_on is None:
        return _keys_page(error="Son geçerlilik tarihi anlaşılamadı (GG.AA.YYYY).", status=422, values=dict(form))
    try:
        new_key = api_keys.create_key(acting_taxpayer(), form.get("ad", ""), form.get("kapsam", ""), expires_on,
                                      current_actor())
    except api_keys.ApiKeyFormInvalid as invalid:
        return _keys_page(error=invalid.message, status=422, values=dict(form))
    return _keys_page(new_key=new_key)


@bp.post("/api-anahtarlari/<int:key_id>/iptal")
def key_revoke(key_id: int) -> Response:
    """Revoke a key: its next request is refused."""
    try:
        key = api_keys.revoke_key(acting_taxpayer(), key_id)
    except api_keys.ApiKeyRefused:
        abort(404)
    flash(f"'{key.name}' anahtarı iptal edildi.", "success")
    return see_other(url_for("yevmiye.keys"))
