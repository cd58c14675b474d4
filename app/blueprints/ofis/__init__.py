"""The person's own pages, outside any taxpayer: Firma Seç (/firma-sec) and Yetkilerim (/yetkilerim)."""

from flask import Blueprint

bp = Blueprint("ofis", __name__)

from app.blueprints.ofis import views  # noqa: E402,F401  (routes attach to bp)
