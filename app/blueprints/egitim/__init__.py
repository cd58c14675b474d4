"""Eğitim (/egitim): the trainer's room — prepare a class, move the training clock, watch progress, reset.

Only in demo/training mode and only for a trainer's card (``app.training.access``); in production every route is
a 404. The clock banner every page shows while the training clock is moved comes from here too.
"""

from flask import Blueprint

bp = Blueprint("egitim", __name__, url_prefix="/egitim")

from app.blueprints.egitim import views  # noqa: E402,F401  (routes attach to bp)
