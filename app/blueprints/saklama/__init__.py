"""Belge Saklama (/yonetim/belge-saklama): upload earlier signed documents, list, search and download them."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("saklama", __name__, url_prefix="/yonetim/belge-saklama")

from app.blueprints.saklama import views  # noqa: E402,F401
