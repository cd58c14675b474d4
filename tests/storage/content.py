"""Deterministic test content as a stream that is read in chunks, optionally slowly (so that puts overlap)."""

from __future__ import annotations

import hashlib
import random
import time

BLOCK = 256 * 1024


class PatternStream:
    """``size`` pseudo-random bytes from ``seed``, at most BLOCK per read, with ``delay`` seconds per read."""

    def __init__(self, size: int, seed: int = 1, delay: float = 0.0) -> None:
        self._random = random.Random(seed)
        self._left = size
        self._delay = delay

    def read(self, size: int = -1) -> bytes:
        count = min(BLOCK, self._left, size if size >= 0 else BLOCK)
        if count <= 0:
            return b""
        if self._delay:
            time.sleep(self._delay)
        self._left -= count
        return self._random.randbytes(count)


def pattern_digest(size: int, seed: int = 1) -> str:
    digest = hashlib.sha256()
    stream = PatternStream(size, seed)
    while block := stream.read(BLOCK):
        digest.update(block)
    return digest.hexdigest()
