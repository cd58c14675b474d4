"""Sending a period's berats and DR to GİB (SPEC D6): one row per file sent, and GİB's answer to it.

A row is made when the user (or the API) asks to send; the sending job posts the file with the row's
``idempotency_key`` (so a retry after a lost answer never makes a second submission at GİB), then fetches
GİB's sealed berat, verifies GİB's seal against the trust anchors and stores it (``approved_key``). A refused
file keeps GİB's text as it came; "Tekrar Gönder" sends the same row with its own key again, while creating the
period again after a fix makes new rows with new keys.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.defter_file import DefterFileKind
from app.models.edefter import _enum


class SubmissionState(enum.Enum):
    WAITING = "bekliyor"  # not sent yet, or waiting for the next try after GİB could not be reached
    SENT = "gonderildi"  # GİB received it; its approval not fetched yet
    APPROVED = "onaylandi"  # berat: GİB's sealed berat verified and stored; DR: GİB accepted it
    FAILED = "hata"  # GİB refused it (gib_message), or every automatic try failed

    @property
    def label(self) -> str:
        return {
            "bekliyor": "Gönderilmeyi Bekliyor",
            "gonderildi": "Gönderildi",
            "onaylandi": "GİB Onaylandı",
            "hata": "Hata",
        }[self.value]


class DefterSubmission(Base):
    """One berat (YB/KB part) or DR of a period's creation, on its way to GİB."""

    __tablename__ = "defter_submission"
    __table_args__ = (
        Index("ix_defter_submission_period", "period_id", "kind", "part_index"),
        Index("ix_defter_submission_taxpayer", "taxpayer_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("journal_period.id", ondelete="CASCADE"))
    creation_id: Mapped[int] = mapped_column(ForeignKey("defter_creation.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("defter_file.id", ondelete="CASCADE"))
    kind: Mapped[DefterFileKind] = mapped_column(_enum(DefterFileKind, 4))  # YB, KB or DR
    part_index: Mapped[int] = mapped_column(Integer)
    state: Mapped[SubmissionState] = mapped_column(_enum(SubmissionState), default=SubmissionState.WAITING)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    requested_by: Mapped[str] = mapped_column(String(200))  # a person's name or "API anahtarı: …"
    sent_at: Mapped[datetime | None] = mapped_column()
    gib_code: Mapped[str | None] = mapped_column(String(60))
    gib_message: Mapped[str | None] = mapped_column(String(2000))  # GİB's refusal (or the last failure), as it came
    approval_no: Mapped[str | None] = mapped_column(String(80))
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_file_name: Mapped[str | None] = mapped_column(String(80))  # GIB-VKN-YYYYMM-YB-000000.xml
    approved_key: Mapped[str | None] = mapped_column(String(64))  # storage key of GİB's sealed berat
    approved_size: Mapped[int | None] = mapped_column(BigInteger)
    approved_sha256: Mapped[str | None] = mapped_column(String(64))
    seal_signer: Mapped[str | None] = mapped_column(String(250))  # who sealed it, as its verified certificate says
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
