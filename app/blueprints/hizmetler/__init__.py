"""Yönetim > Genel (/yonetim): Hizmet Aktivasyonu and Kayıtlı Kullanıcı Listesi (SPEC C1–C8, seed 002).

The GİB connection page stays in the ``yonetim`` area; both answer under /yonetim and link to each other.
"""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("hizmetler", __name__, url_prefix="/yonetim")

from app.blueprints.hizmetler import views  # noqa: F401
