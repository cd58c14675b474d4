"""/api/v1 endpoints. Each names the key's scope it needs; the key's taxpayer must be the one in the URL."""

from __future__ import annotations

import hashlib
import tempfile
from functools import wraps
from typing import Any, Callable

from flask import Response, jsonify, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.blueprints.api import bp
from app.journal.openapi import document
from app.blueprints.api.problems import from_http_error, from_refusal, problem
from app.blueprints.api.shapes import batch_json, entry_json, period_json, submission_json
from app.edefter.creation import operations as creation
from app.edefter.sending import operations as sending
from app.edefter.sending import queries as sending_queries
from app.formatting import parse_record_id
from app.journal import queries
from app.journal.api_body import check_length, parse_body
from app.journal.api_keys import authenticate, read_sign_body, require_scope, taxpayer_of_key
from app.journal.intake import Arrival, ingest
from app.journal.operations import delete_entries
from app.journal.periods import parse_period
from app.journal.problems import JournalRefused
from app.models import ApiKey, ApiKeyScope, JournalPeriod, JournalSource, Taxpayer
from app.refusals import Refused

LOOPBACK = frozenset({"127.0.0.1", "::1"})

bp.register_error_handler(Refused, from_refusal)
bp.register_error_handler(HTTPException, from_http_error)


@bp.before_app_request
def _routing_errors_as_problems() -> Response | None:
    """An unknown address or method under /api/v1 matches no route of the blueprint, so its handlers would not
    see it: answer it as a problem here (before Flask raises it) instead of the portal's HTML error page."""
    error = request.routing_exception
    if isinstance(error, HTTPException) and not isinstance(error, RequestRedirect) \
            and request.path.startswith(bp.url_prefix + "/"):
        return from_http_error(error)
    return None


def keyed(scope: ApiKeyScope) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """The route needs a key of ``scope`` belonging to the taxpayer ``vkn``; the view gets the taxpayer and key."""

    def wrap(view: Callable[..., Response]) -> Callable[..., Response]:
        @wraps(view)
        def run(vkn: str, **kwargs: Any) -> Response:
            key = authenticate(request.headers.get("Authorization"))
            require_scope(key, scope)
            return view(taxpayer_of_key(key, vkn), key, **kwargs)

        return run

    return wrap


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description."""
    return jsonify(document(url_for("api.openapi").removesuffix("/openapi.json")))


@bp.get("/")
def docs() -> str:
    """The description as a page people can read."""
    return render_template("api/docs.html", spec=document(url_for("api.openapi").removesuffix("/openapi.json")))


@bp.get("/mukellefler/<vkn>/donemler")
@keyed(ApiKeyScope.READ)
def periods(taxpayer: Taxpayer, key: ApiKey) -> Response:
    """The taxpayer's periods."""
    found = queries.periods_of(taxpayer.id)
    return jsonify({"donemler": [period_json(parse_period(f"{p.year}-{p.month:02d}"), p) for p in found]})


@bp.get("/mukellefler/<vkn>/donemler/<donem>")
@keyed(ApiKeyScope.READ)
def period_state(taxpayer: Taxpayer, key: ApiKey, donem: str) -> Response:
    """A period's state and counts, and each berat/DR sent to GİB with GİB's answer."""
    bounds = parse_period(donem)
    period = queries.period_of(taxpayer.id, bounds)
    return jsonify(period_json(bounds, period, _submissions(period)))


def _submissions(period: JournalPeriod | None) -> list[dict[str, Any]]:
    return [submission_json(row, name) for row, name in sending_queries.submissions_with_names(period)]


@bp.get("/mukellefler/<vkn>/donemler/<donem>/maddeler")
@keyed(ApiKeyScope.READ)
def entries(taxpayer: Taxpayer, key: ApiKey, donem: str) -> Response:
    """A page of the period's entries with their lines."""
    period = queries.period_of(taxpayer.id, parse_period(donem))
    if period is None:
        return jsonify({"maddeler": [], "sayfa": 1, "sayfa_sayisi": 1, "toplam": 0})
    page = queries.entries_page(period, parse_record_id(request.args.get("sayfa", "1")) or 1,
                                request.args.get("ara", ""))
    return jsonify({"maddeler": [entry_json(view) for view in page.items], "sayfa": page.number,
                    "sayfa_sayisi": page.pages, "toplam": page.total})


@bp.post("/mukellefler/<vkn>/donemler/<donem>/maddeler")
@keyed(ApiKeyScope.WRITE)
def post_entries(taxpayer: Taxpayer, key: ApiKey, donem: str) -> Response:
    """A batch of entries: all taken (201; 200 for a retry with the same Idempotency-Key) or none (422)."""
    bounds = parse_period(donem)
    check_length(request.content_length)
    body = request.get_data(cache=False)
    arrival = Arrival(JournalSource.API, f"API anahtarı: {key.name}", api_key_id=key.id,
                      idempotency_key=_idempotency_key(), request_hash=hashlib.sha256(body).hexdigest())
    result = ingest(taxpayer.id, bounds, parse_body(body), arrival)
    response = jsonify(batch_json(result))
    response.status_code = 200 if result.replayed else 201
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _idempotency_key() -> str | None:
    value = request.headers.get("Idempotency-Key")
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > 200 or not value.isascii() or not value.isprintable():
        raise JournalRefused("Idempotency-Key 1–200 karakterlik yazdırılabilir ASCII metin olmalıdır.", status=400)
    return value


