"""A signed yevmiye of any size written straight to disk with the portal's own stream writer and signer (as
Defter Oluştur does), for a branch or a period the creation fixture does not make, and for the large-file test."""

from __future__ import annotations

import contextlib
from pathlib import Path

from app.formats.xbrl.canonical import DECLARATION, root_start
from app.formats.xbrl.defter_stream import ROOT, ROOT_END, write_yevmiye_parts
from app.formats.xbrl.model import Branch
from app.formats.xbrl.samples import entries_for_size, sample_company, sample_document, sample_entries
from app.signing.act import signing_act
from app.signing.streamed import PreparedDocument, sign_prepared, write_signed


def signed_yevmiye(path: Path, pki, owner_key: str, *, year: int = 2023, month: int = 12,  # type: ignore[no-untyped-def]
                   count: int = 20, target_bytes: int | None = None, branch: Branch | None = None) -> Path:
    """Write a one-part yevmiye of ``count`` maddeler (or about ``target_bytes``), signed on ``owner_key``'s card."""
    token = pki.token(owner_key)
    document = sample_document(year, month)
    if target_bytes is not None:
        count = entries_for_size(target_bytes)
    unsigned = path.with_suffix(".unsigned")

    @contextlib.contextmanager
    def open_part(index: int):  # type: ignore[no-untyped-def]
        with open(unsigned, "wb") as handle:
            yield handle

    [part] = write_yevmiye_parts(open_part, sample_company(token.owner_id, branch=branch, year=year), document,
                                 sample_entries(document, count), first_entry_counter=1,
                                 max_part_bytes=max(2 * (target_bytes or 0), 64 * 1024 * 1024))
    prepared = PreparedDocument(part.digest, root_start(ROOT).encode(), ROOT_END)
    with signing_act(pki.module_path, token.label, token.pin) as act:
        signature = sign_prepared(act, prepared, signature_id="Signature_YEV")
    with open(path, "wb") as target, open(unsigned, "rb") as source:
        target.write(source.read(len(DECLARATION)))
        write_signed(source, part.size - len(DECLARATION), prepared, signature, target)
    unsigned.unlink()
    return path
