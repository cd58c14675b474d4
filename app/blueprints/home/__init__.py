"""Portal home page (/)."""

from app.acting import TaxpayerBlueprint

bp = TaxpayerBlueprint("home", __name__)

from app.blueprints.home import views  # noqa: E402,F401
