"""An anchor kept outside the database finds a chain rewritten from an entry onwards, head row included."""

from __future__ import annotations

from sqlalchemy import select

from app.audit import entry_hash
from app.models import AuditEvent
from app.models.audit import AuditChain, chain_key
from tests.audit.test_chain import check, entries, write_entries


def rewrite_whole_chain_from(db_session, taxpayer_id: int, first_seq: int) -> None:
    """What a forger with database access does: change an entry, recompute every later hash and the head."""
    chain = entries(db_session, taxpayer_id)
    prev = chain[first_seq - 2].entry_hash if first_seq > 1 else "0" * 64
    for event in chain[first_seq - 1:]:
        if event.seq == first_seq:
            event.result = "hata"
        event.prev_hash = prev
        event.entry_hash = prev = entry_hash(event)
    head = db_session.get(AuditChain, chain_key(taxpayer_id))
    head.head_hash = prev
    db_session.commit()


def test_a_full_rewrite_passes_the_chain_check_but_not_the_anchor(app, db_session, taxpayer_factory, tmp_path):
    taxpayer = taxpayer_factory()
    db_session.commit()
    write_entries(app, taxpayer.id, 3)
    anchors = tmp_path / "dayanak.jsonl"
    runner = app.test_cli_runner()
    taken = runner.invoke(args=["audit", "anchor", "--dosya", str(anchors)])
    assert taken.exit_code == 0, taken.output
    assert chain_key(taxpayer.id) in anchors.read_text(encoding="utf-8")
    write_entries(app, taxpayer.id, 2)  # the chain grows after the anchor: still fine

    ok = runner.invoke(args=["audit", "verify", "--dayanak", str(anchors)])
    assert ok.exit_code == 0 and "dayanak konumu tutuyor" in ok.output

    rewrite_whole_chain_from(db_session, taxpayer.id, 2)
    assert check(app)[1] == []  # inside the database nothing shows
    broken = runner.invoke(args=["audit", "verify", "--dayanak", str(anchors)])
    assert broken.exit_code == 1
    assert f"BOZUK: {chain_key(taxpayer.id)} zincirinin 3. kaydı" in broken.output
    assert "yeniden yazılmış" in broken.output


def test_a_chain_cut_below_its_anchor_is_named(app, db_session, taxpayer_factory, tmp_path):
    taxpayer = taxpayer_factory()
    db_session.commit()
    write_entries(app, taxpayer.id, 3)
    anchors = tmp_path / "dayanak.jsonl"
    assert app.test_cli_runner().invoke(args=["audit", "anchor", "--dosya", str(anchors)]).exit_code == 0
    newest = entries(db_session, taxpayer.id)[-1]
    db_session.delete(newest)
    head = db_session.get(AuditChain, chain_key(taxpayer.id))
    head.length, head.head_hash = 2, entries(db_session, taxpayer.id)[1].entry_hash
    db_session.commit()
    broken = app.test_cli_runner().invoke(args=["audit", "verify", "--dayanak", str(anchors)])
    assert broken.exit_code == 1 and "kısaltılmış" in broken.output


def test_an_unreadable_anchor_file_is_refused_not_trusted(app, tmp_path):
    anchors = tmp_path / "dayanak.jsonl"
    anchors.write_text("bu bir dayanak değil\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--dayanak", str(anchors)])
    assert result.exit_code != 0 and "dayanak kaydı değil" in result.output
