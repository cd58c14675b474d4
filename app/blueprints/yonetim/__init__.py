"""Yönetim (/yonetim): integrator management screens — GİB connection and registration so far."""

from flask import Blueprint

bp = Blueprint("yonetim", __name__, url_prefix="/yonetim")

from app.blueprints.yonetim import views  # noqa: E402,F401
