"""gunicorn entry point: `gunicorn 'app.gib.simulator.wsgi:app'`, configured by GIB_SIM_* variables.

GIB_SIM_DATA (state directory) or GIB_SIM_DATABASE_URL, GIB_SIM_APPROVAL_DELAY, GIB_SIM_CLOCK_OFFSET,
GIB_SIM_TRUST_ANCHORS (PEM paths joined with ':'), GIB_SIM_SEAL_MODULE, GIB_SIM_SEAL_TOKEN,
GIB_SIM_SEAL_PIN, GIB_SIM_SOFTHSM2_CONF.
"""

from __future__ import annotations

import os

from app.gib.simulator import simulator_app_from_settings
from app.gib.simulator.settings import settings_from_env

app = simulator_app_from_settings(settings_from_env(os.environ))
