"""İşlemler (/islemler): the taxpayer's background jobs, one job's page and its self-polling status fragment."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("jobs", __name__, url_prefix="/islemler")

from app.blueprints.jobs import views  # noqa: E402,F401
