"""An offline intranet has no CDN: every asset comes from the portal itself."""

import re
from pathlib import Path

import app as app_package

APP_DIR = Path(app_package.__file__).parent
EXTERNAL = re.compile(r"""(?:src|href|action|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(?:https?:)?//""", re.IGNORECASE)


def own_files():
    for folder in ("templates", "static"):
        for path in (APP_DIR / folder).rglob("*"):
            if path.is_file() and "vendor" not in path.parts and path.suffix in {".html", ".css", ".js", ".svg"}:
                yield path


def test_no_template_or_static_file_loads_from_another_host():
    offenders = []
    for path in own_files():
        text = path.read_text(encoding="utf-8")
        for pattern in (EXTERNAL, IMPORT):
            offenders += [f"{path.relative_to(APP_DIR)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_check_would_catch_a_cdn_script():
    assert EXTERNAL.search('<script src="https://unpkg.com/htmx.org"></script>')
    assert EXTERNAL.search("<link href='//cdn.example/x.css'>")
    assert IMPORT.search("@import url(https://fonts.example/css);")


def test_htmx_is_served_by_the_app_and_pinned_to_2_0(client):
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200, "run the setup script: htmx comes from npm (package.json)"
    assert b'version:"2.0.' in response.data.replace(b" ", b"")
    response.close()


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/giris/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_style_in_templates():
    offenders = []
    for path in own_files():
        if path.suffix != ".html":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=|<style", text)]
    assert offenders == []
