"""A signed yevmiye of tens of MB, zipped, is unpacked, read, validated against GİB's XSD, checked against GİB's
yevmiye rules and its signature verified by the archive's checks in bounded memory.

The checks run in a child process that reports its own peak RSS (VmHWM) before and after: Linux's ru_maxrss
carries the parent's peak over fork/exec, so it would measure pytest."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.edefter_archive.conftest import XSD_DIR
from tests.edefter_archive.files import signed_yevmiye

REPO = Path(__file__).resolve().parents[2]
FILE_BYTES = 60 * 1024 * 1024
RSS_GROWTH_BOUND_MB = 35  # well below the file's size: the checks cannot have held it

_CHILD = """
import json, sys
from datetime import date
from pathlib import Path
from cryptography import x509
from app.edefter.archive.members import opened
from app.edefter.archive.reading import Context, examine, gib_schema

upload, owner, anchor, xsd = sys.argv[1:5]
def peak():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
anchors = [x509.load_pem_x509_certificate(Path(anchor).read_bytes())]
gib_schema(xsd)  # the schema is a fixed cost, loaded before the mark
context = Context(owner_id=owner, branch_codes=frozenset(), anchors=anchors, today=date(2026, 12, 2),
                  max_bytes=1024 ** 3, xsd_dir=xsd)
before = peak()
with opened(Path(upload), "buyuk.zip", context.max_bytes) as (total, members):
    results = [examine(member.path, context) for member in members]
print(json.dumps({"before": before, "after": peak(), "total": total, "kind": results[0].kind.value,
                  "last": results[0].last_entry_counter, "checks": results[0].checks}))
"""


def test_a_zipped_yevmiye_of_tens_of_mb_is_checked_in_bounded_memory(demo_pki, tmp_path):  # type: ignore[no-untyped-def]
    yevmiye = signed_yevmiye(tmp_path / "buyuk.xml", demo_pki, "anadolu", target_bytes=FILE_BYTES)
    assert yevmiye.stat().st_size > FILE_BYTES * 0.9
    upload = tmp_path / "buyuk.zip"
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(yevmiye, yevmiye.name)
    yevmiye.unlink()
    owner = demo_pki.token("anadolu").owner_id

    child = subprocess.run([sys.executable, "-c", _CHILD, str(upload), owner, str(demo_pki.ca_cert_path), str(XSD_DIR)],
                           cwd=REPO, capture_output=True, text=True, timeout=600)

    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert (result["total"], result["kind"]) == (1, "Y")
    assert result["last"] > 10_000 and "İmza geçerli" in result["checks"] and "GİB XSD'sine uygun" in result["checks"]
    growth = result["after"] - result["before"]
    assert growth < RSS_GROWTH_BOUND_MB, f"peak RSS grew by {growth:.0f} MB for a {FILE_BYTES >> 20} MB file"


_FLOOD_CHILD = """
import json, sys
from datetime import date
from pathlib import Path
from app.edefter.archive.reading import Context, examine
from app.edefter.archive.rules import FileRefused

def peak():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
context = Context(owner_id="1234567890", branch_codes=frozenset(), anchors=[], today=date(2026, 12, 2),
                  max_bytes=1024 ** 3)  # no XSD folder (the default): nothing refuses the flood early
before = peak()
try:
    examine(Path(sys.argv[1]), context)
    reason = ""
except FileRefused as refused:
    reason = refused.message
print(json.dumps({"before": before, "after": peak(), "reason": reason}))
"""


def test_a_file_of_millions_of_unknown_elements_is_read_in_bounded_memory(tmp_path):  # type: ignore[no-untyped-def]
    flood = tmp_path / "sel.xml"
    with flood.open("wb") as out:  # 24 MB of empty elements: about 800 MB once held as a tree
        out.write(b'<edefter:defter xmlns:edefter="http://www.edefter.gov.tr">')
        for _ in range(500):
            out.write(b"<x/>" * 12_500)
        out.write(b"</edefter:defter>")

    child = subprocess.run([sys.executable, "-c", _FLOOD_CHILD, str(flood)], cwd=REPO, capture_output=True, text=True,
                           timeout=600)

    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert "gl-cor:entriesType" in result["reason"]  # refused as not a defter, after reading it all
    growth = result["after"] - result["before"]
    assert growth < RSS_GROWTH_BOUND_MB, f"peak RSS grew by {growth:.0f} MB for a 24 MB file"


def test_an_unproven_yevmiye_is_not_read_a_second_time_so_a_flood_in_it_stays_flat(demo_pki, tmp_path):  # type: ignore[no-untyped-def]
    yevmiye = signed_yevmiye(tmp_path / "yevmiye.xml", demo_pki, "anadolu").read_bytes()
    end = b"</gl-cor:accountingEntries>"
    assert yevmiye.count(end) == 1
    flood = tmp_path / "sel.xml"  # the taxpayer's header, 12 MB of unknown elements added after signing
    with flood.open("wb") as out:
        head, tail = yevmiye.split(end)
        out.write(head)
        for _ in range(250):
            out.write(b"<x/>" * 12_500)
        out.write(end + tail)
    child_code = _FLOOD_CHILD.replace('owner_id="1234567890"', f'owner_id="{demo_pki.token("anadolu").owner_id}"')

    child = subprocess.run([sys.executable, "-c", child_code, str(flood)], cwd=REPO, capture_output=True, text=True,
                           timeout=600)

    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["reason"].startswith("İmza doğrulanamadı"), result["reason"]
    growth = result["after"] - result["before"]
    assert growth < RSS_GROWTH_BOUND_MB, f"peak RSS grew by {growth:.0f} MB for a 12 MB flood"
