"""Issue 16: the request limit and the yevmiye limit agree; the smaller is in force and the settings say which."""

from __future__ import annotations

from app.config import finish, load_settings

MB = 1024 * 1024


def settings(tmp_path, **environ: str) -> dict:
    return finish(load_settings({f"PORTAL_{name}": value for name, value in environ.items()}, {"MODE": "test"}), tmp_path)


def test_by_default_both_limits_are_512_mb(tmp_path):
    config = settings(tmp_path)
    assert config["MAX_CONTENT_LENGTH"] == config["EDEFTER_YEVMIYE_MAX_BYTES"] == 512 * MB
    assert config["EDEFTER_YEVMIYE_LIMIT_SETTING"] == "PORTAL_EDEFTER_YEVMIYE_MAX_MB"


def test_a_yevmiye_limit_above_the_request_limit_is_not_silently_unreachable(tmp_path):
    config = settings(tmp_path, EDEFTER_YEVMIYE_MAX_MB="1024")
    assert config["EDEFTER_YEVMIYE_MAX_BYTES"] == 512 * MB
    assert config["EDEFTER_YEVMIYE_LIMIT_SETTING"] == "PORTAL_MAX_UPLOAD_MB"


def test_a_smaller_yevmiye_limit_is_kept(tmp_path):
    config = settings(tmp_path, EDEFTER_YEVMIYE_MAX_MB="100")
    assert config["EDEFTER_YEVMIYE_MAX_BYTES"] == 100 * MB
    assert config["EDEFTER_YEVMIYE_LIMIT_SETTING"] == "PORTAL_EDEFTER_YEVMIYE_MAX_MB"
