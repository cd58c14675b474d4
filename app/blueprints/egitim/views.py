"""The trainer's pages. Views are thin: check the trainer, call ``app.training``, render or redirect."""

from __future__ import annotations

import uuid

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from app.blueprints.egitim import bp
from app.formatting import format_timestamp, parse_record_id
from app.htmx import render, see_other
from app.jobs import status
from app.models import Job
from app.refusals import Refused
from app.training import clock as training_clock
from app.training import handout, operations, progress, queries
from app.training.access import is_trainer, training_enabled


@bp.app_context_processor
def _training_context() -> dict[str, object]:
    """The banner of a moved training clock on every page, and the trainer's link in the header."""
    def banner() -> training_clock.ClockState | None:
        if not training_enabled():
            return None
        state = training_clock.current()
        return state if state.moved else None

    def trainer() -> bool:
        return bool(current_user and current_user.is_authenticated and is_trainer(current_user.identifier))

    return {"training_clock_banner": banner, "is_trainer_user": trainer}


@bp.before_request
def _trainers_only() -> Response | None:
    """Production: no such pages (404). Elsewhere: a logged-in trainer's card (403 for anyone else)."""
    if not training_enabled():
        abort(404)
    if not current_user.is_authenticated:
        return login_required(lambda: None)()
    if not is_trainer(current_user.identifier):
        abort(403)
    return None


def _class_or_404(class_id: int):  # type: ignore[no-untyped-def]
    training_class = queries.class_or_none(class_id)
    if training_class is None:
        abort(404)
    return training_class


@bp.get("/")
def index() -> Response | str:
    """Eğitim: the clock, a new class, and the classes prepared so far."""
    return render_template("egitim/index.html", clock=training_clock.current(), classes=queries.classes(),
                           submission=uuid.uuid4())


@bp.post("/sinif")
def prepare() -> Response | str:
    """Sınıf Hazırla: the class's rows now, its cards in a job whose progress the class page shows."""
    count = parse_record_id(request.form.get("kisi", "")) or 0
    try:
        training_class, job = operations.start_preparation(request.form.get("ad", ""), count,
                                                           request.form.get("gonderim"))
    except Refused as exc:
        flash(exc.message, "error")
        return render_template("egitim/index.html", clock=training_clock.current(), classes=queries.classes(),
                               form=request.form, submission=uuid.uuid4()), 422
    return see_other(url_for("egitim.show", class_id=training_class.id, is_no=job.id))


@bp.get("/sinif/<int:class_id>")
def show(class_id: int) -> Response | str:
    """A class: its trainees, the preparation job, progress, handouts and the reset."""
    training_class = _class_or_404(class_id)
    job = _preparation_job(parse_record_id(request.args.get("is_no", "")))
    return render_template("egitim/sinif.html", training_class=training_class, job=job,
                           rows=progress.class_progress(training_class), exercises=progress.EXERCISES,
                           clock=training_clock.current())


@bp.get("/sinif/<int:class_id>/ilerleme")
def progress_table(class_id: int) -> Response | str:
    """The progress table alone (it polls itself every few seconds)."""
    training_class = _class_or_404(class_id)
    return render("egitim/sinif.html", "egitim/_progress.html", training_class=training_class, job=None,
                  rows=progress.class_progress(training_class), exercises=progress.EXERCISES,
                  clock=training_clock.current())


@bp.get("/sinif/<int:class_id>/hazirlik/<int:job_id>")
def preparation_status(class_id: int, job_id: int) -> str:
    """The preparation job's widget (it polls itself while the job runs)."""
    _class_or_404(class_id)
    job = _preparation_job(job_id)
    if job is None:
        abort(404)
    return render_template("egitim/_job.html", view=job, class_id=class_id)


def _preparation_job(job_id: int | None) -> status.JobView | None:
    if not job_id:
        return None
    job = operations.preparation_job(job_id)
    return status.view_of(job) if isinstance(job, Job) else None


@bp.post("/sinif/<int:class_id>/sifirla")
def reset(class_id: int) -> Response:
    """Sınıfı Sıfırla: back to the prepared state, once the trainer ticked the confirmation."""
    _class_or_404(class_id)
    if request.form.get("onay") != "evet":
        flash("Sıfırlamak için onay kutusunu işaretleyiniz: kursiyerlerin bütün çalışmaları silinir.", "warning")
        return see_other(url_for("egitim.show", class_id=class_id))
    try:
        outcome = operations.reset_class(class_id)
    except Refused as exc:
        flash(exc.message, "error")
        return see_other(url_for("egitim.show", class_id=class_id))
    flash("Sınıf hazırlık hâline döndü. " + " ".join(outcome.lines), "success")
    for warning in outcome.warnings:
        flash(warning, "warning")
    return see_other(url_for("egitim.show", class_id=class_id))


@bp.get("/sinif/<int:class_id>/el-notlari")
def handouts(class_id: int) -> str:
    """El notları, one printed page per trainee."""
    training_class = _class_or_404(class_id)
    return render_template("egitim/el_notlari.html", training_class=training_class,
                           pages=handout.pages(training_class), portal_url=request.host_url)


@bp.get("/sinif/<int:class_id>/el-notlari.pdf")
def handouts_pdf(class_id: int) -> Response:
    training_class = _class_or_404(class_id)
    response = Response(handout.pdf(training_class, request.host_url), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="egitim-{class_id}-el-notlari.pdf"'
    return response


@bp.post("/saat")
def move_clock() -> Response:
    """Eğitim Saati: +1 gün, +8 gün, -1 gün, a date, or back to real time; GİB's clock follows."""
    try:
        action = request.form.get("islem", "")
        target = training_clock.parse_target(request.form.get("tarih", "")) if action == "tarih" else None
        result = training_clock.move(training_clock.offset_for(action, target, request.form.get("gosterilen")))
    except Refused as exc:
        flash(exc.message, "error")
        return see_other(_back())
    flash(f"Eğitim saati: {format_timestamp(result.state.now)}.", "success")
    if result.gib_message:
        flash(result.gib_message, "warning")
    return see_other(_back())


def _back() -> str:
    """Back to the page the clock form was on (only the trainer's own pages)."""
    class_id = parse_record_id(request.form.get("sinif", ""))
    return url_for("egitim.show", class_id=class_id) if class_id else url_for("egitim.index")
