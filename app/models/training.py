"""The training room (issue 18, decision note 0132): a class the trainer prepared and its trainees.

A trainee is one trainee company: its taxpayer, its demo card (token label and PIN, printed on the handout) and the
trainee it trades with. The rows are the class's plan: a reset deletes what the trainees did and fills their
records again from it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class TrainingClass(Base):
    __tablename__ = "training_class"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    trainee_count: Mapped[int] = mapped_column(Integer)
    # The moment the class was last prepared or reset (portal clock): its records and handouts are dated from it.
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    resets: Mapped[int] = mapped_column(Integer, default=0)
    # The newest audit entry when the class was prepared or reset: progress counts the entries after it (by id, not
    # by time, since the training clock moves the entries' times back and forth).
    audit_mark: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The form's one-time id: "Sınıfı Hazırla" sent twice prepares one class.
    submission_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    trainees: Mapped[list[Trainee]] = relationship(
        back_populates="training_class", order_by="Trainee.position", cascade="all, delete-orphan"
    )


class Trainee(Base):
    __tablename__ = "trainee"
    __table_args__ = (UniqueConstraint("class_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1.. within the class, the handout's page number
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"), unique=True)
    identifier: Mapped[str] = mapped_column(String(11))
    unvan: Mapped[str] = mapped_column(String(250))
    token_label: Mapped[str] = mapped_column(String(32))
    # A demo card's PIN, printed on the trainee's handout; never a real card's (training mode only).
    card_pin: Mapped[str] = mapped_column(String(16))
    partner_identifier: Mapped[str] = mapped_column(String(11))
    invoice_prefix: Mapped[str] = mapped_column(String(3))

    training_class: Mapped[TrainingClass] = relationship(back_populates="trainees")
