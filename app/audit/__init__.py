"""The tamper-evident audit trail: entries appended to per-taxpayer hash chains, and the check of every chain."""

from app.audit.chain import GENESIS_HASH, append, entry_hash
from app.audit.verify import ChainBreak, verify_chains

__all__ = ["GENESIS_HASH", "ChainBreak", "append", "entry_hash", "verify_chains"]
