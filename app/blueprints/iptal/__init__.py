"""e-Fatura İptal Portalı (/FaturaIptal): requests, lists, approvals (SPEC B1–B6)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("iptal", __name__, url_prefix="/FaturaIptal")

from app.blueprints.iptal import views  # noqa: E402,F401
