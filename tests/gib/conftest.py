"""Until tests/conftest.py lists `tests.fixtures.gib` and `tests.fixtures.pkcs11` in pytest_plugins, bring
their fixtures here (a conftest fixture of the same name simply takes precedence over the plugin's)."""

from tests.fixtures.gib import gib_client, gib_simulator, gib_simulator_factory, gib_simulator_pki  # noqa: F401
from tests.fixtures.pkcs11 import demo_pki  # noqa: F401
