"""The trainer's reads: the classes, one class with its trainees."""

from __future__ import annotations

from sqlalchemy import select

from app.db import get_session
from app.models import TrainingClass


def classes() -> list[TrainingClass]:
    return list(get_session().scalars(select(TrainingClass).order_by(TrainingClass.id.desc())))


def class_or_none(class_id: int) -> TrainingClass | None:
    return get_session().get(TrainingClass, class_id)


def latest_class() -> TrainingClass | None:
    return get_session().scalar(select(TrainingClass).order_by(TrainingClass.id.desc()).limit(1))
