"""e-Defter > Defter Dönemleri: every period of the fiscal year, its state and its berat deadline (SPEC D11)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("donemler", __name__, url_prefix="/defter-donemleri")

from app.blueprints.donemler import views  # noqa: E402,F401
