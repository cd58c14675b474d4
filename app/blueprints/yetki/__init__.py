"""Yetkilendirme (/yetkilendirme): the taxpayer, logged in with its own card, authorises persons (SPEC E8)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("yetki", __name__, url_prefix="/yetkilendirme")

from app.blueprints.yetki import views  # noqa: E402,F401  (routes attach to bp)
