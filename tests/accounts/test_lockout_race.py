"""Finding 3: 40 simultaneous guesses for one account against a real server (gunicorn, 4 worker processes, Argon2)
make at most LOCKOUT_THRESHOLD password checks, and the right password is refused afterwards.

Password checks are counted from the audit trail the server writes: each check ends as `login.failed` or
`login.succeeded`; a guess refused without a check is `login.refused_locked`. On PostgreSQL the server uses the
test database; on SQLite (where the suite's database lives in memory) a database file of its own."""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.db import connection

THRESHOLD = 5
GUESSES = 40
PASSWORD = "dung-mat-khau-2024"
ON_POSTGRES = (os.environ.get("DATABASE_URL") or "").startswith(("postgres://", "postgresql://"))
# On PostgreSQL the server shares the test database, so what the test writes must be committed.
pytestmark = [pytest.mark.django_db(transaction=True)] if ON_POSTGRES else []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str, data_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=database_url, DONDOC_DATA_DIR=str(data_dir), DONDOC_ENV_FILE=os.devnull,
               DONDOC_LOCKOUT_THRESHOLD=str(THRESHOLD), DONDOC_DB_CONN_MAX_AGE="0")
    return env


class Browser:
    """One guesser: its own cookies and CSRF token, as a browser has."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = self.opener.open(base + "/dang-nhap/", timeout=30).read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, password) -> int:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, "username": "tonghop.that",
                                       "password": password}).encode()
        request = urllib.request.Request(self.base + "/dang-nhap/", data=data, headers={"Referer": self.base + "/dang-nhap/"})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect, *[h for h in self.opener.handlers
                                                          if isinstance(h, urllib.request.HTTPCookieProcessor)])
        try:
            return opener.open(request, timeout=120).status
        except urllib.error.HTTPError as exc:
            return exc.code


@pytest.fixture
def server_database(request, tmp_path):
    """(database URL for the server, count(action) -> events the server recorded)."""
    if ON_POSTGRES:
        from django.contrib.auth.hashers import Argon2PasswordHasher

        from dondoc.accounts.models import User
        from dondoc.audit.models import Event

        argon2 = Argon2PasswordHasher()  # the server's own hasher (the tests' fast one is not in its settings)
        User.objects.create(username="tonghop.that", role="coordinator", password=argon2.encode(PASSWORD, argon2.salt()))
        s = connection.settings_dict
        url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        connection.close()  # the server's workers connect themselves
        return url, lambda action: Event.objects.filter(action=action, actor_name="tonghop.that").count()
    path = tmp_path / "race.sqlite3"
    url = f"sqlite:///{path}"
    env = _env(url, tmp_path)
    subprocess.run([sys.executable, "-m", "dondoc.cli", "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
    create = ("from dondoc.accounts.models import User; from django.contrib.auth.hashers import make_password; "
              f"User.objects.create(username='tonghop.that', role='coordinator', password=make_password('{PASSWORD}'))")
    subprocess.run([sys.executable, "-m", "dondoc.cli", "shell", "-c", create], env=env, check=True, timeout=120)

    def count(action):
        with sqlite3.connect(path) as db:
            return db.execute("SELECT count(*) FROM audit_event WHERE action = ? AND actor_name = ?",
                              (action, "tonghop.that")).fetchone()[0]
    return url, count


@pytest.fixture
def server(server_database, tmp_path):
    url, count = server_database
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "dondoc.wsgi:application", "--bind", f"127.0.0.1:{port}",
                             "--workers", "4", "--timeout", "120", "--log-level", "warning"], env=_env(url, tmp_path))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/dang-nhap/", timeout=2)
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
    try:
        yield base, count
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_forty_parallel_guesses_make_at_most_the_threshold_of_password_checks(server):
    base, count = server
    browsers = [Browser(base) for _ in range(GUESSES)]
    barrier = threading.Barrier(GUESSES)
    codes = [None] * GUESSES

    def guess(i):
        barrier.wait()
        codes[i] = browsers[i].login(f"sai-mat-khau-{i}")

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(GUESSES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    checks = count("login.failed") + count("login.succeeded")
    refused = count("login.refused_locked")
    assert 1 <= checks <= THRESHOLD, f"{checks} password checks for {GUESSES} guesses (threshold {THRESHOLD})"
    assert checks + refused == GUESSES
    assert count("login.locked_out") == 1
    assert sorted(codes).count(429) >= GUESSES - THRESHOLD + 1  # the lock's own attempt answers 429 too
    assert all(c in (200, 429) for c in codes), codes
    # The right password now: refused without a check, no session.
    assert Browser(base).login(PASSWORD) == 429
    assert count("login.succeeded") == 0 and count("login.failed") == checks
