"""How one simulator instance is configured: where it keeps its state, its clock, whom it trusts, its seal."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

DATABASE_FILENAME = "gib-simulator.sqlite3"


@dataclass(frozen=True)
class SealSettings:
    """The PKCS#11 token that holds the simulator's demo "GİB" mali mühür (never a software key)."""

    module_path: str
    token_label: str
    pin: str = field(repr=False)  # the service's own token PIN; never logged
    softhsm_conf: str | None = None


@dataclass(frozen=True)
class SimulatorSettings:
    database_url: str
    approval_delay_seconds: float = 0.0
    clock_offset_seconds: float = 0.0
    trust_anchors: tuple[x509.Certificate, ...] = ()
    seal: SealSettings | None = None
    max_document_bytes: int = 20 * 1024 * 1024
    # Training room (decision note 0131): the portal may move the training clock and reset trainees' records.
    training: bool = False


def database_url_for(data: str | os.PathLike[str]) -> str:
    """`data` is either a database URL or a directory that holds (or will hold) the SQLite file."""
    text = os.fspath(data)
    if "://" in text:
        return text
    directory = Path(text).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / DATABASE_FILENAME}"


def load_certificates(paths: list[str]) -> tuple[x509.Certificate, ...]:
    """Every certificate in the given PEM files (a file may hold several)."""
    certificates: list[x509.Certificate] = []
    for path in paths:
        certificates.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    return tuple(certificates)


def settings_from_env(environ: Mapping[str, str]) -> SimulatorSettings:
    """Settings from GIB_SIM_* variables (the gunicorn entry point `app.gib.simulator.wsgi:app`)."""
    data = environ.get("GIB_SIM_DATABASE_URL") or environ.get("GIB_SIM_DATA") or "instance/gib-simulator"
    anchors = [p for p in environ.get("GIB_SIM_TRUST_ANCHORS", "").split(os.pathsep) if p]
    seal = None
    if environ.get("GIB_SIM_SEAL_TOKEN"):
        seal = SealSettings(
            module_path=environ.get("GIB_SIM_SEAL_MODULE", "/usr/lib/softhsm/libsofthsm2.so"),
            token_label=environ["GIB_SIM_SEAL_TOKEN"],
            pin=environ.get("GIB_SIM_SEAL_PIN", ""),
            softhsm_conf=environ.get("GIB_SIM_SOFTHSM2_CONF") or None,
        )
    return SimulatorSettings(
        database_url=database_url_for(data),
        approval_delay_seconds=float(environ.get("GIB_SIM_APPROVAL_DELAY", "0")),
        clock_offset_seconds=float(environ.get("GIB_SIM_CLOCK_OFFSET", "0")),
        trust_anchors=load_certificates(anchors),
        seal=seal,
        training=environ.get("GIB_SIM_TRAINING", "").strip().lower() in {"1", "true", "yes", "on"},
    )
