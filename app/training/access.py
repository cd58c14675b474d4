"""Who may use the trainer's pages: only outside production mode, only a person named a trainer (note 0134)."""

from __future__ import annotations

from flask import current_app

DEFAULT_TRAINER = "34721590854"  # the demo accountant's e-imza (Ayşe Yılmaz), when PORTAL_TRAINERS names nobody


def training_enabled() -> bool:
    """The training room exists in demo, training and test mode; never in production."""
    return current_app.config.get("MODE") != "production"


def trainers() -> set[str]:
    configured = {part.strip() for part in str(current_app.config.get("TRAINERS") or "").split(",") if part.strip()}
    return configured or {DEFAULT_TRAINER}


def is_trainer(identifier: str | None) -> bool:
    return training_enabled() and identifier is not None and identifier in trainers()
