"""A background job (İşlem): what a worker was asked to do for one taxpayer, how far it got, how it ended.

The row is the truth the screens read: the queue (Huey) only carries the job's id. Status moves
bekliyor → çalışıyor → tamamlandı | hata; a job left "çalışıyor" by a dead worker goes back to
"bekliyor" (or to "hata") through ``app.jobs.recovery``. Parameters never hold a PIN or a password
(``app.jobs.submit`` refuses them).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class JobStatus(enum.Enum):
    BEKLIYOR = "bekliyor"
    CALISIYOR = "calisiyor"
    TAMAMLANDI = "tamamlandi"
    HATA = "hata"

    @property
    def label(self) -> str:
        labels = {"bekliyor": "Bekliyor", "calisiyor": "Çalışıyor", "tamamlandi": "Tamamlandı", "hata": "Hata"}
        return labels[self.value]

    @property
    def active(self) -> bool:
        """Still to be done or being done: the status widget keeps polling."""
        return self in (JobStatus.BEKLIYOR, JobStatus.CALISIYOR)


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (
        # Submitting the same thing twice (a double click, a retried request) finds the first job.
        UniqueConstraint("taxpayer_id", "idempotency_key"),
        Index("ix_job_taxpayer", "taxpayer_id", "id"),
        Index("ix_job_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every job belongs to one taxpayer; only system jobs (no taxpayer) leave it empty.
    taxpayer_id: Mapped[int | None] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, native_enum=False, length=12, values_callable=lambda e: [m.value for m in e]),
        default=JobStatus.BEKLIYOR,
    )
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0–100
    phrase: Mapped[str] = mapped_column(String(250), default="")  # what it is doing now, in Turkish
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(1000))  # why it failed, in Turkish, for the person
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # how many times a worker took it
    worker_id: Mapped[str | None] = mapped_column(String(120))  # host:pid:thread of the worker running it
    heartbeat_at: Mapped[datetime | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        return self.status.active
