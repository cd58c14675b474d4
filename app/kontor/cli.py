"""``flask kontor …``: the integrator's admin commands for quota packages."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from app.models.kontor import KontorUnit
from app.refusals import Refused

kontor_cli = AppGroup("kontor", help="Kontör paketleri (yükleme, süresi dolanlar).")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"'{text}' bir tarih değil; YYYY-AA-GG biçiminde yazınız (ör. 2027-12-31).") from None


@kontor_cli.command("yukle")
@click.argument("vkn")
@click.option("--adet", type=click.IntRange(min=1), default=None, help="Belge başına düşülen kontör miktarı.")
@click.option("--mb", type=click.IntRange(min=1), default=None, help="Boyuta göre düşülen saklama alanı (MB).")
@click.option("--bitis", required=True, help="Paketin son kullanım günü (YYYY-AA-GG).")
@click.option("--baslangic", default=None, help="Paketin ilk kullanım günü (varsayılan: bugün).")
@click.option("--ad", default="Yıllık Banka Paketi", show_default=True, help="Paketin adı.")
def load(vkn: str, adet: int | None, mb: int | None, bitis: str, baslangic: str | None, ad: str) -> None:
    """Load a package of --adet units or --mb megabytes for the taxpayer VKN/TCKN."""
    from app.kontor.operations import load_package

    if (adet is None) == (mb is None):
        raise click.UsageError("--adet veya --mb seçeneklerinden yalnızca birini veriniz.")
    unit, quantity = (KontorUnit.ADET, adet) if adet is not None else (KontorUnit.MB, mb)
    try:
        package = load_package(vkn, quantity, _date(bitis), unit=unit,
                               starts_on=_date(baslangic) if baslangic else None, name=ad)
    except Refused as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{vkn} için {quantity} {unit.label} kontör yüklendi (paket {package.id}, "
               f"{package.starts_on:%d.%m.%Y} – {package.expires_on:%d.%m.%Y}).")


@kontor_cli.command("sure-dolanlar")
def write_off() -> None:
    """Write off the rest of expired packages now (the worker does it every night)."""
    from app.kontor.operations import write_off_expired

    click.echo(f"Süresi dolan {write_off_expired()} paketin kalanı düşüldü.")
