"""A yevmiye of more than 200 MB is written and read (plain and zipped) in bounded memory.

The file is written by the portal's streaming writer as one part (not split at GİB's 200 MB: other programs'
files reach the reader unsplit).

Each side runs in a child process whose peak RSS (VmHWM) is what the test measures, so the
numbers are the reader's and the writer's, not pytest's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.formats.xbrl.samples import SAMPLE_VKN, entries_for_size

REPO = Path(__file__).resolve().parents[2]
TARGET_BYTES = 210 * 1024 * 1024
RSS_BOUND_MB = 150
ENTRY_COUNT = entries_for_size(TARGET_BYTES)

# The child's own peak: VmHWM belongs to the running program, while ru_maxrss would also count the
# (large) pytest process it was forked from, since Linux carries that high-water mark across exec.
_PEAK_RSS = """
import json, sys
def peak_rss_mb():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
"""

_WRITE = _PEAK_RSS + """
from app.formats.xbrl.samples import sample_company, sample_document, sample_entries, write_yevmiye_file
document = sample_document()
result = write_yevmiye_file(sys.argv[1], sample_company(), document, sample_entries(document, int(sys.argv[2])))
print(json.dumps({"entries": result.entry_count, "rss_mb": peak_rss_mb()}))
"""

_READ = _PEAK_RSS + """
from app.formats.xbrl.yevmiye_reader import read_yevmiye_summary
summary = read_yevmiye_summary(sys.argv[1], expected_owner_id=sys.argv[2])
print(json.dumps({
    "entries": summary.entry_count, "last_counter": summary.last_entry_counter,
    "last_line": summary.last_line_number, "in_zip": summary.in_zip,
    "rss_mb": peak_rss_mb(),
}))
"""


_WRITE_ONE_HUGE_MADDE = """
import sys
from decimal import Decimal
from app.formats.xbrl.model import EntryLine, JournalEntry
from app.formats.xbrl.samples import sample_company, sample_document, write_yevmiye_file
count = int(sys.argv[2])
lines = tuple(EntryLine("120", "ALICILAR", Decimal("1.00"), "D", f"120.{i:06d}", "Müşteri") for i in range(count))
lines += (EntryLine("600", "YURT İÇİ SATIŞLAR", Decimal(count), "C"),)
document = sample_document()
write_yevmiye_file(sys.argv[1], sample_company(), document,
                   [JournalEntry(1, document.period_start, "Muhasebe", "Kapanış", lines)])
print("{}")
"""


def run_child(script: str, *args: str) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.fixture(scope="session")
def large_yevmiye(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    path = tmp_path_factory.mktemp("large-yevmiye") / f"{SAMPLE_VKN}-202403-Y-000001.xml"
    written = run_child(_WRITE, str(path), str(ENTRY_COUNT))
    return path, written


@pytest.mark.slow
def test_writer_produces_a_file_over_200_mb_in_bounded_memory(large_yevmiye: tuple[Path, dict[str, object]]) -> None:
    path, written = large_yevmiye
    assert path.stat().st_size >= 200 * 1024 * 1024
    assert written["entries"] == ENTRY_COUNT
    assert float(written["rss_mb"]) < RSS_BOUND_MB  # type: ignore[arg-type]


@pytest.mark.slow
def test_reader_reads_a_file_over_200_mb_in_bounded_memory(large_yevmiye: tuple[Path, dict[str, object]]) -> None:
    path, _ = large_yevmiye
    read = run_child(_READ, str(path), SAMPLE_VKN)
    assert (read["entries"], read["last_counter"], read["last_line"]) == (ENTRY_COUNT, ENTRY_COUNT, str(3 * ENTRY_COUNT))
    assert float(read["rss_mb"]) < RSS_BOUND_MB, f"peak RSS {read['rss_mb']:.0f} MB"  # type: ignore[arg-type]


@pytest.mark.slow
def test_reader_streams_a_zipped_file_over_200_mb_in_bounded_memory(
    large_yevmiye: tuple[Path, dict[str, object]]
) -> None:
    path, _ = large_yevmiye
    archive_path = path.with_suffix(".zip")
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.write(path, path.name)
    read = run_child(_READ, str(archive_path), SAMPLE_VKN)
    assert read["in_zip"] and read["last_counter"] == ENTRY_COUNT
    assert float(read["rss_mb"]) < RSS_BOUND_MB, f"peak RSS {read['rss_mb']:.0f} MB"  # type: ignore[arg-type]


@pytest.mark.slow
def test_one_madde_of_40_000_lines_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """Kept whole, this 40 MB madde costs ~280 MB of tree; the reader drops each line after the next."""
    path = tmp_path / "kapanis.xml"
    run_child(_WRITE_ONE_HUGE_MADDE, str(path), "40000")
    read = run_child(_READ, str(path), SAMPLE_VKN)
    assert (read["entries"], read["last_line"]) == (1, "40001")
    assert float(read["rss_mb"]) < 100, f"peak RSS {read['rss_mb']:.0f} MB"  # type: ignore[arg-type]
