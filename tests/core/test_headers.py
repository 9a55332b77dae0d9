"""Finding 4 (headers): a Content-Security-Policy with no inline script on every page, and the other headers.

The CSP forbids inline scripts, so a template with one would silently break in the browser: the scan below fails on
any inline <script>, inline event handler attribute (onclick=...) or javascript: URL, in every template and in the
HTML that views write in Python."""

import re
from pathlib import Path

import pytest

from dondoc.core.headers import CONTENT_SECURITY_POLICY
from tests.test_permissions import PAGES, objects  # noqa: F401  (the permission table and its fixture)

SRC = Path(__file__).resolve().parents[2] / "src" / "dondoc"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json[\"'])[^>]*>", re.I)
HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=\s*["'{]""", re.I | re.S)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def inline_code(text: str) -> list[str]:
    return [m.group(0)[:80] for pattern in (INLINE_SCRIPT, HANDLER, JS_URL) for m in pattern.finditer(text)]


@pytest.mark.nodb
def test_the_scan_finds_inline_code():
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<button onclick="return confirm(1)">')
    assert inline_code("<a href=\"javascript:void(0)\">")
    assert inline_code('<img src=x onerror="x()">')
    assert not inline_code('<script src="/static/a.js" defer></script><script type="application/json" id="s">{}</script>')
    assert not inline_code('<button data-confirm="Tiếp tục?">')


@pytest.mark.nodb
def test_no_template_and_no_python_built_html_has_inline_code():
    found = {}
    files = [*SRC.rglob("*.html"), *(p for p in SRC.rglob("*.py") if "parsing" not in p.parts)]
    for path in files:
        hits = inline_code(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(SRC))] = hits
    assert not found, f"inline scripts or event handlers (move them to a static file): {found}"


@pytest.mark.nodb
def test_the_policy():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def _assert_headers(response, where):
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, where
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"], where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    if response["Content-Type"].startswith("text/html"):
        assert not inline_code(response.content.decode()), where


def test_every_page_carries_the_headers(client, users, objects):
    """Every page of the permission table, as a role that may open it, and the pages everyone can reach."""
    for name, (build, allowed) in sorted(PAGES.items()):
        role = sorted(allowed)[0]
        client.force_login(users[role])
        response = client.get(build(objects))
        assert response.status_code == 200, name
        _assert_headers(response, name)
    for url in ("/api/v1/docs", "/khong-co-trang-nay/", "/quan-tri/"):  # the API docs, a 404, a 403 (focal)
        client.force_login(users["focal"])
        _assert_headers(client.get(url), url)
    client.logout()
    _assert_headers(client.get("/dang-nhap/"), "login")

