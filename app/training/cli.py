"""``flask egitim …``: the trainer's commands (the same operations as the Eğitim page; demo/training mode only)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup

from app.refusals import Refused

egitim_cli = AppGroup("egitim", help="Eğitim odası: sınıf hazırlama, el notları, eğitim saati, sıfırlama.")


@egitim_cli.command("hazirla")
@click.option("--kisi", type=int, default=20, show_default=True, help="Kursiyer sayısı (2–60).")
@click.option("--ad", default="e-Fatura İptal Portalı Eğitimi", show_default=True, help="Sınıfın adı.")
@click.option("--el-notlari", "handout_path", type=click.Path(dir_okay=False), default=None,
              help="El notlarını bu PDF dosyasına yaz.")
def prepare(kisi: int, ad: str, handout_path: str | None) -> None:
    """Prepare a class: companies, cards, invoices, e-Defter, journal, kontör; print the cards."""
    from app.training import handout, operations

    try:
        training_class = operations.create_class(ad, kisi)
        outcome = operations.equip(training_class.id, lambda percent, phrase: click.echo(f"%{percent} {phrase}"))
    except Refused as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Sınıf {training_class.id}: {training_class.name}")
    click.echo(f"{'No':>3} {'Kart':<14} {'PIN':<7} {'VKN':<11} {'Eşi':<11} Firma")
    for trainee in training_class.trainees:
        click.echo(f"{trainee.position:>3} {trainee.token_label:<14} {trainee.card_pin:<7} {trainee.identifier:<11} "
                   f"{trainee.partner_identifier:<11} {trainee.unvan}")
    for line in outcome.warnings:
        click.echo(f"Uyarı: {line}", err=True)
    if handout_path:
        with open(handout_path, "wb") as target:
            target.write(handout.pdf(training_class, "http://127.0.0.1:8000/"))
        click.echo(f"El notları: {handout_path}")


@egitim_cli.command("saat")
@click.argument("islem", type=click.Choice(["+1", "+8", "-1", "gercek", "tarih"]))
@click.argument("tarih", required=False, default="")
def move_clock(islem: str, tarih: str) -> None:
    """Move the training clock: +1, +8, -1 (days), gercek (real time) or tarih GG.AA.YYYY."""
    from app.training import clock

    try:
        target = clock.parse_target(tarih) if islem == "tarih" else None
        result = clock.move(clock.offset_for(islem, target))
    except Refused as exc:
        raise click.ClickException(exc.message) from None
    days = result.state.offset / timedelta(days=1)
    click.echo(f"Eğitim saati: {result.state.now.isoformat(timespec='seconds')} ({days:+.0f} gün)")
    if result.gib_message:
        click.echo(f"Uyarı: {result.gib_message}", err=True)


@egitim_cli.command("sifirla")
@click.argument("sinif", type=int)
@click.option("--evet", is_flag=True, help="Onay: kursiyerlerin bütün çalışmaları silinir.")
def reset(sinif: int, evet: bool) -> None:
    """Reset class SINIF to its prepared state (asks for confirmation unless --evet)."""
    from app.training import operations

    if not evet:
        click.confirm("Kursiyerlerin bütün çalışmaları silinecek. Sürdürülsün mü?", abort=True)
    try:
        outcome = operations.reset_class(sinif)
    except Refused as exc:
        raise click.ClickException(exc.message) from None
    for line in outcome.lines:
        click.echo(line)
    for line in outcome.warnings:
        click.echo(f"Uyarı: {line}", err=True)
