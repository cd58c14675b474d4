"""The portal's handle on GİB: a client built from the settings, and the clock rule (SPEC D7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from app.db import utcnow
from app.gib.client import ClockReading, GibClient

DEFAULT_SIMULATOR_URL = "http://127.0.0.1:8089"


def gib_client() -> GibClient:
    """A client for this request (cheap to build; it holds one HTTP session)."""
    config = current_app.config
    return GibClient(
        config["GIB_URL"] or DEFAULT_SIMULATOR_URL,
        connect_timeout=config["GIB_CONNECT_TIMEOUT"],
        read_timeout=config["GIB_READ_TIMEOUT"],
        total_timeout=config["GIB_TOTAL_TIMEOUT"],
        clock=utcnow,  # the portal's clock: the training offset applies to the clock check too
    )


@dataclass(frozen=True)
class ClockCheck:
    reading: ClockReading
    tolerance: timedelta

    @property
    def ok(self) -> bool:
        return abs(self.reading.skew) <= self.tolerance

    @property
    def message(self) -> str:
        if self.ok:
            return "Bilgisayarınızın saati GİB saati ile uyumlu."
        direction = "geride" if self.reading.skew > timedelta(0) else "ileride"
        return (
            f"Bilgisayarınızın saati GİB saatinden {describe_duration(abs(self.reading.skew))} {direction}. "
            "Saat farkı varken beyan amaçlı e-Defter oluşturulamaz; sistem saatini internet saati (NTP) ile "
            "eşitleyip doğru saat dilimini (İstanbul, UTC+03:00) seçiniz."
        )


def check_clock(client: GibClient) -> ClockCheck:
    """Compare this host's clock with GİB's; raises GibError when GİB cannot be asked."""
    tolerance = timedelta(seconds=current_app.config["CLOCK_TOLERANCE_SECONDS"])
    return ClockCheck(client.clock_reading(), tolerance)


def describe_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours} saat" if hours else "", f"{minutes} dakika" if minutes else "", f"{seconds} saniye" if seconds else ""]
    return " ".join(p for p in parts if p) or "0 saniye"
