"""Real processes (dondoc run, dondoc worker, gunicorn) on a database and data directory of their own: the suite's
own database lives in a test transaction no other process can see."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _scratch_postgres(server_url: str):
    import psycopg

    parts = urllib.parse.urlsplit(server_url)
    name = f"dondoc_scratch_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Scratch:
    """An environment for `dondoc` subprocesses: its own data directory and database (PostgreSQL when the suite
    runs on it), migrated."""

    def __init__(self, env: dict, data_dir):
        self.env, self.data_dir = env, data_dir

    def run(self, *args: str, check: bool = True, timeout: float = 300, **env) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "dondoc.cli", *args], env={**self.env, **env},
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"dondoc {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def shell(self, code: str) -> str:
        """Run Python in the app's context and return its last printed line."""
        return self.run("shell", "-c", code).stdout.strip().splitlines()[-1]

    def popen(self, *args: str, **env) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "dondoc.cli", *args], env={**self.env, **env},
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Read the scratch database directly (no Django in this process)."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            import sqlite3

            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as conn:
                return conn.execute(query.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(query, params).fetchall()


def on_postgres() -> bool:
    return (os.environ.get("DATABASE_URL") or "").startswith(("postgres://", "postgresql://"))


def scratch_env(tmp_path, url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DONDOC_ENV_FILE=os.devnull, DONDOC_DATA_DIR=str(tmp_path), DATABASE_URL=url,
               HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path), **extra)
    return env


@pytest.fixture
def scratch(tmp_path):
    with contextlib.ExitStack() as stack:
        if on_postgres():
            url = stack.enter_context(_scratch_postgres(os.environ["DATABASE_URL"]))
        else:
            url = f"sqlite:///{tmp_path / 'dondoc.sqlite3'}"
        env = Scratch(scratch_env(tmp_path, url), tmp_path)
        env.run("migrate", "--noinput", "-v", "0")
        yield env


def wait_for(predicate, timeout: float = 60, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


def get(url: str, headers: dict | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0
