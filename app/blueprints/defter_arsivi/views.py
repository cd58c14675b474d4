"""e-Defter Arşivi views (filled in by the archive work)."""

from app.blueprints.defter_arsivi import bp  # noqa: F401
