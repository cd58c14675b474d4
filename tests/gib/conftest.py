"""Until the lead lists `tests.fixtures.gib` in tests/conftest.py's pytest_plugins, bring its fixtures here."""

from tests.fixtures.gib import gib_client, gib_simulator, gib_simulator_factory  # noqa: F401
