"""PORTAL_STORAGE_PATH, the store in the portal's extensions, and a stored file sent to the browser."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from flask import Flask

from app import config, create_app, storage
from app.storage import LocalFileStore, StoredFileCorrupted, StoredFileMissing, file_store
from app.storage.serving import send_stored


def finished(tmp_path: Path, environ: dict[str, str]) -> dict[str, object]:
    return config.finish(config.load_settings(environ={"PORTAL_MODE": "test", **environ}), tmp_path / "instance")


def test_the_store_lives_under_the_instance_folder_unless_a_path_is_set(tmp_path):
    assert finished(tmp_path, {})["STORAGE_PATH"] == str(tmp_path / "instance" / "storage")
    assert finished(tmp_path, {"PORTAL_STORAGE_PATH": "/srv/ebelge/depo"})["STORAGE_PATH"] == "/srv/ebelge/depo"


def test_the_portal_has_a_file_store_and_creates_nothing_until_the_first_put(tmp_path):
    instance = tmp_path / "instance"
    app = create_app({"MODE": "test", "INSTANCE_PATH": str(instance),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}", "GIB_URL": "http://127.0.0.1:9"})
    try:
        with app.app_context():
            store = file_store()
            assert isinstance(store, LocalFileStore) and store.root == instance / "storage"
            assert not store.root.exists()
            key = store.put(io.BytesIO(b"yevmiye")).sha256
            assert store.root.joinpath(key[:2], key[2:4], key).is_file()
    finally:
        app.extensions["ebelge.db"].engine.dispose()


@pytest.fixture
def download_app(store: LocalFileStore) -> Flask:
    """A bare app on the test's store with one download route, as a feature's view would write it."""
    app = Flask(__name__)
    app.config.update(TESTING=True, STORAGE_PATH=str(store.root))
    storage.init_app(app)

    @app.get("/dosya/<key>")
    def download(key: str):
        return send_stored(key, download_name="Yevmiye Ağustos 2024.zip")

    return app


def test_a_stored_file_is_streamed_to_the_browser_with_its_length_and_etag(download_app):
    data = os.urandom(300_000)
    with download_app.app_context():
        key = file_store().put(io.BytesIO(data)).sha256
    client = download_app.test_client()

    response = client.get(f"/dosya/{key}")
    assert response.status_code == 200 and response.data == data
    assert response.content_length == len(data)
    assert response.headers["ETag"] == f'"{key}"'
    assert response.mimetype == "application/zip"
    assert "filename*=UTF-8''Yevmiye%20A%C4%9Fustos%202024.zip" in response.headers["Content-Disposition"]

    assert client.get(f"/dosya/{key}", headers={"If-None-Match": f'"{key}"'}).status_code == 304
    ranged = client.get(f"/dosya/{key}", headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 200 and ranged.data == data  # a part could not be checked: no ranges


def test_a_damaged_file_never_reaches_the_browser_whole(download_app, damage):
    data = os.urandom(300_000)
    with download_app.app_context():
        key = file_store().put(io.BytesIO(data)).sha256
    damage(key, flip_at=len(data) - 1)

    response = download_app.test_client().get(f"/dosya/{key}", buffered=False)
    assert response.status_code == 200  # the headers went before the last byte was read
    received = bytearray()
    with pytest.raises(StoredFileCorrupted):
        for chunk in response.response:
            received += chunk
    response.close()
    assert len(received) < len(data)


def test_a_missing_file_is_the_callers_404(download_app):
    with pytest.raises(StoredFileMissing):
        download_app.test_client().get("/dosya/" + "0" * 64)
