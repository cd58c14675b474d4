"""e-Defter (/edefter): Firma İşlemleri — firma, sözleşme, şube ayarları and yevmiye numarası doğrulama (SPEC D1–D4)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("edefter", __name__, url_prefix="/edefter")

from app.blueprints.edefter import views  # noqa: E402,F401
