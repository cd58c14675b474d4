"""Signing from several threads and from two processes at once: no crash, every signature valid.

Without the process-wide lock SoftHSM crashed the process in 12 of 12 runs (SIGNING-NOTES.md).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

from app.signing.act import signing_act
from app.signing.demo_pki import DemoPKI
from app.signing.verify import verify_signed_xml

SIGNATURES_PER_WORKER = 8


def _sign_batch(pki: DemoPKI, key: str, document: bytes, count: int) -> list[bytes]:
    token = pki.token(key)
    signed = []
    for _ in range(count):  # one act per signature: login, sign, logout, as separate page requests do
        with signing_act(pki.module_path, token.label, token.pin) as act:
            signed.append(act.sign_enveloped(document))
    return signed


def test_threads_signing_on_the_same_and_on_different_tokens(demo_pki, invoice):
    keys = ["anadolu", "anadolu", "ege", "ayse", "marmara", "gib"]
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        batches = list(pool.map(lambda key: _sign_batch(demo_pki, key, invoice, SIGNATURES_PER_WORKER), keys))

    for key, batch in zip(keys, batches):
        assert len(batch) == SIGNATURES_PER_WORKER
        for signed in batch:
            result = verify_signed_xml(signed, demo_pki.trust_anchors(), expected_owner_id=demo_pki.token(key).owner_id)
            assert result.ok, result.message


def _sign_in_child(pki: DemoPKI, key: str, document: bytes, queue: multiprocessing.Queue) -> None:
    try:
        queue.put((key, _sign_batch(pki, key, document, SIGNATURES_PER_WORKER)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        queue.put((key, repr(exc)))


def test_two_forked_processes_sign_at_once_after_the_parent_used_the_token(demo_pki, invoice):
    """Like gunicorn workers: the parent had the module initialised; each child must initialise it again."""
    _sign_batch(demo_pki, "anadolu", invoice, 1)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_sign_in_child, args=(demo_pki, key, invoice, queue)) for key in ("anadolu", "ege")]
    for child in children:
        child.start()
    results = dict(queue.get(timeout=120) for _ in children)
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0

    for key in ("anadolu", "ege"):
        assert isinstance(results[key], list), results[key]
        assert all(verify_signed_xml(signed, demo_pki.trust_anchors()).ok for signed in results[key])
    assert _sign_batch(demo_pki, "ege", invoice, 1)  # the parent still signs afterwards
