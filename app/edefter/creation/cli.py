"""``flask edefter create VKN YYYY-MM`` and ``flask edefter export VKN YYYY-MM OUT.zip`` for offices that script.

``create`` checks the prerequisites, runs the creation job in this process (a worker that took it first is waited
for), then signs every part, berat and the DR in one card login. The PIN is read from standard input (a prompt
without echo on a terminal), never from an argument: arguments are visible to every user of the host.
"""

from __future__ import annotations

import sys
import time

import click
from flask.cli import with_appcontext

from app.refusals import Refused


def _period(vkn: str, donem: str, sube: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.db import get_session
    from app.edefter.creation.operations import PeriodNotFound, find_period
    from app.models import Taxpayer

    taxpayer = get_session().scalars(select(Taxpayer).where(Taxpayer.identifier == vkn.strip())).one_or_none()
    if taxpayer is None:
        raise click.ClickException(f"{vkn[:20]} VKN/TCKN'li mükellef bulunamadı.")
    try:
        year, month = (int(part) for part in donem.split("-"))
        return taxpayer, find_period(taxpayer, year, month, sube)
    except (ValueError, PeriodNotFound):
        raise click.ClickException(f"{donem[:20]} dönemi bulunamadı (YYYY-AA yazınız; dönemin kayıtları aktarılmış "
                                   "olmalıdır).") from None


def _read_pin() -> str:
    if sys.stdin.isatty():
        return click.prompt("Kart şifresi (PIN)", hide_input=True)
    return sys.stdin.readline().rstrip("\r\n")


def _wait(job_id: int) -> None:
    from app.db import get_session
    from app.jobs import runner
    from app.models import Job

    runner.run(job_id)  # claims the job unless a worker already has it
    while True:
        session = get_session()
        session.expire_all()
        job = session.get(Job, job_id)
        if job is None or not job.active:
            break
        click.echo(f"  %{job.progress} {job.phrase}", err=True)
        time.sleep(1)
    if job is not None and job.status.value == "hata":
        raise click.ClickException(job.error or "Defter oluşturulamadı.")


@click.command("create")
@with_appcontext
@click.argument("vkn")
@click.argument("donem")
@click.option("--sube", default="", help="Şube No (şubeli defterler için).")
@click.option("--surucu", default="SoftHSM", show_default=True, help="Akıllı kartın işlemcisi (sürücü adı).")
@click.option("--kart", default=None, help="Kartın etiketi (birden fazla kart takılıysa).")
def create_command(vkn: str, donem: str, sube: str, surucu: str, kart: str | None) -> None:
    """Create and sign the e-Defter of period DONEM (YYYY-MM) of taxpayer VKN; the PIN comes from standard input."""
    from app.cards import configured_drivers
    from app.db import get_session
    from app.edefter.creation import operations
    from app.models import DefterFile
    from app.signing.drivers import module_path_for

    pin = _read_pin()
    taxpayer, period = _period(vkn, donem, sube)
    try:
        module_path = module_path_for(surucu, configured_drivers())
        job = operations.start_creation(taxpayer, period)
        click.echo(f"Oluşturma işi {job.id} başladı.", err=True)
        _wait(job.id)
        taxpayer, period = _period(vkn, donem, sube)
        creation = operations.sign_period(taxpayer, period, module_path, kart, pin)
        if creation.job_id is not None and creation.state.value != "imzali":
            _wait(creation.job_id)  # the signed parts are assembled, stored and verified
            get_session().expire_all()
            creation = operations.creation_of(period) or creation
    except Refused as refused:
        raise click.ClickException(refused.message) from None
    finally:
        pin = ""
    from sqlalchemy import select

    for row in get_session().scalars(select(DefterFile).where(DefterFile.creation_id == creation.id)
                                     .order_by(DefterFile.kind, DefterFile.part_index)):
        click.echo(f"{row.file_name}\t{row.signed_size}\t{row.signed_key}\t{row.verification_message}")
    click.echo(f"{period.label} dönemi imzalandı ({creation.signer_name}).", err=True)


@click.command("export")
@with_appcontext
@click.argument("vkn")
@click.argument("donem")
@click.argument("cikti", type=click.Path(dir_okay=False, writable=True))
@click.option("--sube", default="", help="Şube No (şubeli defterler için).")
def export_command(vkn: str, donem: str, cikti: str, sube: str) -> None:
    """Write the signed files of period DONEM and their SHA-256 manifest into the zip CIKTI."""
    from app.edefter.creation import operations

    taxpayer, period = _period(vkn, donem, sube)
    try:
        with open(cikti, "wb") as target:
            manifest = operations.export_period(taxpayer, period, target)
    except Refused as refused:
        raise click.ClickException(refused.message) from None
    for name, sha256, size in manifest:
        click.echo(f"{sha256}  {size:>12}  {name}")
