"""e-Defter > Firma İşlemleri pages. Views are thin: read the form, call an operation, render or redirect."""

from __future__ import annotations

from typing import Any, Mapping

from flask import Response, abort, current_app, flash, render_template, request, url_for
from flask_login import login_required

from app.acting import acting_taxpayer
from app.blueprints.edefter import bp
from app.cards import trust_anchors
from app.edefter.company import queries, verification
from app.edefter.company.branch_rules import read_branch
from app.edefter.company.contract_rules import missing_bookkeeper, read_contract
from app.edefter.company.forms import FormInvalid
from app.edefter.company.operations import (
    EdefterRefused,
    RecordNotFound,
    add_branch,
    delete_branch,
    delete_contract,
    save_contract,
    save_settings,
)
from app.edefter.company.settings_form import settings_values
from app.edefter.company.settings_rules import name_label, read_settings
from app.formats.xbrl.source import DEFAULT_MAX_BYTES
from app.formatting import local_today
from app.htmx import render, see_other
from app.models import AccountingContract, BeratPeriod, ContractKind, PeriodKind
from app.refusals import Refused

UYUMLU_YAZILIM_REMINDER = (
    "Unutmayınız: GİB e-Defter Uygulaması'na (https://uyg.edefter.gov.tr/edefter/) mali mühür veya e-İmzanız ile "
    "giriş yapıp Bilgi Güncelle ekranındaki \"Uyumlu Yazılım\" seçeneğinde bu portalı seçmeniz gerekir."
)


@bp.before_request
@login_required
def _require_login() -> None:
    """Every page of the portal needs a logged-in taxpayer."""


@bp.get("/")
def index() -> str:
    """Firma İşlemleri: the four settings screens and what is still missing."""
    contracts = queries.contracts_of(acting_taxpayer())
    return render_template(
        "edefter/index.html",
        settings=queries.settings_of(acting_taxpayer()),
        contracts=contracts,
        missing_bookkeeper=missing_bookkeeper(c.kind for c in contracts),
        branches=queries.branches_of(acting_taxpayer()),
        states=verification.numbering_states(acting_taxpayer()),
    )


# --- Firma Ayarları -------------------------------------------------------------------------------


def _settings_page(values: Mapping[str, Any], errors: Mapping[str, str], status: int = 200) -> Response:
    return render(
        "edefter/settings.html", "edefter/_settings_form.html", status=status, values=values, errors=errors,
        name_label=name_label(acting_taxpayer()), period_kinds=list(PeriodKind), berat_periods=list(BeratPeriod),
        settings=queries.settings_of(acting_taxpayer()),
    )


@bp.get("/firma-ayarlari")
def settings_form() -> Response:
    """Hesap dönemi, geçiş ve kuruluş tarihleri, defter ve GİB ayarları, adres ve iletişim, NACE kodu."""
    return _settings_page(settings_values(queries.settings_of(acting_taxpayer()), acting_taxpayer(), local_today()), {})


@bp.post("/firma-ayarlari")
def settings_save() -> Response:
    """"Kaydet": check every field; say what is missing, or save and remind about Uyumlu Yazılım."""
    try:
        data = read_settings(request.form, acting_taxpayer(), local_today())
    except FormInvalid as invalid:
        return _settings_page(request.form, invalid.errors, 422)
    save_settings(acting_taxpayer(), data)
    flash("Firma ayarları kaydedildi.", "success")
    if not data.compatible_software_set:
        flash(UYUMLU_YAZILIM_REMINDER, "warning")
    return see_other(url_for("edefter.settings_form"))


# --- Sözleşme Ayarları ----------------------------------------------------------------------------


def _contracts_page(values: Mapping[str, Any], errors: Mapping[str, str], error: str | None = None,
                    status: int = 200) -> Response:
    contracts = queries.contracts_of(acting_taxpayer())
    return render(
        "edefter/contracts.html", "edefter/_contracts.html", status=status, contracts=contracts,
        missing_bookkeeper=missing_bookkeeper(c.kind for c in contracts), values=values, errors=errors,
        error=error, kinds=list(ContractKind),
    )


@bp.get("/sozlesmeler")
def contracts() -> Response:
    """Sözleşme listesi and the form for a new contract."""
    return _contracts_page({"musavir_turu": "SMMM"}, {})


@bp.post("/sozlesmeler")
def contract_add() -> Response:
    """Add an SM/SMMM/YMM contract or the in-house accounting officer."""
    try:
        save_contract(acting_taxpayer(), read_contract(request.form, local_today()))
    except FormInvalid as invalid:
        return _contracts_page(request.form, invalid.errors, status=422)
    except EdefterRefused as refused:
        return _contracts_page(request.form, {}, refused.message, 422)
    flash("Sözleşme bilgisi eklendi.", "success")
    return see_other(url_for("edefter.contracts"))


def _contract_or_404(contract_id: int) -> AccountingContract:
    contract = queries.contract_of(acting_taxpayer(), contract_id)
    if contract is None:
        abort(404)
    return contract


def _contract_edit_page(contract_id: int, values: Mapping[str, Any], errors: Mapping[str, str],
                        error: str | None = None, status: int = 200) -> Response:
    return render("edefter/contract_edit.html", "edefter/_contract_edit.html", status=status,
                  contract=_contract_or_404(contract_id), values=values, errors=errors, error=error,
                  kinds=list(ContractKind))


