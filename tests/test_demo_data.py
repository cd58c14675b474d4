"""The demo command's data: demo taxpayers and invoices inside and outside the window."""

from sqlalchemy import func, select

from app.demo import demo_taxpayers, load_demo_data
from app.formatting import local_today
from app.models import Invoice, Taxpayer


def test_demo_data_is_complete_and_idempotent(app, db_session, gib_simulator):
    app.config["GIB_URL"] = gib_simulator.base_url
    with app.app_context():
        first = list(load_demo_data())
        second = list(load_demo_data())
    assert "5 demo mükellef GİB simülatörüne kaydedildi." in first
    assert second[-2:] == ["Demo faturalar zaten yüklü.", "Demo mükellefler GİB'de kayıtlı."]
    assert gib_simulator.client.find_taxpayer(demo_taxpayers()[0][1]) is not None
    identifiers = set(db_session.scalars(select(Taxpayer.identifier)))
    assert {identifier for _, identifier, _ in demo_taxpayers()} <= identifiers
    invoices = db_session.scalars(select(Invoice)).all()
    assert 25 <= len(invoices) <= 60
    ages = [(local_today() - i.delivered_on).days for i in invoices]
    assert any(age <= 8 for age in ages) and any(age > 8 for age in ages)
    assert {"TEMELFATURA", "TICARIFATURA"} <= {i.profile_id for i in invoices}
    assert db_session.scalar(select(func.count(func.distinct(Invoice.number)))) == len(invoices)
