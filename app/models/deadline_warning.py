"""Berat deadline warnings (SPEC D11): filled in by the dashboard work."""

from __future__ import annotations
