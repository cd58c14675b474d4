"""Every act the code records, and every kind of object it names, has a Turkish name on İşlem Geçmişi: an act added
without one would show its raw code to the user."""

from __future__ import annotations

import re
from pathlib import Path

from app.audit.labels import ACTION_LABELS, OBJECT_LABELS

APP = Path(__file__).resolve().parents[2] / "app"
# record("name", …) — also the two names of a conditional: record("a" if … else "b", …)
_RECORDED = re.compile(r'record\(\s*"([a-z_]+)"(?:\s+if\s[^"]+else\s+"([a-z_]+)")?')
# Names made from a request's kind (``f"{request.kind.value}_talebi_silindi"``) are checked for every kind below.
_OBJECT = re.compile(r'object_type="([a-z_]+)"')


def _sources() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in APP.rglob("*.py")]


def test_every_recorded_act_has_a_name() -> None:
    recorded = {name for text in _sources() for match in _RECORDED.finditer(text) for name in match.groups() if name}
    assert len(recorded) > 40  # the scan finds the acts
    assert sorted(recorded - set(ACTION_LABELS)) == []


def test_every_object_kind_has_a_name() -> None:
    named = {name for text in _sources() for name in _OBJECT.findall(text)}
    assert sorted(named - set(OBJECT_LABELS)) == []


def test_names_made_from_a_kind_or_kept_in_constants_have_names_too() -> None:
    from app.edefter.deadlines.warnings import CLOSED, RAISED, REOPENED
    from app.iptal.operations import DECISIONS
    from app.models import RequestKind

    for kind in RequestKind:
        assert f"{kind.value}_talebi" in OBJECT_LABELS
        for ending in ("olusturuldu", "silindi", *(ending for _, _, ending in DECISIONS.values())):
            assert f"{kind.value}_talebi_{ending}" in ACTION_LABELS
    assert {RAISED, CLOSED, REOPENED} <= set(ACTION_LABELS)
