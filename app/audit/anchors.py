"""Anchors outside the database: each chain's length and last hash, written to a file another system keeps.

The chain check finds any change that leaves a later entry or the head row behind; someone who rewrites a chain
from an entry onwards, head row included, leaves nothing inside the database to compare with. An anchor taken
earlier (``flask audit anchor``, from cron, the file copied or mailed elsewhere) still names the hash the entry at
that position had, so the rewrite shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.models.audit import AuditChain, AuditEvent


@dataclass(frozen=True)
class AnchorBreak:
    """An anchored position whose entry is gone or no longer what it was."""

    taken_at: str
    chain: str
    seq: int
    reason: str

    @property
    def message(self) -> str:
        return f"{self.chain} zincirinin {self.seq}. kaydı ({self.taken_at} tarihli dayanağa göre): {self.reason}"


def current_anchor(session: Session) -> dict[str, object]:
    """Every chain's length and last hash now, as one JSON-able record."""
    heads = session.execute(select(AuditChain.key, AuditChain.length, AuditChain.head_hash).order_by(AuditChain.key))
    return {
        "alindi": utcnow().isoformat(timespec="seconds"),
        "zincirler": {key: {"uzunluk": length, "ozet": head_hash} for key, length, head_hash in heads if length},
    }


def append_anchor(session: Session, path: Path) -> dict[str, object]:
    """Add the current anchor as one line at the end of ``path`` (earlier lines are never rewritten)."""
    anchor = current_anchor(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(anchor, ensure_ascii=False, sort_keys=True) + "\n")
    return anchor


class AnchorFileError(ValueError):
    """The anchor file cannot be read as anchors: it is not trusted, so nothing is concluded from it."""


def _read_anchors(path: Path) -> Iterator[tuple[str, dict[str, dict[str, object]]]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield str(record["alindi"]), dict(record["zincirler"])
            except (ValueError, KeyError, TypeError) as exc:
                raise AnchorFileError(f"{path} dosyasının {number}. satırı bir dayanak kaydı değil.") from exc


def check_anchors(session: Session, path: Path) -> tuple[int, list[AnchorBreak]]:
    """Compare every anchored position with the database; the first break of each chain is named."""
    checked, breaks, broken_chains = 0, [], set()
    for taken_at, chains in _read_anchors(path):
        for key, position in sorted(chains.items()):
            if key in broken_chains:
                continue
            try:
                seq, anchored_hash = int(position["uzunluk"]), str(position["ozet"])  # type: ignore[call-overload]
            except (KeyError, TypeError, ValueError) as exc:
                raise AnchorFileError(f"{taken_at} tarihli dayanakta {key} zinciri okunamadı.") from exc
            checked += 1
            found = session.scalar(select(AuditEvent.entry_hash).where(AuditEvent.chain == key, AuditEvent.seq == seq))
            reason = None
            if found is None:
                reason = "kayıt yok: zincir dayanaktan sonra kısaltılmış."
            elif found != anchored_hash:
                reason = "özet dayanaktakiyle aynı değil: zincir bu kayıttan önce ya da bu kayıtta yeniden yazılmış."
            if reason:
                breaks.append(AnchorBreak(taken_at, key, seq, reason))
                broken_chains.add(key)
    return checked, breaks
