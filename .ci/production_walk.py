"""CI's production walk: the README's production commands on PostgreSQL, then a person's first clicks.

DONDOC_PRODUCTION=1, migrate, collectstatic (manifest storage), load_orgs, createsuperuser, gunicorn (as the README
starts it) and `dondoc worker`; a plan uploaded over the API is parsed by the worker; the login page, one page per
role and one API call answer 200 through what a TLS proxy forwards (X-Forwarded-Proto: https); then
`check --deploy --fail-level WARNING`. Usage: python .ci/production_walk.py POSTGRES_SERVER_URL
(e.g. postgres://postgres@127.0.0.1:54329/postgres). Safe to run twice: it drops and recreates its database.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PASSWORD = secrets.token_urlsafe(16)
PLAN = ROOT / "tests" / "fixtures" / "plan78" / "source.txt"
HOST = "localhost"


def step(message: str) -> None:
    print(f"-- {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Cookies kept by hand: the session cookie is Secure and the walk speaks plain HTTP behind a pretend proxy."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}

    def request(self, path: str, data: dict | None = None, headers: dict | None = None, body: bytes | None = None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(req, timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.read(), response.headers

    def login(self, username: str, totp_key: str | None = None) -> None:
        status, page, _ = self.request("/dang-nhap/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _, headers = self.request("/dang-nhap/", {"csrfmiddlewaretoken": token, "username": username,
                                                          "password": PASSWORD})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login of {username} failed: {status}")
        if "/ma-xac-thuc/" in (headers.get("Location") or ""):
            # the second step, with the code the account's authenticator app would show
            if totp_key is None:
                raise SystemExit(f"{username} is asked for a second factor the walk does not have")
            from django_otp.oath import totp
            status, page, _ = self.request("/dang-nhap/ma-xac-thuc/")
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
            code = f"{totp(bytes.fromhex(totp_key)):06d}"
            status, _, headers = self.request("/dang-nhap/ma-xac-thuc/", {"csrfmiddlewaretoken": token, "code": code})
            if status != 302 or "/ma-xac-thuc/" in (headers.get("Location") or ""):
                raise SystemExit(f"the second factor of {username} was refused: {status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(label: str, status: int, expected: int = 200) -> None:
    print(f"   {label}: {status}", flush=True)
    if status != expected:
        raise SystemExit(f"{label}: expected {expected}, got {status}")


def main() -> int:
    server_url = sys.argv[1]
    parts = urllib.parse.urlsplit(server_url)
    database = parts._replace(path="/dondoc_production_walk").geturl()
    step("fresh database and data directory")
    import psycopg

    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "dondoc_production_walk" WITH (FORCE)')
        conn.execute('CREATE DATABASE "dondoc_production_walk"')
    DATA = Path(tempfile.mkdtemp(prefix="dondoc-production-walk-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env.update(DONDOC_PRODUCTION="1", DONDOC_SECRET_KEY=secrets.token_urlsafe(50), DONDOC_ALLOWED_HOSTS=HOST,
               DONDOC_BASE_URL=f"https://{HOST}", DATABASE_URL=database, DONDOC_DATA_DIR=str(DATA),
               DONDOC_ENV_FILE=os.devnull, DONDOC_EMAIL_HOST="127.0.0.1", DONDOC_EMAIL_PORT="1",
               HOME=str(DATA), XDG_RUNTIME_DIR=str(DATA))

    def dondoc(*args: str, **extra) -> str:
        result = subprocess.run([str(BIN / "dondoc"), *args], env={**env, **extra}, capture_output=True, text=True,
                                timeout=600)
        if result.returncode != 0:
            raise SystemExit(f"dondoc {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result.stdout

    step("the README's production commands: migrate, collectstatic, load_orgs, createsuperuser")
    dondoc("migrate", "--noinput")
    dondoc("collectstatic", "--noinput")
    dondoc("load_orgs")
    dondoc("createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.vn",
           DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    people = {"lanhdao": ("leader", "ubnd-tinh"), "tonghop": ("coordinator", "skhdt"), "xem": ("viewer", None),
              "stc.truong": ("head", "stc"), "stc.canbo": ("focal", "stc")}
    dondoc("shell", "-c", "\n".join([
        "from dondoc.accounts.models import User", "from dondoc.orgs.models import Agency",
        "u = User.objects.get(username='admin'); u.role = 'admin'; u.save()",
        *(f"u = User(username={name!r}, role={role!r}, agency=Agency.objects.get(code={code!r}) if {code!r} else None); "
          f"u.set_password({PASSWORD!r}); u.save()" for name, (role, code) in people.items()),
        "from django.contrib.auth.hashers import make_password",
        f"User.objects.filter(username='admin').update(password=make_password({PASSWORD!r}))"]))
    # the accounts whose role requires a second factor in production (DONDOC_2FA_ROLES) get an enrolled app
    keys = dict(line[4:].split("=", 1) for line in dondoc("shell", "-c", "\n".join([
        "from django.conf import settings", "from django_otp.plugins.otp_totp.models import TOTPDevice",
        "from dondoc.accounts.models import User",
        "for u in User.objects.filter(role__in=settings.TWO_FACTOR_ROLES):",
        "    d = TOTPDevice.objects.create(user=u, name='walk', confirmed=True)",
        "    print(f'2fa:{u.username}={d.key}')"])).split() if line.startswith("2fa:"))
    token = dondoc("token", "tonghop").strip().splitlines()[-1]
    focal_token = dondoc("token", "stc.canbo").strip().splitlines()[-1]

    port = free_port()
    step(f"gunicorn (as the README starts it) on 127.0.0.1:{port}, and a task worker")
    web = subprocess.Popen([str(BIN / "gunicorn"), "dondoc.wsgi:application", "-c", "python:dondoc.gunicorn_conf",
                            "--bind", f"127.0.0.1:{port}", "--workers", "2"], env=env, stdout=subprocess.DEVNULL)
    worker = subprocess.Popen([str(BIN / "dondoc"), "worker"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        browser = Browser(base)
        for _ in range(150):
            try:
                status, page, _ = browser.request("/dang-nhap/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        check("login page", status)
        css = re.search(rb'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]+\.css)"', page)
        if css is None:
            raise SystemExit("the login page does not link the hashed stylesheet of the manifest")
        check("hashed stylesheet", browser.request(css.group(1).decode())[0])
        check("plain http is sent to https", Browser(base).request("/dang-nhap/", headers={"X-Forwarded-Proto": "http"})[0], 301)

        step("a plan uploaded over the API, parsed by the worker, published")
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ke-hoach-78.txt\"\r\n"
                f"Content-Type: text/plain\r\n\r\n").encode() + PLAN.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        api = Browser(base)
        status, answer, _ = api.request("/api/v1/plans/import", body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
        check("POST /api/v1/plans/import", status, 202)
        job = json.loads(answer)["job_id"]
        for _ in range(300):
            status, answer, _ = api.request(f"/api/v1/jobs/{job}", headers={"Authorization": f"Bearer {token}"})
            state = json.loads(answer)
            if state["state"] in ("done", "failed"):
                break
            time.sleep(0.5)
        if state["state"] != "done":
            raise SystemExit(f"the worker did not import the plan: {state}")
        plan = state["plan_id"]
        dondoc("shell", "-c", "from dondoc.plans.actions import do_publish_plan; from dondoc.plans.models import Plan; "
                              f"do_publish_plan(Plan.objects.get(pk={plan}), allow_unresolved=True)")
        status, answer, _ = api.request("/api/v1/plans", headers={"Authorization": f"Bearer {token}"})
        check("GET /api/v1/plans", status)
        if json.loads(answer)["count"] != 1:
            raise SystemExit(f"the API lists {answer!r}")
        status, answer, _ = api.request("/api/v1/me/assignments?page_size=1",
                                        headers={"Authorization": f"Bearer {focal_token}"})
        assignment = json.loads(answer)["items"][0]["id"]

        step("one page per role")
        pages = {"admin": "/quan-tri/", "lanhdao": "/tong-hop/", "tonghop": f"/ke-hoach/{plan}/",
                 "xem": f"/tong-hop/ke-hoach/{plan}/", "stc.truong": "/viec-cua-toi/",
                 "stc.canbo": f"/giao-viec/{assignment}/"}
        for username, path in pages.items():
            browser = Browser(base)
            browser.login(username, keys.get(username))
            check(f"{username} {path}", browser.request(path)[0])
    finally:
        for proc in (web, worker):
            proc.send_signal(signal.SIGTERM)
        for proc in (web, worker):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    step("check --deploy --fail-level WARNING")
    print(dondoc("check", "--deploy", "--fail-level", "WARNING").strip())
    shutil.rmtree(DATA, ignore_errors=True)
    print("production walk: passed", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
