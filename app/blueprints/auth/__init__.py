"""Giriş / çıkış (/giris)."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/giris")

from app.blueprints.auth import views  # noqa: E402,F401  (routes attach to bp)
