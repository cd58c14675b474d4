"""The file store's put_many (decision note 0093): the same names and bytes as put, duplicates written once."""

from __future__ import annotations

import hashlib

from app.storage import LocalFileStore, StoredFileCorrupted


def test_put_many_stores_like_put_and_skips_what_is_there(tmp_path):
    store = LocalFileStore(tmp_path / "depo")
    first = store.put_many([b"<a>1</a>", b"<b>2</b>", b"<a>1</a>"])

    assert [f.sha256 for f in first] == [hashlib.sha256(d).hexdigest() for d in (b"<a>1</a>", b"<b>2</b>", b"<a>1</a>")]
    with store.open(first[1].sha256) as reader:
        assert reader.read() == b"<b>2</b>"
    before = store.path_for(first[0].sha256).stat().st_mtime_ns
    again = store.put_many([b"<a>1</a>"])
    assert again == first[:1] and store.path_for(first[0].sha256).stat().st_mtime_ns == before
    assert not list((tmp_path / "depo" / "tmp").iterdir())  # no temporaries left behind


def test_a_file_put_many_stored_is_checked_when_read(tmp_path):
    store = LocalFileStore(tmp_path / "depo")
    stored = store.put_many([b"<belge/>"])[0]
    path = store.path_for(stored.sha256)
    path.chmod(0o640)
    path.write_bytes(b"<bozuk/>")

    try:
        store.verify(stored.sha256)
    except StoredFileCorrupted:
        pass
    else:
        raise AssertionError("a changed file must not verify")
