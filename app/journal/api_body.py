"""The API's batch body (``{"maddeler": [{…, "satirlar": [{…}]}]}``) → ``RawEntry`` values with JSON pointers.

The shape is checked here (objects, lists, known keys, bounded sizes); the values by ``app.journal.rules``, the
same rules a spreadsheet row meets. Amounts may be JSON numbers (read exactly, as decimals) or text.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Final

from app.journal.fields import ENTERED_BY, ENTRY_COMMENT, ENTRY_DATE, ENTRY_NUMBER, LINE_FIELD_NAMES
from app.journal.intake import RawEntry
from app.journal.problems import MAX_PROBLEMS, JournalRefused, JsonPlace, Problem

MAX_ENTRIES: Final = 10_000
MAX_LINES_PER_ENTRY: Final = 5_000
MAX_BODY_BYTES: Final = 32 * 1024 * 1024
ENTRY_KEYS: Final = frozenset({ENTRY_NUMBER.name, ENTRY_DATE.name, ENTERED_BY.name, ENTRY_COMMENT.name, "satirlar"})
LINE_KEYS: Final = frozenset(LINE_FIELD_NAMES)


def check_length(content_length: int | None) -> None:
    """Refuse a body announced too large before reading it."""
    if content_length is not None and content_length > MAX_BODY_BYTES:
        raise JournalRefused(f"İstek gövdesi en fazla {MAX_BODY_BYTES // 1024 // 1024} MB olabilir; maddeleri "
                             "birkaç gönderime bölünüz.", status=413)


def parse_body(raw: bytes) -> list[RawEntry]:
    """The body's entries, or JournalRefused (400 for what is not JSON, 422 with pointers for a wrong shape)."""
    if len(raw) > MAX_BODY_BYTES:
        raise JournalRefused(f"İstek gövdesi en fazla {MAX_BODY_BYTES // 1024 // 1024} MB olabilir; maddeleri "
                             "birkaç gönderime bölünüz.", status=413)
    try:
        body = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise JournalRefused("İstek gövdesi geçerli bir UTF-8 JSON belgesi değil.", status=400) from None
    if not isinstance(body, dict):
        raise JournalRefused("İstek gövdesi bir JSON nesnesi olmalıdır: {\"maddeler\": [...]}.", status=422)
    problems: list[Problem] = []
    unknown = sorted(str(key)[:40] for key in body if key != "maddeler")
    if unknown:
        problems.append(Problem(f"Bilinmeyen alan: {', '.join(unknown[:5])}.", pointer=f"/{unknown[0]}"))
    entries = body.get("maddeler")
    if not isinstance(entries, list) or not entries:
        problems.append(Problem("'maddeler' en az bir madde içeren bir liste olmalıdır.", pointer="/maddeler"))
        raise JournalRefused("İstek gövdesi beklenen biçimde değil.", problems)
    if len(entries) > MAX_ENTRIES:
        raise JournalRefused(f"Bir gönderimde en fazla {MAX_ENTRIES} madde olabilir ({len(entries)} madde var).",
                             [Problem("Çok fazla madde.", pointer="/maddeler")], status=413)
    found = [_entry(index, value, problems) for index, value in enumerate(entries)]
    if problems:
        raise JournalRefused("İstek gövdesi beklenen biçimde değil; hiçbir kayıt alınmadı.", problems[:MAX_PROBLEMS],
                             max(0, len(problems) - MAX_PROBLEMS))
    return [entry for entry in found if entry is not None]


def _entry(index: int, value: Any, problems: list[Problem]) -> RawEntry | None:
    if not isinstance(value, dict):
        problems.append(JsonPlace(index).problem("Madde bir JSON nesnesi olmalıdır."))
        return None
    number = value.get(ENTRY_NUMBER.name)
    place = JsonPlace(index, entry_number=number if isinstance(number, str) else None)
    for key in sorted(str(key) for key in value if key not in ENTRY_KEYS)[:5]:
        problems.append(place.problem(f"Bilinmeyen alan: {key[:40]}.", key[:40]))
    lines = value.get("satirlar")
    if not isinstance(lines, list):
        problems.append(place.problem("'satirlar' bir liste olmalıdır.", "satirlar"))
        return None
    if len(lines) > MAX_LINES_PER_ENTRY:
        problems.append(place.problem(f"Bir maddede en fazla {MAX_LINES_PER_ENTRY} satır olabilir.", "satirlar"))
        return None
    raw = RawEntry({key: value.get(key) for key in ENTRY_KEYS if key != "satirlar"}, place, [])
    for line_index, line in enumerate(lines):
        line_place = JsonPlace(index, line_index, place.entry_number)
        if not isinstance(line, dict):
            problems.append(line_place.problem("Satır bir JSON nesnesi olmalıdır."))
            continue
        for key in sorted(str(key) for key in line if key not in LINE_KEYS)[:5]:
            problems.append(line_place.problem(f"Bilinmeyen alan: {key[:40]}.", key[:40]))
        raw.lines.append((line, line_place))
    return raw
