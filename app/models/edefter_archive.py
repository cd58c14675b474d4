"""e-Defter archive models (SPEC D8): filled in by the archive work."""

from __future__ import annotations
