"""A signed yevmiye of more than 150 MB uploaded through the real form, with the portal's peak memory measured: it
is read whole and its signature verified, streaming, in bounded memory (issue 13, decision 0112; until then a
file this size was refused unverified, issue 16).

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

from app.formats.xbrl.samples import (
    entries_for_size,
    sample_company,
    sample_document,
    sample_entries,
    write_yevmiye_file,
)
from tests.edefter.conftest import settings_form

REPO = Path(__file__).resolve().parents[2]
FILE_BYTES = 160 * 1024 * 1024
RSS_GROWTH_BOUND_MB = 40  # far below the file's own size: the portal cannot have held it
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
sys.stdin.readline()  # "mark": the peak before the upload (app, database, card login already in memory)
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")), flush=True)
sys.stdin.readline()
server.shutdown()
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rss_mb": peak_kb / 1024}), flush=True)
"""


def write_multipart_body(path: Path, owner_id: str, pki) -> int:  # type: ignore[no-untyped-def]
    """The form (sube="", dosya=a yevmiye of ~FILE_BYTES signed with the owner's demo card) as a multipart body
    on disk; returns the madde count. Signed as the portal signs a part: from the digest the writer computed."""
    from app.formats.xbrl.canonical import DECLARATION, root_start
    from app.formats.xbrl.defter_stream import ROOT, ROOT_END
    from app.signing.act import signing_act
    from app.signing.streamed import PreparedDocument, sign_prepared, write_signed

    document = sample_document()
    count = entries_for_size(FILE_BYTES)
    unsigned = path.with_suffix(".unsigned.xml")
    part = write_yevmiye_file(unsigned, sample_company(owner_id), document, sample_entries(document, count))
    prepared = PreparedDocument(part.digest, root_start(ROOT).encode(), ROOT_END)
    token = pki.token(owner_id)
    with signing_act(pki.module_path, token.label, token.pin) as act:
        signature = sign_prepared(act, prepared, signature_id="Signature_YEV")
    with open(path, "wb") as body, open(unsigned, "rb") as source:
        body.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="sube"\r\n\r\n\r\n'.encode())
        body.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="dosya"; filename="{owner_id}-202403-Y-000001.xml"'
                   f"\r\nContent-Type: application/xml\r\n\r\n".encode())
        body.write(source.read(len(DECLARATION)))
        write_signed(source, part.size - len(DECLARATION), prepared, signature, body)
        body.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    unsigned.unlink()
    return count


@pytest.mark.slow
def test_a_160_mb_signed_yevmiye_is_read_and_verified_in_bounded_memory(demo_pki, tmp_path):
    anadolu = demo_pki.token("anadolu")
    body = tmp_path / "upload.multipart"
    count = write_multipart_body(body, anadolu.owner_id, demo_pki)
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
            portal.stdin.write("mark\n")
            portal.stdin.flush()
            before_mb = int(portal.stdout.readline()) / 1024
            with open(body, "rb") as stream:
                response = http.post(f"{base_url}/edefter/yevmiye-dogrulama", data=stream, timeout=600,
                                     headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
        page = response.text
        # Read whole (GİB's rules hold) and its signature verified streaming: the numbering continues after it.
        assert response.status_code == 200, page[-2000:]
        assert f"Sonraki yevmiye madde numarası {count + 1}" in page
        portal.stdin.write("done\n")
        portal.stdin.flush()
        measured = json.loads(portal.stdout.readline())
    finally:
        portal.kill()
        portal.wait(10)
        portal.stdout.close()
        portal.stderr.close()
        portal.stdin.close()
    # The bound is on what the upload adds: the process itself (app, drivers, card login) is ~150 MB already.
    assert measured["rss_mb"] - before_mb < RSS_GROWTH_BOUND_MB, (before_mb, measured)
