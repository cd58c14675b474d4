"""Training-room fixtures: the portal wired to a training GİB simulator (on a real socket), a trainer's login."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest
from flask import Flask

from app.models import Person
from app.signing.demo_pki import DemoPKI
from app.training.access import DEFAULT_TRAINER
from tests.conftest import make_test_app, rolled_back
from tests.fixtures.gib import RunningSimulator, gib_seal_settings


@pytest.fixture
def training_simulator(gib_simulator_factory: Callable[..., RunningSimulator], demo_pki: DemoPKI) -> RunningSimulator:
    """A GİB simulator started for training (--training): its clock can be moved, trainees forgotten."""
    return gib_simulator_factory(training=True, trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki))


@pytest.fixture
def app(database_url: str, tmp_path: Path, demo_pki: DemoPKI, training_simulator: RunningSimulator) -> Iterator[Flask]:
    """As the root ``app`` (one rolled-back outer transaction), but talking to the training simulator."""
    yield from rolled_back(make_test_app(database_url, tmp_path / "instance", demo_pki,
                                         GIB_URL=training_simulator.base_url))


@pytest.fixture
def trainer(db_session) -> Person:
    """The default trainer: the demo accountant's e-imza (Ayşe Yılmaz)."""
    person = db_session.query(Person).filter_by(identifier=DEFAULT_TRAINER).one_or_none()
    if person is None:
        person = Person(identifier=DEFAULT_TRAINER, name="Ayşe Yılmaz")
        db_session.add(person)
        db_session.commit()
    return person


@pytest.fixture
def trainer_client(app: Flask, trainer: Person):
    """The trainer's own browser (a client apart from ``client``, which the trainees use)."""
    from tests.fixtures.persons import log_client_in

    client = app.test_client()
    log_client_in(app, client, trainer)
    return client
