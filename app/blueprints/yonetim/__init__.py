"""Yönetim (/yonetim): integrator management screens — GİB connection and registration so far."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("yonetim", __name__, url_prefix="/yonetim")

from app.blueprints.yonetim import views  # noqa: E402,F401
