"""Bring the simulator's database to the newest schema; run by the simulator itself when it starts.

The simulator is a self-contained service, so it owns its migrations (docs/decisions/0020). Several
gunicorn workers may start at once: a file lock lets only one of them migrate at a time.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from app.gib.simulator.db import VERSION_TABLE

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_table", VERSION_TABLE)
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending migration to the database behind `engine`."""
    lock_name = hashlib.sha256(str(engine.url).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"gib-simulator-migrate-{lock_name}.lock"
    with open(lock_path, "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            with engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
    log.info("GİB simülatörü veritabanı güncel: %s", engine.url.render_as_string(hide_password=True))