@bp.delete("/mukellefler/<vkn>/donemler/<donem>/maddeler")
@keyed(ApiKeyScope.WRITE)
def delete_all(taxpayer: Taxpayer, key: ApiKey, donem: str) -> Response:
    """Delete the period's entries while no e-Defter has been created from them."""
    deleted = delete_entries(taxpayer.id, parse_period(donem), actor=f"API anahtarı: {key.name}")
    return jsonify({"silinen_madde": deleted.entries, "silinen_satir": deleted.lines})


@bp.get("/mukellefler/<vkn>/donemler/<donem>/maddeler/<madde_id>")
@keyed(ApiKeyScope.READ)
def entry(taxpayer: Taxpayer, key: ApiKey, donem: str, madde_id: str) -> Response:
    """One entry with its lines."""
    period = queries.period_of(taxpayer.id, parse_period(donem))
    entry_id = parse_record_id(madde_id)
    found = queries.entry_of(period, entry_id) if period is not None and entry_id is not None else None
    if found is None:
        return problem(404, "Madde bulunamadı.")
    return jsonify(entry_json(found))


@bp.post("/mukellefler/<vkn>/donemler/<donem>/gonder")
@keyed(ApiKeyScope.LEDGER)
def send(taxpayer: Taxpayer, key: ApiKey, donem: str) -> Response:
    """Send the signed period's berats and DR to GİB as a job (202); the same Idempotency-Key starts nothing new."""
    period = _ledger_period(taxpayer, donem)
    try:
        job = sending.start_sending(taxpayer, period, f"API anahtarı: {key.name}", _idempotency_key())
    except sending.SendingRefused as refused:
        return problem(409, refused.message)
    job = sending_queries.fresh_job(job.id) or job
    response = jsonify({"is_id": job.id, "durum": job.status.value, "durum_adi": job.status.label,
                        "donem": period_json(parse_period(donem), period, _submissions(period)),
                        "donem_adresi": url_for("api.period_state", vkn=taxpayer.identifier, donem=donem)})
    response.status_code = 202
    return response


# --- e-Defter creation (issue 13's operations): start, sign, download -------------------------------------------


def _ledger_period(taxpayer: Taxpayer, donem: str) -> JournalPeriod:
    bounds = parse_period(donem)
    try:
        return creation.find_period(taxpayer, bounds.year, bounds.month)
    except creation.PeriodNotFound:
        raise JournalRefused(f"{donem} dönemine ait yevmiye kaydı yok.", status=404) from None


@bp.post("/mukellefler/<vkn>/donemler/<donem>/olustur")
@keyed(ApiKeyScope.LEDGER)
def create_ledger(taxpayer: Taxpayer, key: ApiKey, donem: str) -> Response:
    """Start creating the period's yevmiye, kebir, berats and DR as a job (202); the period's state tells the end."""
    try:
        job = creation.start_creation(taxpayer, _ledger_period(taxpayer, donem))
    except creation.CreationRefused as refused:
        return problem(409, refused.message)
    response = jsonify({"is_id": job.id, "durum": job.status.value, "durum_adi": job.status.label,
                        "donem_adresi": url_for("api.period_state", vkn=taxpayer.identifier, donem=donem)})
    response.status_code = 202
    return response


@bp.post("/mukellefler/<vkn>/donemler/<donem>/imzala")
@keyed(ApiKeyScope.LEDGER)
def sign_ledger(taxpayer: Taxpayer, key: ApiKey, donem: str) -> Response:
    """Sign the created period with the card named in the body; only over TLS or from this host. The PIN is used
    in this request and dropped: never stored, logged or queued."""
    if not (request.is_secure or request.remote_addr in LOOPBACK):
        return problem(403, "İmzalama (PIN) yalnızca TLS (https) üzerinden ya da portalın çalıştığı makineden "
                            "(127.0.0.1) gönderilebilir.")
    card, pin = read_sign_body(request.get_data(cache=False))
    period = _ledger_period(taxpayer, donem)
    try:
        creation.sign_period(taxpayer, period, card.module_path, card.token_label, pin)
    except creation.CreationRefused as refused:
        return problem(409, refused.message)
    bounds = parse_period(donem)
    return jsonify(period_json(bounds, queries.period_of(taxpayer.id, bounds)))


@bp.get("/mukellefler/<vkn>/donemler/<donem>/paket")
@keyed(ApiKeyScope.LEDGER)
def package(taxpayer: Taxpayer, key: ApiKey, donem: str) -> Response:
    """The period's signed files and their SHA-256 list as one zip."""
    period = _ledger_period(taxpayer, donem)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    try:
        creation.export_period(taxpayer, period, spool)
    except creation.CreationRefused as refused:
        spool.close()
        return problem(409, refused.message)
    spool.seek(0)
    return send_file(spool, mimetype="application/zip", as_attachment=True,
                     download_name=f"{taxpayer.identifier}-{donem.replace('-', '')}-edefter.zip")
