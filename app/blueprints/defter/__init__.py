"""Defter Oluştur (/defter): a journal period becomes signed yevmiye, kebir, berats and DR (SPEC D5–D7, D10)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("defter", __name__, url_prefix="/defter")

from app.blueprints.defter import views  # noqa: E402,F401
