"""e-Defter (/edefter): Firma İşlemleri — firma, sözleşme, şube ayarları and yevmiye numarası doğrulama (SPEC D1–D4)."""

from flask import Blueprint

bp = Blueprint("edefter", __name__, url_prefix="/edefter")

from app.blueprints.edefter import views  # noqa: E402,F401
