"""/api/v1: the e-Defter web service for accounting programs (JSON, Bearer API keys, RFC 9457 problems).

No browser session: the CSRF check does not apply (a cookie is never taken as who calls), and each request names
its key in ``Authorization: Bearer``.
"""

from flask import Blueprint
from flask.sansio.blueprints import BlueprintSetupState

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.record_once
def _exempt_from_csrf(state: BlueprintSetupState) -> None:
    state.app.extensions["csrf"].exempt(bp)


from app.blueprints.api import views  # noqa: E402,F401
