"""İşlemler (/islemler): the taxpayer's background jobs, one job's page and its self-polling status fragment."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/islemler")

from app.blueprints.jobs import views  # noqa: E402,F401
