"""Kontör (/yonetim/kontor): the taxpayer's balance, packages and movements (Yönetim)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("kontor", __name__, url_prefix="/yonetim/kontor")

from app.blueprints.kontor import views  # noqa: E402,F401
