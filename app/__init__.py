"""e-Belge Portal: the application factory. It wires; it does no work."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the portal: settings from PORTAL_* variables, then ``overrides`` (tests)."""
    from app import config

    settings = config.load_settings(overrides=overrides)
    instance_path = Path(settings["INSTANCE_PATH"] or Path.cwd() / "instance").resolve()
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    app.config.update(config.finish(settings, instance_path))

    from app import cards, cli, db, errors, htmx, login, menu
    from app.formatting import register_filters
    from flask_wtf.csrf import CSRFProtect

    db.init_app(app)
    htmx.init_app(app)
    login.init_app(app)
    CSRFProtect(app)
    errors.init_app(app)
    menu.init_app(app)
    register_filters(app)
    cli.init_app(app)
    cards.init_app(app)

    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.home import bp as home_bp
    from app.blueprints.iptal import bp as iptal_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(iptal_bp)
    return app
