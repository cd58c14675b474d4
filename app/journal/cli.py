"""``flask edefter …``: e-Defter from the command line (a batch or a cron job). ``import`` is the journal intake's;
the creation commands join the same group."""

from __future__ import annotations

import click
from flask.cli import AppGroup

edefter_cli = AppGroup("edefter", help="e-Defter: yevmiye kayıtları, defter oluşturma.")


@edefter_cli.command("import")
@click.argument("vkn")
@click.argument("donem")
@click.argument("dosya", type=click.Path(exists=True, dir_okay=False, readable=True))
def import_command(vkn: str, donem: str, dosya: str) -> None:
    """Import a CSV/XLSX journal file (one row per line) into the period DONEM (YYYY-MM) of the taxpayer VKN.

    The whole file is taken or nothing is; each refused row is printed with its reason (exit code 1).
    """
    from sqlalchemy import select

    from app.db import get_session
    from app.journal.periods import parse_period
    from app.journal.problems import JournalRefused
    from app.journal.upload import import_path
    from app.models import Taxpayer

    taxpayer = get_session().scalars(select(Taxpayer).where(Taxpayer.identifier == vkn.strip())).one_or_none()
    if taxpayer is None:
        raise click.ClickException(f"{vkn[:20]} VKN/TCKN'li mükellef bulunamadı.")
    try:
        result = import_path(taxpayer.id, parse_period(donem), dosya, "Komut satırı")
    except JournalRefused as refused:
        click.echo(refused.message, err=True)
        for problem in refused.problems:
            click.echo(f"  {problem.text}", err=True)
        if refused.more:
            click.echo(f"  … ve {refused.more} madde daha kontrol edilmedi.", err=True)
        raise SystemExit(1) from None
    click.echo(f"{result.entry_count} madde ({result.line_count} satır) {result.period} dönemine alındı "
               f"(gönderim {result.batch_id}).")


# e-Defter creation (issue 13): its commands live with the feature, in the same group.
from app.edefter.creation.cli import create_command, export_command  # noqa: E402

edefter_cli.add_command(create_command)
edefter_cli.add_command(export_command)
