"""e-Belge Portal: the application factory. It wires; it does no work."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any, Mapping

from flask import Blueprint, Flask


def installed_blueprints() -> list[Blueprint]:
    """One blueprint per area in ``app.areas``; an area whose package is not there is simply absent."""
    from app.areas import AREAS

    blueprints = []
    for area in AREAS:
        module_name = f"app.blueprints.{area.name}"
        if importlib.util.find_spec(module_name) is not None:
            blueprints.append(importlib.import_module(module_name).bp)
    return blueprints


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the portal: settings from PORTAL_* variables, then ``overrides`` (tests)."""
    from app import config

    settings = config.load_settings(overrides=overrides)
    instance_path = Path(settings["INSTANCE_PATH"] or Path.cwd() / "instance").resolve()
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    app.config.update(config.finish(settings, instance_path))

    from app import acting, cards, cli, db, errors, htmx, jobs, login, menu, security, storage
    from app.formatting import register_filters
    from flask_wtf.csrf import CSRFProtect

    db.init_app(app)
    htmx.init_app(app)
    login.init_app(app)
    CSRFProtect(app)
    acting.init_app(app)
    errors.init_app(app)
    menu.init_app(app)
    security.init_app(app)
    register_filters(app)
    cli.init_app(app)
    cards.init_app(app)
    storage.init_app(app)
    jobs.init_app(app)

    for blueprint in installed_blueprints():
        app.register_blueprint(blueprint)
    return app
