"""Defter Dönemleri views (filled in by the dashboard work)."""

from app.blueprints.donemler import bp  # noqa: F401
