"""Faturalar (/faturalar): invoices sent and received, and the UBL-TR import (SPEC B7)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("faturalar", __name__, url_prefix="/faturalar")

from app.blueprints.faturalar import views  # noqa: E402,F401  (routes attach to bp)
