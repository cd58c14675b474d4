"""The tamper-evident audit trail: entries appended to per-taxpayer hash chains, and the check of every chain."""

from app.audit.anchors import AnchorBreak, AnchorFileError, append_anchor, check_anchors
from app.audit.chain import GENESIS_HASH, append, entry_hash
from app.audit.verify import ChainBreak, verify_chains

__all__ = [
    "GENESIS_HASH",
    "AnchorBreak",
    "AnchorFileError",
    "ChainBreak",
    "append",
    "append_anchor",
    "check_anchors",
    "entry_hash",
    "verify_chains",
]
