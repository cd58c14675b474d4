"""İmza Doğrulama (/imza-dogrulama): the verification report of any signed document the portal keeps, and a
standalone page that reports on an uploaded signed XML without keeping it."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("dogrulama", __name__, url_prefix="/imza-dogrulama")

from app.blueprints.dogrulama import views  # noqa: E402,F401
