"""``flask takvim …``: the holidays and GİB's extensions the berat deadlines are counted with, and a deadline."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import AppGroup

takvim_cli = AppGroup("takvim", help="Berat süreleri: resmî tatiller ve GİB'in süre uzatımları.")


def _day(text: str) -> date:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise click.BadParameter(f"'{text[:20]}' bir tarih değil: GG.AA.YYYY biçiminde yazınız.")


def _period(text: str) -> tuple[int, int]:
    try:
        parsed = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise click.BadParameter(f"'{text[:20]}' bir dönem değil: YYYY-AA biçiminde yazınız (örneğin 2026-03).") from None
    return parsed.year, parsed.month


@takvim_cli.command("tatil-ekle")
@click.argument("gun")
@click.argument("ad")
def add_holiday_command(gun: str, ad: str) -> None:
    """Add a public holiday that moves each year (e.g. 20.03.2026 "Ramazan Bayramı 1. gün")."""
    from app.edefter.deadlines.calendar import CalendarRefused, add_holiday

    try:
        holiday = add_holiday(_day(gun), ad)
    except CalendarRefused as refusal:
        raise click.ClickException(refusal.message) from refusal
    click.echo(f"{holiday.day.strftime('%d.%m.%Y')} {holiday.name} tatil olarak eklendi.")


@takvim_cli.command("sure-uzat")
@click.argument("donem")
@click.option("--yeni-sure", required=True, help="GİB'in duyurduğu son gün (GG.AA.YYYY).")
@click.option("--duyuru", required=True, help="Dayanak, örneğin \"VUK-189/2025-3 sayılı duyuru\".")
@click.option("--kapsam", type=click.Choice(["hepsi", "kurum", "sahis"]), default="hepsi", show_default=True,
              help="Uzatımın kapsadığı mükellefler.")
def extend_command(donem: str, yeni_sure: str, duyuru: str, kapsam: str) -> None:
    """Enter a deadline extension GİB announced for the periods ending in DONEM (YYYY-AA)."""
    from app.edefter.deadlines.calendar import CalendarRefused, add_extension
    from app.models import ExtensionScope

    year, month = _period(donem)
    try:
        extension = add_extension(year, month, ExtensionScope(kapsam), _day(yeni_sure), duyuru)
    except CalendarRefused as refusal:
        raise click.ClickException(refusal.message) from refusal
    click.echo(f"{year}/{month:02d} dönemi ({extension.scope.label.lower()}) berat süresi "
               f"{extension.new_deadline.strftime('%d.%m.%Y')} olarak kaydedildi.")


@takvim_cli.command("berat-suresi")
@click.argument("kimlik")
@click.argument("donem")
def deadline_command(kimlik: str, donem: str) -> None:
    """Print the berat deadline of a taxpayer's (VKN/TCKN) period DONEM (YYYY-AA)."""
    from sqlalchemy import select

    from app.db import get_session
    from app.edefter.deadlines.calendar import deadline_of
    from app.models import Taxpayer

    taxpayer = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == kimlik.strip()))
    if taxpayer is None:
        raise click.ClickException(f"{kimlik[:11]} numaralı mükellef kayıtlı değil.")
    year, month = _period(donem)
    deadline = deadline_of(taxpayer, year, month)
    click.echo(f"Dönem: {deadline.period_start.strftime('%d.%m.%Y')} – {deadline.period_end.strftime('%d.%m.%Y')}")
    click.echo(f"Berat yükleme son günü: {deadline.due.strftime('%d.%m.%Y')}"
               + (f" (yasal süre {deadline.legal_date.strftime('%d.%m.%Y')}; {deadline.moved_because})"
                  if deadline.moved_because else ""))
    click.echo(f"İkincil kopya son günü: {deadline.secondary_copy_due.strftime('%d.%m.%Y')}")


@takvim_cli.command("uyarilar")
@click.option("--gun", default=None, help="Hangi günün uyarıları (GG.AA.YYYY); verilmezse bugün.")
def warnings_command(gun: str | None) -> None:
    """Raise today's berat deadline warnings by hand (what the daily job does at 07:00 UTC)."""
    from app.edefter.deadlines.warnings import raise_daily_warnings

    result = raise_daily_warnings(_day(gun) if gun else None)
    click.echo(f"{result.taxpayers} mükellef denetlendi: {result.raised} yeni uyarı, {result.reopened} yeniden açılan, "
               f"{result.closed} kapanan uyarı.")
