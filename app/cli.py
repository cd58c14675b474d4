"""``flask`` commands: database migrations, demo data and the audit chain check."""

from __future__ import annotations

from pathlib import Path

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


def _anchor_file(path: str | None) -> Path:
    return Path(path) if path else Path(current_app.instance_path) / "audit-anchors.jsonl"


@audit_cli.command("verify")
@click.option("--zincir", "chain", default=None, help="Yalnızca bu zincir, örneğin mukellef:3 veya sistem.")
@click.option("--dayanak", "anchors", default=None, type=click.Path(exists=True, dir_okay=False),
              help="'flask audit anchor' ile alınmış dayanak dosyası: zincirler o konumlarda aynı olmalı.")
def audit_verify(chain: str | None, anchors: str | None) -> None:
    """Check every audit chain (and the anchored positions); name each break (exit 1 then)."""
    from app.audit import AnchorFileError, check_anchors, verify_chains
    from app.db import get_session

    checked, breaks = verify_chains(get_session(), chain)
    messages = [found.message for found in breaks]
    anchored = 0
    if anchors:
        try:
            anchored, anchor_breaks = check_anchors(get_session(), Path(anchors))
        except AnchorFileError as exc:
            raise click.ClickException(str(exc)) from exc
        messages += [found.message for found in anchor_breaks]
    for message in messages:
        click.echo(f"BOZUK: {message}", err=True)
    if messages:
        raise SystemExit(1)
    click.echo(f"{checked} kayıt zinciri doğrulandı; değiştirilmiş ya da silinmiş kayıt yok."
               + (f" {anchored} dayanak konumu tutuyor." if anchors else ""))


@audit_cli.command("anchor")
@click.option("--dosya", "path", default=None, help="Dayanak dosyası (varsayılan: instance/audit-anchors.jsonl).")
def audit_anchor(path: str | None) -> None:
    """Append every chain's length and last hash to the anchor file, and print it (keep a copy elsewhere)."""
    import json

    from app.audit import append_anchor
    from app.db import get_session

    target = _anchor_file(path)
    anchor = append_anchor(get_session(), target)
    click.echo(json.dumps(anchor, ensure_ascii=False, sort_keys=True))
    click.echo(f"Dayanak {target} dosyasının sonuna eklendi; dosyanın bir kopyasını veritabanı dışında saklayın.", err=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(demo_data)
    app.cli.add_command(audit_cli)
    from app.journal.cli import edefter_cli

    app.cli.add_command(edefter_cli)
    from app.edefter.deadlines.cli import takvim_cli

    app.cli.add_command(takvim_cli)
    from app.kontor.cli import kontor_cli

    app.cli.add_command(kontor_cli)
    from app.training.cli import egitim_cli

    app.cli.add_command(egitim_cli)
