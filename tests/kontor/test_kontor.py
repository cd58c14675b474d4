"""Kontör on both databases: the admin command, oldest package first, the daily write-off, atomic spending under
concurrency (the last units never overspent), the page's balance, warning, filter and totals."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.kontor.operations import write_off_expired
from app.kontor.spending import Purse
from app.models import KontorMovement, KontorPackage, Taxpayer
from app.models.kontor import KontorUnit, MovementKind
from app.refusals import Refused
from app.unit_of_work import unit_of_work
from tests.fixtures.portal import run_together


def _spend(app, taxpayer_id: int, amount: int = 1, today: date | None = None) -> list:
    """One spend in its own unit of work, as a storing operation does it."""
    with app.app_context():
        with unit_of_work() as work:
            purse = Purse(work.session, taxpayer_id, KontorUnit.ADET, today or date.today())
            pieces = purse.take(amount)
            if pieces is None:
                raise Refused("yetmedi")
            purse.commit_to([(None, pieces)], note="deneme")
            return pieces


def test_the_admin_command_loads_a_package_with_its_movement(app, db_session, taxpayer_factory):
    taxpayer = taxpayer_factory()
    db_session.commit()
    runner = app.test_cli_runner()

    result = runner.invoke(args=["kontor", "yukle", taxpayer.identifier, "--adet", "500", "--bitis", "2099-12-31"])

    assert result.exit_code == 0, result.output
    assert f"{taxpayer.identifier} için 500 Adet kontör yüklendi" in result.output
    package = db_session.scalars(select(KontorPackage).where(KontorPackage.taxpayer_id == taxpayer.id)).one()
    assert (package.quantity, package.remaining, package.expires_on) == (500, 500, date(2099, 12, 31))
    movement = db_session.scalars(select(KontorMovement).where(KontorMovement.package_id == package.id)).one()
    assert (movement.kind, movement.amount) == (MovementKind.YUKLEME, 500)

    unknown = runner.invoke(args=["kontor", "yukle", "1111111111", "--adet", "5", "--bitis", "2099-12-31"])
    assert unknown.exit_code != 0 and "kayıtlı değil" in unknown.output
    bad_date = runner.invoke(args=["kontor", "yukle", taxpayer.identifier, "--adet", "5", "--bitis", "31.12.2099"])
    assert bad_date.exit_code != 0 and "YYYY-AA-GG" in bad_date.output
    both = runner.invoke(args=["kontor", "yukle", taxpayer.identifier, "--adet", "5", "--mb", "5", "--bitis", "2099-12-31"])
    assert both.exit_code != 0 and "yalnızca birini" in both.output


def test_the_oldest_expiring_package_is_spent_first_and_an_expired_one_never(app, db_session, taxpayer_factory):
    from app.kontor.operations import load_package

    taxpayer = taxpayer_factory()
    db_session.commit()
    today = date.today()
    with app.app_context():
        late = load_package(taxpayer.identifier, 5, today + timedelta(days=300), name="Ek paket")
        early = load_package(taxpayer.identifier, 2, today + timedelta(days=30))
        expired = load_package(taxpayer.identifier, 9, today - timedelta(days=1), starts_on=today - timedelta(days=365))

    pieces = _spend(app, taxpayer.id, 3)

    assert [(p.package_id, p.amount) for p in pieces] == [(early.id, 2), (late.id, 1)]
    db_session.expire_all()
    left = {p.id: p.remaining for p in db_session.scalars(select(KontorPackage))}
    assert (left[early.id], left[late.id], left[expired.id]) == (0, 4, 9)


def test_the_daily_job_writes_off_an_expired_packages_rest_once(app, db_session, taxpayer_factory):
    from app.jobs.submit import submit
    from app.kontor.operations import WRITE_OFF, daily_key, load_package

    taxpayer = taxpayer_factory()
    db_session.commit()
    today = date.today()
    with app.app_context():
        expired = load_package(taxpayer.identifier, 9, today - timedelta(days=1), starts_on=today - timedelta(days=365))
        load_package(taxpayer.identifier, 4, today + timedelta(days=10))
        job = submit(WRITE_OFF.name, None, "Süresi dolan kontör paketleri", idempotency_key=daily_key())
        assert write_off_expired() == 0  # the job already did it: running again changes nothing

    db_session.expire_all()
    assert db_session.get(KontorPackage, expired.id).remaining == 0
    written_off = db_session.scalars(select(KontorMovement).where(KontorMovement.kind == MovementKind.SURESI_DOLDU)).all()
    assert [(m.package_id, m.amount) for m in written_off] == [(expired.id, 9)]
    assert job.id


def test_several_workers_spending_the_last_units_never_overspend(real_app):
    """Eight threads, each in its own transaction, race for five units: five win, the balance ends at 0."""
    from app.kontor.operations import load_package

    with real_app.app_context():
        with unit_of_work() as work:
            taxpayer = Taxpayer(identifier="4821307561", unvan="Anadolu Tekstil")
            work.session.add(taxpayer)
        load_package(taxpayer.identifier, 3, date.today() + timedelta(days=5))
        load_package(taxpayer.identifier, 2, date.today() + timedelta(days=50))
    taxpayer_id = taxpayer.id

    results = run_together(*[lambda: _spend(real_app, taxpayer_id) for _ in range(8)])

    won = [r for r in results if isinstance(r, list)]
    lost = [r for r in results if isinstance(r, Refused)]
    assert len(won) == 5 and len(lost) == 3, results
    with real_app.app_context():
        from app.db import get_session

        session = get_session()
        assert session.scalar(select(func.sum(KontorPackage.remaining))) == 0
        used = session.scalars(select(KontorMovement).where(KontorMovement.kind == MovementKind.KULLANIM)).all()
        assert len(used) == 5 and sum(m.amount for m in used) == 5
        assert session.scalar(select(func.min(KontorPackage.remaining))) >= 0


def test_the_page_shows_balance_warning_movements_and_totals(app, client, db_session, login_as, taxpayer_factory):
    from app.kontor.operations import load_package

    taxpayer = taxpayer_factory()
    db_session.commit()
    with app.app_context():
        load_package(taxpayer.identifier, 20, date.today() + timedelta(days=100))
    for _ in range(19):
        _spend(app, taxpayer.id)
    login_as(taxpayer)

    page = client.get("/yonetim/kontor/").get_data(as_text=True)

    assert 'data-birim="adet">1</span>' in page
    assert "Kullanılabilir kontörünüz azaldı: 1 Adet kaldı (uyarı eşiği 2)" in page
    assert '<td class="num" data-tur="kullanim">19</td>' in page and '<td class="num" data-tur="yukleme">20</td>' in page
    filtered = client.get("/yonetim/kontor/?tur=yukleme", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Yükleme" in filtered and "Kullanım</td>" not in filtered and "<html" not in filtered
    old = client.get("/yonetim/kontor/?baslangic=01.01.2020&bitis=31.01.2020").get_data(as_text=True)
    assert "Bu tarihlerde hareket yok." in old
    bad = client.get("/yonetim/kontor/?baslangic=31.02.2020").get_data(as_text=True)
    assert "geçerli bir tarih değil" in bad

    _spend(app, taxpayer.id)
    empty = client.get("/yonetim/kontor/").get_data(as_text=True)
    assert "Kullanılabilir kontörünüz kalmadı" in empty and "yeni paket" in empty


def test_a_configured_warning_level_replaces_ten_per_cent(app, client, db_session, login_as, taxpayer_factory):
    from app.kontor.operations import load_package

    app.config["KONTOR_WARNING_LEVEL"] = 50
    taxpayer = taxpayer_factory()
    db_session.commit()
    with app.app_context():
        load_package(taxpayer.identifier, 1000, date.today() + timedelta(days=100))
    for _ in range(3):
        _spend(app, taxpayer.id, 320)
    login_as(taxpayer)

    assert "40 Adet kaldı (uyarı eşiği 50)" in client.get("/yonetim/kontor/").get_data(as_text=True)