@bp.get("/sozlesmeler/<int:contract_id>")
def contract_edit(contract_id: int) -> Response:
    """One contract's form, filled with what is stored."""
    contract = _contract_or_404(contract_id)
    values = {
        "musavir_turu": contract.kind.value, "unvan": contract.title, "adi_soyadi": contract.person_name,
        "aciklama": contract.description, "cesit": contract.contract_type,
        "sozlesme_tarihi": contract.contract_date.isoformat() if contract.contract_date else "",
        "sozlesme_no": contract.contract_number,
    }
    return _contract_edit_page(contract_id, values, {})


@bp.post("/sozlesmeler/<int:contract_id>")
def contract_update(contract_id: int) -> Response:
    """Save the changed contract."""
    _contract_or_404(contract_id)
    try:
        save_contract(acting_taxpayer(), read_contract(request.form, local_today()), contract_id)
    except FormInvalid as invalid:
        return _contract_edit_page(contract_id, request.form, invalid.errors, status=422)
    except EdefterRefused as refused:
        return _contract_edit_page(contract_id, request.form, {}, refused.message, 422)
    except RecordNotFound:
        abort(404)
    flash("Sözleşme bilgisi güncellendi.", "success")
    return see_other(url_for("edefter.contracts"))


@bp.post("/sozlesmeler/<int:contract_id>/sil")
def contract_delete(contract_id: int) -> Response:
    """Delete one contract."""
    try:
        contract = delete_contract(acting_taxpayer(), contract_id)
    except RecordNotFound:
        abort(404)
    flash(f"{contract.person_name} ({contract.kind.short_label}) sözleşme bilgisi silindi.", "success")
    return see_other(url_for("edefter.contracts"))


# --- Şube Ayarları --------------------------------------------------------------------------------


def _branches_page(values: Mapping[str, Any], errors: Mapping[str, str], error: str | None = None,
                   status: int = 200) -> Response:
    return render("edefter/branches.html", "edefter/_branches.html", status=status,
                  branches=queries.branches_of(acting_taxpayer()), values=values, errors=errors, error=error)


@bp.get("/subeler")
def branches() -> Response:
    """Şube Listesi and the form for a new branch."""
    return _branches_page({}, {})


@bp.post("/subeler")
def branch_add() -> Response:
    """Add a branch (Şube Kodu + Şube Adı)."""
    try:
        data = read_branch(request.form)
        branch = add_branch(acting_taxpayer(), data.code, data.name)
    except FormInvalid as invalid:
        return _branches_page(request.form, invalid.errors, status=422)
    except EdefterRefused as refused:
        return _branches_page(request.form, {"sube_kodu": refused.message}, status=422)
    flash(f"{branch.display} şubesi eklendi.", "success")
    return see_other(url_for("edefter.branches"))


@bp.post("/subeler/<int:branch_id>/sil")
def branch_delete(branch_id: int) -> Response:
    """Delete a branch that has no ledgers."""
    try:
        branch = delete_branch(acting_taxpayer(), branch_id)
    except RecordNotFound:
        abort(404)
    except EdefterRefused as refused:
        return _branches_page({}, {}, refused.message, 422)
    flash(f"{branch.display} şubesi silindi.", "success")
    return see_other(url_for("edefter.branches"))


# --- Yevmiye Numarası Doğrulama -------------------------------------------------------------------


def _yevmiye_page(error: str | None = None, status: int = 200, chosen: str = "") -> Response:
    return render("edefter/yevmiye.html", "edefter/_yevmiye.html", status=status, error=error, chosen=chosen,
                  settings=queries.settings_of(acting_taxpayer()), branches=queries.branches_of(acting_taxpayer()),
                  states=verification.numbering_states(acting_taxpayer()),
                  verifications=queries.verifications_of(acting_taxpayer()), labels=verification.SIGNATURE_LABELS,
                  limits=verification.upload_limits())


@bp.get("/yevmiye-dogrulama")
def yevmiye() -> Response:
    """Where the yevmiye numbering stands, and the upload form."""
    return _yevmiye_page()


def _max_upload_bytes() -> int:
    return int(current_app.config.get("EDEFTER_YEVMIYE_MAX_BYTES") or DEFAULT_MAX_BYTES)


@bp.post("/yevmiye-dogrulama")
def yevmiye_upload() -> Response:
    """"Yükle": read the previous integrator's last yevmiye and record where its numbering continues."""
    chosen = request.form.get("sube", "")
    upload_file = request.files.get("dosya")
    if upload_file is None or not upload_file.filename:
        return _yevmiye_page("Yüklenecek yevmiye dosyasını (XML ya da zip) seçiniz.", 422, chosen)
    try:
        recorded, check = verification.verify_yevmiye_upload(acting_taxpayer(), chosen, upload_file.stream,
                                                             upload_file.filename, trust_anchors(), _max_upload_bytes())
    except Refused as refused:
        return _yevmiye_page(refused.message, 422, chosen)
    flash(f"Yevmiye doğrulandı: {recorded.period_start:%m/%Y} dönemine ait {recorded.unique_id} defterinin son yevmiye "
          f"madde numarası {recorded.last_entry_counter}, son satır numarası {recorded.last_line_number}.", "success")
    if not check.ok:
        flash(check.message, "warning")
    return see_other(url_for("edefter.yevmiye"))


@bp.get("/yevmiye-dogrulama/<int:verification_id>")
def verification_detail(verification_id: int) -> str:
    """What was read from one uploaded file, and its signature check."""
    found = queries.verification_of(acting_taxpayer(), verification_id)
    if found is None:
        abort(404)
    return render_template("edefter/verification.html", v=found, labels=verification.SIGNATURE_LABELS)
