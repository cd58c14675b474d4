"""e-Fatura İptal/İtiraz Portalı (/FaturaIptal): iptal and itiraz requests, lists, approvals, sanal Ba/Bs
(SPEC B1–B6, GİB guide §4–5)."""

from app.acting import TaxpayerBlueprint
from app.iptal.rules import scenario_label

bp = TaxpayerBlueprint("iptal", __name__, url_prefix="/FaturaIptal")
bp.add_app_template_filter(scenario_label, "senaryo")

from app.blueprints.iptal import views  # noqa: E402,F401
