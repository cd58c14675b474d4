"""The GİB simulator: a small Flask service that plays GİB's side for demo, training and tests.

It has its own database (its own SQLite file by default), applies its own migrations when it starts,
and shares no tables or models with the portal. Run it with `python -m app.gib.simulator` or
gunicorn `app.gib.simulator.wsgi:app`; its API is described in docs/admin/gib-connection.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from flask import Flask

from app.gib.simulator.settings import SealSettings, SimulatorSettings, database_url_for

__all__ = ["SealSettings", "SimulatorSettings", "create_simulator_app", "simulator_app_from_settings"]


def create_simulator_app(
    data: str | os.PathLike[str],
    *,
    approval_delay_seconds: float = 0.0,
    clock_offset_seconds: float = 0.0,
    trust_anchors: Iterable[x509.Certificate] = (),
    seal: SealSettings | None = None,
    training: bool = False,
) -> Flask:
    """The simulator keeping its state in `data`: a directory (SQLite file inside) or a database URL."""
    settings = SimulatorSettings(
        database_url=database_url_for(data),
        approval_delay_seconds=approval_delay_seconds,
        clock_offset_seconds=clock_offset_seconds,
        trust_anchors=tuple(trust_anchors),
        seal=seal,
        training=training,
    )
    return simulator_app_from_settings(settings)


def simulator_app_from_settings(settings: SimulatorSettings) -> Flask:
    from app.gib.simulator import api
    from app.gib.simulator.clock import SimulatorClock
    from app.gib.simulator.db import make_engine, make_session_factory
    from app.gib.simulator.migrate import upgrade_to_head
    from app.gib.simulator.seal import GibSeal
    from app.gib.simulator.signatures import SignatureChecker
    from app.gib.simulator.web import SimulatorState, init_web

    engine = make_engine(settings.database_url)
    upgrade_to_head(engine)
    app = Flask(__name__)
    clock = SimulatorClock(settings.clock_offset_seconds, training_file=_training_clock_file(settings))
    clock.resume()
    init_web(
        app,
        SimulatorState(
            settings=settings,
            engine=engine,
            sessions=make_session_factory(engine),
            clock=clock,
            checker=SignatureChecker(settings.trust_anchors, clock),
            seal=GibSeal(settings.seal),
        ),
    )
    app.register_blueprint(api.bp)
    if settings.training:  # the training endpoints exist only in a training simulator
        from app.gib.simulator import training

        app.register_blueprint(training.bp)
    return app


def _training_clock_file(settings: SimulatorSettings) -> Path | None:
    """A training simulator on a SQLite file keeps its training offset beside it (decision note 0131)."""
    prefix = "sqlite:///"
    if not settings.training or not settings.database_url.startswith(prefix):
        return None
    return Path(settings.database_url[len(prefix):]).parent / "training-clock.json"
