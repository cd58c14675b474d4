"""``flask`` commands: database migrations, demo data and the audit chain check."""

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


audit_cli = AppGroup("audit", help="İşlem kayıtları (denetim izi).")


@audit_cli.command("verify")
@click.option("--zincir", "chain", default=None, help="Yalnızca bu zincir, örneğin mukellef:3 veya sistem.")
def audit_verify(chain: str | None) -> None:
    """Check every audit chain; name the first broken entry of each broken chain (exit 1 then)."""
    from app.audit import verify_chains
    from app.db import get_session

    checked, breaks = verify_chains(get_session(), chain)
    for found in breaks:
        click.echo(f"BOZUK: {found.message}", err=True)
    if breaks:
        raise SystemExit(1)
    click.echo(f"{checked} kayıt zinciri doğrulandı; değiştirilmiş ya da silinmiş kayıt yok.")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(demo_data)
    app.cli.add_command(audit_cli)
