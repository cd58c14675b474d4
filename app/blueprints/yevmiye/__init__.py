"""e-Defter > Yevmiye Kayıtları (the journal that arrived, its upload) and API Anahtarları (SPEC D5, issue 12)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("yevmiye", __name__, url_prefix="/edefter")

from app.blueprints.yevmiye import views  # noqa: E402,F401
