"""Eğitim Saati: the trainer moves the portal's clock and GİB's (the training simulator) together (note 0130).

The offset is written for every portal process (``app.clock``) in one step and then sent to the simulator; the
audit trail keeps each move. Moves are absolute (an offset, not "+1 day" applied twice on a double click).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from app import clock
from app.formatting import parse_form_date
from app.gib.errors import GibError
from app.gib_access import gib_client
from app.refusals import Refused
from app.training.access import training_enabled
from app.unit_of_work import unit_of_work

LIMIT = timedelta(days=366)


class ClockRefused(Refused):
    """A move the training clock does not make."""


@dataclass(frozen=True)
class ClockState:
    offset: timedelta
    now: datetime  # the portal's now

    @property
    def moved(self) -> bool:
        return self.offset != timedelta(0)

    @property
    def days(self) -> int:
        return round(self.offset.total_seconds() / 86400)


@dataclass(frozen=True)
class MoveResult:
    state: ClockState
    gib_message: str | None  # None: GİB follows; else why it does not


def current() -> ClockState:
    return ClockState(clock.offset(), clock.utcnow())


def offset_for(action: str, target: date | None = None, shown: str | None = None) -> timedelta:
    """The offset a button asks for: "+1", "+8", "-1" days, a date (same time of day), or 0.

    Days are added to the offset the page showed (``shown``, whole seconds), so a double click or a resubmitted
    form asks for the same moment twice instead of moving twice; without it, to the offset in force now.
    """
    offset = clock.offset()
    if shown is not None and shown.lstrip("-").isdigit() and shown.isascii() and len(shown) <= 12:
        offset = timedelta(seconds=int(shown))
    if action in {"+1", "+8", "-1"}:
        return offset + timedelta(days=int(action))
    if action == "gercek":
        return timedelta(0)
    if action == "tarih":
        if target is None:
            raise ClockRefused("Gidilecek tarihi GG.AA.YYYY biçiminde yazınız.")
        real_today = datetime.now(UTC).astimezone(clock.ISTANBUL).date()
        return timedelta(days=(target - real_today).days)  # that day, at the real time of day
    raise ClockRefused("Bilinmeyen saat işlemi.")


def move(offset: timedelta) -> MoveResult:
    """Set the training offset for the portal and GİB; the portal moves even when GİB cannot be told."""
    if not training_enabled():
        raise ClockRefused("Eğitim saati yalnızca demo ve eğitim kipinde değiştirilebilir.")
    if abs(offset) > LIMIT:
        raise ClockRefused("Eğitim saati en fazla bir yıl ileri ya da geri alınabilir.")
    offset = timedelta(seconds=round(offset.total_seconds()))
    before = clock.offset()
    clock.write_offset(clock.offset_path(current_app.instance_path), offset)
    gib_message = tell_gib(offset)
    with unit_of_work() as work:
        work.record("egitim_saati_degistirildi", taxpayer_id=None, object_type="egitim_saati",
                    onceki_saniye=int(before.total_seconds()), yeni_saniye=int(offset.total_seconds()),
                    gib=("uyumlu" if gib_message is None else "uyumsuz"))
    return MoveResult(current(), gib_message)


def tell_gib(offset: timedelta) -> str | None:
    """Make the training simulator follow; a Turkish reason when it cannot (GİB away, not a training simulator)."""
    client = gib_client()
    try:
        client.move_training_clock(offset.total_seconds(), idempotency_key=f"egitim-saati-{uuid.uuid4()}")
    except GibError as exc:
        return (f"GİB simülatörünün saati değiştirilemedi: {exc.message} Simülatör eğitim kipinde "
                "(--training) çalışmıyorsa portal ile GİB'in saatleri farklı kalır.")
    finally:
        client.close()
    return None


def parse_target(text: str) -> date:
    """A date typed as GG.AA.YYYY (as on GİB's screens) or sent by a date input (YYYY-MM-DD)."""
    try:
        return parse_form_date(text, "Gidilecek tarih")
    except ValueError as exc:
        raise ClockRefused(f"{exc} Örnek: 15.01.2027.") from None
