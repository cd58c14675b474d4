"""GİB's rules on a written part, before it is signed: the portal's own streaming reader (GIB-FORMATS §4.1,
``app.formats.xbrl.yevmiye_reader``) on every yevmiye part, and GİB's compiled schematron where an office
configured it (``PORTAL_EDEFTER_SCHEMATRON_DIR``; SaxonC-HE holds the file in memory, so it is opt-in)."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from app.formats.xbrl.errors import YevmiyeReadError
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary

log = logging.getLogger(__name__)

_STYLESHEETS = {"Y": "edefter_yevmiye.xsl", "K": "edefter_kebir.xsl", "YB": "edefter_berat.xsl",
                "KB": "edefter_berat.xsl"}
_SIGNED_STYLESHEETS = {code: name.replace(".xsl", "_with_ds.xsl") for code, name in _STYLESHEETS.items()}


def check_part(path: Path, code: str, identifier: str, branch_code: str) -> list[str]:
    """The rules a part breaks (Turkish, each naming where), or an empty list."""
    problems: list[str] = []
    if code == "Y":
        try:
            read_yevmiye_summary(path, max_bytes=path.stat().st_size + 1, expected_owner_id=identifier,
                                 expected_branch_code=branch_code or None)
        except YevmiyeReadError as error:
            problems.append(f"{path.name}: {error.message}")
    problems += schematron_problems(path, code, signed=False)
    return problems


def schematron_problems(path: Path, code: str, *, signed: bool) -> list[str]:
    folder = current_app.config.get("EDEFTER_SCHEMATRON_DIR") or ""
    name = (_SIGNED_STYLESHEETS if signed else _STYLESHEETS).get(code)
    if not folder or name is None:
        return []
    stylesheet = Path(folder) / name
    if not stylesheet.exists():
        return [f"GİB şematron dosyası bulunamadı: {stylesheet}"]
    from app.formats.xbrl.schematron import run_schematron

    return [f"{code} ({path.name}): {message}" for message in run_schematron(stylesheet, path)]
