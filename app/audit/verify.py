"""The chain check: every entry's hash, its link to the one before, and the head's length and last hash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.chain import GENESIS_HASH, entry_hash
from app.models.audit import AuditChain, AuditEvent

_BATCH = 2000


@dataclass(frozen=True)
class ChainBreak:
    """The first place where a chain is not what it was when written."""

    chain: str
    seq: int
    event_id: int | None
    reason: str

    @property
    def message(self) -> str:
        where = f"{self.chain} zincirinin {self.seq}. kaydı"
        if self.event_id is not None:
            where += f" (kayıt no {self.event_id})"
        return f"{where}: {self.reason}"


def _entries(session: Session, chain: str) -> Iterator[AuditEvent]:
    """The chain's entries in order, read in batches so a long chain is not held in memory."""
    last_seq = 0
    while True:
        batch = session.scalars(
            select(AuditEvent).where(AuditEvent.chain == chain, AuditEvent.seq > last_seq)
            .order_by(AuditEvent.seq).limit(_BATCH)
        ).all()
        if not batch:
            return
        yield from batch
        last_seq = batch[-1].seq
        for event in batch:  # only ours: the caller's other objects (the logged-in user) stay attached
            session.expunge(event)


def _check_chain(session: Session, chain: str, head: AuditChain | None) -> ChainBreak | None:
    expected_seq, prev = 1, GENESIS_HASH
    for event in _entries(session, chain):
        if event.seq != expected_seq:
            return ChainBreak(chain, expected_seq, None, "kayıt silinmiş (sıra numarası atlanıyor).")
        if event.prev_hash != prev:
            return ChainBreak(chain, event.seq, event.id, "önceki kaydın özeti tutmuyor (araya kayıt eklenmiş ya da silinmiş).")
        if entry_hash(event) != event.entry_hash:
            return ChainBreak(chain, event.seq, event.id, "kayıt yazıldıktan sonra değiştirilmiş (özet tutmuyor).")
        prev, expected_seq = event.entry_hash, expected_seq + 1
    length = expected_seq - 1
    if head is None:
        return ChainBreak(chain, length, None, "zincir başı kaydı yok.") if length else None
    if head.length > length:
        return ChainBreak(chain, length + 1, None, f"son kayıtlar silinmiş (zincirde {head.length} kayıt olmalı, {length} var).")
    if head.length < length or head.head_hash != prev:
        return ChainBreak(chain, length, None, "zincir başı ile son kayıt uyuşmuyor.")
    return None


def verify_chains(session: Session, chain: str | None = None) -> tuple[int, list[ChainBreak]]:
    """Check every chain (or one); returns how many chains were checked and the first break of each broken one."""
    heads = {head.key: head for head in session.scalars(select(AuditChain)).all()}
    keys = set(heads) | set(session.scalars(select(AuditEvent.chain).distinct()).all())
    if chain is not None:
        keys = {chain}
    breaks = []
    for key in sorted(keys):
        found = _check_chain(session, key, heads.get(key))
        if found is not None:
            breaks.append(found)
    return len(keys), breaks
