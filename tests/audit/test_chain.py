"""The audit trail is a hash chain per taxpayer: any UPDATE or DELETE of an entry is found by the check."""

from __future__ import annotations

from sqlalchemy import delete, select, text, update

from app.audit import verify_chains
from app.db import get_session
from app.migrate import upgrade
from app.models import AuditEvent
from app.models.audit import AuditChain, chain_key
from app.unit_of_work import unit_of_work
from tests import databases
from tests.fixtures.portal import run_together


def write_entries(app, taxpayer_id: int | None, count: int, action: str = "edefter_sube_eklendi") -> None:
    with app.app_context():
        for index in range(count):
            with unit_of_work() as work:
                work.record(action, taxpayer_id=taxpayer_id, object_type="edefter_sube", object_id=index,
                            sube=f"{index:04d} İzmir", tutar="7840.80")


def check(app, chain: str | None = None):
    with app.app_context():
        return verify_chains(get_session(), chain)


def entries(db_session, taxpayer_id: int) -> list[AuditEvent]:
    db_session.expire_all()
    return db_session.scalars(
        select(AuditEvent).where(AuditEvent.taxpayer_id == taxpayer_id).order_by(AuditEvent.seq)
    ).all()


def test_entries_are_linked_in_order_and_the_check_passes(app, db_session, taxpayer_factory):
    first, second = taxpayer_factory(), taxpayer_factory()
    db_session.commit()
    write_entries(app, first.id, 3)
    write_entries(app, second.id, 2)
    chain = entries(db_session, first.id)
    assert [e.seq for e in chain] == [1, 2, 3]
    assert chain[0].prev_hash == "0" * 64
    assert [e.prev_hash for e in chain[1:]] == [e.entry_hash for e in chain[:-1]]
    assert [e.seq for e in entries(db_session, second.id)] == [1, 2]  # one chain per taxpayer
    checked, breaks = check(app)
    assert checked >= 2 and breaks == []


def test_a_changed_entry_is_named(app, db_session, taxpayer_factory):
    taxpayer = taxpayer_factory()
    db_session.commit()
    write_entries(app, taxpayer.id, 4)
    target = entries(db_session, taxpayer.id)[1]
    db_session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(result="hata"))
    db_session.commit()
    _, breaks = check(app)
    assert len(breaks) == 1
    assert breaks[0].chain == chain_key(taxpayer.id) and breaks[0].seq == 2 and breaks[0].event_id == target.id
    assert "değiştirilmiş" in breaks[0].message


def test_an_entry_moved_to_another_taxpayer_is_found(app, db_session, taxpayer_factory):
    victim, other = taxpayer_factory(), taxpayer_factory()
    db_session.commit()
    write_entries(app, victim.id, 2)
    target = entries(db_session, victim.id)[0]
    db_session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(taxpayer_id=other.id))
    db_session.commit()
    _, breaks = check(app, chain_key(victim.id))
    assert breaks and breaks[0].seq == 1


def test_a_deleted_entry_in_the_middle_is_found(app, db_session, taxpayer_factory):
    taxpayer = taxpayer_factory()
    db_session.commit()
    write_entries(app, taxpayer.id, 5)
    target = entries(db_session, taxpayer.id)[2]
    db_session.execute(delete(AuditEvent).where(AuditEvent.id == target.id))
    db_session.commit()
    _, breaks = check(app)
    assert len(breaks) == 1 and breaks[0].seq == 3 and "silinmiş" in breaks[0].message


def test_deleting_the_newest_entries_is_found(app, db_session, taxpayer_factory):
    taxpayer = taxpayer_factory()
    db_session.commit()
    write_entries(app, taxpayer.id, 3)
    newest = entries(db_session, taxpayer.id)[-1]
    db_session.execute(delete(AuditEvent).where(AuditEvent.id == newest.id))
    db_session.commit()
    _, breaks = check(app)
    assert len(breaks) == 1 and breaks[0].seq == 3 and "son kayıtlar silinmiş" in breaks[0].message


def test_an_entry_rewritten_with_a_fresh_hash_still_breaks_the_next_link(app, db_session, taxpayer_factory):
    from app.audit import entry_hash

    taxpayer = taxpayer_factory()
    db_session.commit()
    write_entries(app, taxpayer.id, 3)
    target = entries(db_session, taxpayer.id)[0]
    target.object_id = "başka"
    target.entry_hash = entry_hash(target)  # a careful forger recomputes the changed entry's own hash
    db_session.commit()
    _, breaks = check(app)
    assert len(breaks) == 1 and breaks[0].seq == 2 and "önceki kaydın özeti" in breaks[0].message


def test_flask_audit_verify_reports_and_fails_on_a_broken_chain(app, db_session, taxpayer_factory):
    taxpayer = taxpayer_factory()
    db_session.commit()
    write_entries(app, taxpayer.id, 2)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "kayıt zinciri doğrulandı" in ok.output
    db_session.execute(update(AuditEvent).where(AuditEvent.id == entries(db_session, taxpayer.id)[0].id)
                       .values(action="giris"))
    db_session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"BOZUK: {chain_key(taxpayer.id)} zincirinin 1. kaydı" in broken.output


def test_entries_of_no_taxpayer_form_the_system_chain(app, db_session):
    write_entries(app, None, 2, action="demo_verileri_yuklendi")
    db_session.expire_all()
    head = db_session.get(AuditChain, "sistem")
    assert head is not None and head.length >= 2
    assert check(app, "sistem")[1] == []


def test_two_acts_of_one_taxpayer_at_once_never_fork_its_chain(real_app):
    from app.identifiers import make_vkn
    from app.models import Taxpayer

    with real_app.app_context():
        with unit_of_work() as work:
            taxpayer = Taxpayer(identifier=make_vkn("482130756"), unvan="EŞZAMANLI A.Ş.")
            work.session.add(taxpayer)
        taxpayer_id = taxpayer.id
    results = run_together(*(lambda: write_entries(real_app, taxpayer_id, 15) for _ in range(3)))
    assert results == [None, None, None]
    with real_app.app_context():
        seqs = get_session().scalars(select(AuditEvent.seq).where(AuditEvent.taxpayer_id == taxpayer_id)
                                     .order_by(AuditEvent.seq)).all()
        assert seqs == list(range(1, 46))
        assert verify_chains(get_session())[1] == []


def test_entries_written_before_the_chain_existed_are_chained_by_the_migration(tmp_path):
    url = databases.sqlite_url(tmp_path)
    upgrade(url, "944142d30533")
    from app.db import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO taxpayer (id, identifier, kind, unvan, created_at) VALUES "
                                "(1, '4821307561', 'tuzel', 'ANADOLU', '2026-11-30 10:00:00.000000')"))
        for minute, action in enumerate(["giris", "iptal_talebi_olusturuldu", "giris"]):
            connection.execute(text(
                "INSERT INTO audit_event (taxpayer_id, action, object_type, object_id, certificate_serial, result, "
                "details, created_at) VALUES (1, :action, NULL, NULL, '0A', 'ok', '{\"surucu\": \"SoftHSM\"}', "
                f"'2026-11-30 10:0{minute}:00.123456')"), {"action": action})
    upgrade(url)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        assert verify_chains(session) == (1, [])
        assert session.get(AuditChain, "mukellef:1").length == 3
    engine.dispose()
