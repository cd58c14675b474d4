"""``flask`` commands: database migrations and demo data."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

db_cli = AppGroup("db", help="Veritabanı şeması (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (default: head)."""
    from app.migrate import upgrade

    upgrade(current_app.config["SQLALCHEMY_DATABASE_URI"], revision)
    click.echo("Veritabanı şeması güncel.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo the migrations down to REVISION ('base' empties the database)."""
    from app.migrate import downgrade

    downgrade(current_app.config["SQLALCHEMY_DATABASE_URI"], revision)
    click.echo(f"Veritabanı şeması {revision} sürümüne indirildi.")


@click.command("demo-data")
def demo_data() -> None:
    """Create the demo taxpayers and their records (idempotent)."""
    from app.demo import load_demo_data

    for line in load_demo_data():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(demo_data)
