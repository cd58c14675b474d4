"""e-Defter > e-Defter Arşivi: the company's defters, berats, DRs and GİB-approved berats, kept unchanged (SPEC D8)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("defter_arsivi", __name__, url_prefix="/edefter-arsivi")

from app.blueprints.defter_arsivi import views  # noqa: E402,F401
