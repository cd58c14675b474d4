"""The factory builds with test settings and refuses unsafe production settings."""

import pytest

from app import create_app
from app.config import ConfigError


def test_factory_builds_with_test_config(app):
    assert app.testing
    assert {"home", "auth"} <= set(app.blueprints)


def test_missing_secret_key_outside_tests_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTAL_MODE", raising=False)
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY tanımlı değil"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_configured_secret_key_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_SECRET_KEY", "k" * 40)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.secret_key == "k" * 40
    assert not app.testing


def test_demo_mode_keeps_one_generated_key_for_all_workers(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    first = create_app({"MODE": "demo", "INSTANCE_PATH": str(tmp_path)})
    second = create_app({"MODE": "demo", "INSTANCE_PATH": str(tmp_path)})
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) == 64


def test_unknown_mode_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_MODE"):
        create_app({"MODE": "prod", "INSTANCE_PATH": str(tmp_path)})
