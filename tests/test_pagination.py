"""Pages of a list: rows and total in one query; a page past the end shows the last page."""

from sqlalchemy import event, select

from app.models import Taxpayer
from app.pagination import paginate


def test_pages_count_and_clamp(app, taxpayer_factory, db_session):
    for index in range(7):
        taxpayer_factory(unvan=f"SAYFA {index}")
    db_session.commit()
    query = select(Taxpayer).where(Taxpayer.unvan.like("SAYFA %")).order_by(Taxpayer.unvan)
    statements: list[str] = []
    engine = app.extensions["ebelge.db"].engine
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with app.app_context():
        first = paginate(query, 1, size=3)
        assert [t.unvan for t in first.items] == ["SAYFA 0", "SAYFA 1", "SAYFA 2"]
        assert (first.total, first.pages, first.has_next, first.has_previous) == (7, 3, True, False)
        assert len([s for s in statements if s.startswith("SELECT")]) == 1  # rows + total together
        stale = paginate(query, 9, size=3)
        assert (stale.number, [t.unvan for t in stale.items]) == (3, ["SAYFA 6"])
        empty = paginate(select(Taxpayer).where(Taxpayer.unvan == "YOK"), 2, size=3)
        assert (empty.number, empty.total, list(empty.items)) == (1, 0, [])
