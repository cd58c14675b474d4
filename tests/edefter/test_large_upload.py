"""A yevmiye of more than 150 MB uploaded through the real form, with the portal's peak memory measured: it is
read whole in bounded memory, then refused because its signature cannot be verified at that size (issue 16).

The portal runs in a child process, reached over HTTP with a session opened by the demo card; the
upload streams from disk, so neither side holds the file. The child reports VmHWM (its own peak RSS):
Linux's ru_maxrss carries the parent's peak over fork/exec, so it would measure pytest, not the portal.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from app.formats.xbrl.samples import entries_for_size, sample_company, sample_document, sample_entries
from app.formats.xbrl.writer import write_yevmiye
from tests.edefter.conftest import settings_form

REPO = Path(__file__).resolve().parents[2]
FILE_BYTES = 160 * 1024 * 1024
RSS_BOUND_MB = 150  # below the file's own size: the portal cannot have held it
BOUNDARY = "----edefter-buyuk-yevmiye"

_PORTAL = """
import json, sys
from app import create_app
from app.migrate import upgrade
from tests.fixtures.browser import serve
url, instance, softhsm_conf, anchors = sys.argv[1:5]
upgrade(url)
app = create_app({"MODE": "test", "DATABASE_URL": url, "INSTANCE_PATH": instance, "WTF_CSRF_ENABLED": False,
                  "SOFTHSM2_CONF": softhsm_conf, "TRUST_ANCHORS": anchors})
server, thread, base_url = serve(app)
print(base_url, flush=True)
sys.stdin.readline()
server.shutdown()
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rss_mb": peak_kb / 1024}), flush=True)
"""


def write_multipart_body(path: Path, owner_id: str) -> int:
    """The form (sube="", dosya=a yevmiye of ~FILE_BYTES) as a multipart body on disk; returns the madde count."""
    document = sample_document()
    count = entries_for_size(FILE_BYTES)
    with open(path, "wb") as body:
        body.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="sube"\r\n\r\n\r\n'.encode())
        body.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="dosya"; filename="{owner_id}-202403-Y-000001.xml"'
                   f"\r\nContent-Type: application/xml\r\n\r\n".encode())
        write_yevmiye(body, sample_company(owner_id), document, sample_entries(document, count))
        body.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return count


@pytest.mark.slow
def test_a_160_mb_yevmiye_is_read_in_bounded_memory_and_refused_unverified(demo_pki, tmp_path):
    anadolu = demo_pki.token("anadolu")
    body = tmp_path / "upload.multipart"
    count = write_multipart_body(body, anadolu.owner_id)
    assert body.stat().st_size > FILE_BYTES
    portal = subprocess.Popen(
        [sys.executable, "-c", _PORTAL, f"sqlite:///{tmp_path / 'portal.sqlite3'}", str(tmp_path / "instance"),
         str(demo_pki.softhsm_conf), str(demo_pki.ca_cert_path)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        base_url = portal.stdout.readline().strip()
        assert base_url.startswith("http://"), portal.stderr.read()
        with requests.Session() as http:
            http.get(f"{base_url}/giris/", timeout=30)
            login = http.post(f"{base_url}/giris/", data={"surucu": "SoftHSM", "kart": anadolu.label,
                                                         "sifre": anadolu.pin}, timeout=60, allow_redirects=False)
            assert login.status_code == 303
            saved = http.post(f"{base_url}/edefter/firma-ayarlari", data=settings_form(), timeout=30,
                              allow_redirects=False)
            assert saved.status_code == 303
            with open(body, "rb") as stream:
                response = http.post(f"{base_url}/edefter/yevmiye-dogrulama", data=stream, timeout=600,
                                     headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
        page = response.text
        # Read whole (GİB's rules hold), then refused: a file too large to verify today sets no numbering (issue 16).
        assert response.status_code == 422, page[-2000:]
        assert "8 MB sınırından büyük olduğu için imzası kontrol edilemedi" in page
        assert "Yevmiye numaralandırması 1&#39;den başlayacak." in page or "Yevmiye numaralandırması 1'den başlayacak." in page
        assert f"madde numarası {count + 1}" not in page
        portal.stdin.write("done\n")
        portal.stdin.flush()
        measured = json.loads(portal.stdout.readline())
    finally:
        portal.kill()
        portal.wait(10)
        portal.stdout.close()
        portal.stderr.close()
        portal.stdin.close()
    assert measured["rss_mb"] < RSS_BOUND_MB, measured
