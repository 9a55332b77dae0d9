"""Shared pieces of the benchmarks: a scratch database, a gunicorn server, wrk with percentiles."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parent
# wrk prints these after the run; its own summary has no p95.
PERCENTILES_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("PCT %d %d %d %d %d %d\\n", latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, summary.duration))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dondoc(env: dict, *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "dondoc.cli", *args], env=env, check=True, capture_output=True,
                          text=True).stdout


@contextlib.contextmanager
def _scratch_postgres(server_url: str):
    """A new database on the server `server_url` points at, dropped afterwards."""
    import secrets

    import psycopg

    parts = urllib.parse.urlsplit(server_url)
    name = f"dondoc_bench_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def scratch_env(database_url: str | None = None):
    """A data directory and database of their own; on PostgreSQL when `database_url` names a server."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        url = stack.enter_context(_scratch_postgres(database_url)) if database_url else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        env = {**os.environ, "DONDOC_DATA_DIR": tmp, "DONDOC_ENV_FILE": os.devnull, "DATABASE_URL": url}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        yield env


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 2):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "dondoc.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(workers), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/dang-nhap/", timeout=2)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def session_cookie(base: str, username: str, password: str) -> str:
    """Log in like a browser and return the Cookie header of the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/dang-nhap/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password}).encode()
    opener.open(urllib.request.Request(base + "/dang-nhap/", data=data, headers={"Referer": base + "/dang-nhap/"}))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("login failed")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def wrk(url: str, headers: dict[str, str], *, connections: int, seconds: int, lua: str = "", timeout: int = 2) -> dict:
    """`lua` may define request() (e.g. POSTs spread over many URLs); percentiles are always reported."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + PERCENTILES_LUA)
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", "-s", script.name]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    p50, p95, p99, requests, errors, duration = map(int, re.search(r"PCT (.*)", out).group(1).split())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000, "rps": requests / (duration / 1e6),
            "errors": errors + (int(non2xx.group(1)) if non2xx else 0), "requests": requests}


def shell(env: dict, code: str) -> str:
    """Run Python in the app's context (`dondoc shell -c`) and return its last printed line."""
    return dondoc(env, "shell", "-c", code).strip().splitlines()[-1]


@contextlib.contextmanager
def bench_database(server_url: str | None, reuse_url: str | None, *, plans: int, tasks_per_plan: int):
    """The issue 17 shape of data on PostgreSQL: a scratch database on the server `server_url` filled by `dondoc
    bench_data` (dropped afterwards), or `reuse_url`, a database filled before, migrated (to iterate)."""
    if reuse_url:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DONDOC_DATA_DIR": tmp, "DONDOC_ENV_FILE": os.devnull, "DATABASE_URL": reuse_url}
            dondoc(env, "migrate", "--noinput")
            yield env
        return
    with scratch_env(server_url) as env:
        dondoc(env, "migrate", "--noinput")
        dondoc(env, "load_orgs")
        out = dondoc(env, "bench_data", "--plans", str(plans), "--tasks-per-plan", str(tasks_per_plan), "--agencies",
                     "20", "--updates-per-assignment", "1", "--claims", "0.3")
        print("[PostgreSQL] " + out.strip().splitlines()[-1], flush=True)
        yield env


def medians(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def line(label: str, m: dict) -> str:
    return (f"  {label:<46} {m['rps']:7.0f} req/s  p50 {m['p50']:6.1f} ms  p95 {m['p95']:6.1f} ms  "
            f"p99 {m['p99']:6.1f} ms  errors {m['errors']:.0f}")


# Progress reports posted round the given assignments ({IDS}: a Lua table of ids; the token goes in with %).
# wrk runs one Lua state per thread: each thread takes every other id (setup numbers them), so that two threads
# never post to the same assignment at the same moment, as two officers of one agency would not. Otherwise both
# walk the same ids in step and wait on each other's row lock, which measures the script, not the app.
POST_LUA = """
local ids = {IDS}
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
local n = 0
local step = 2
function init(args)
  n = offset
end
request = function()
  n = n + step
  local id = ids[(n %% #ids) + 1]
  return wrk.format("POST", "/api/v1/assignments/" .. id .. "/updates",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %s"},
    '{"text": "Báo cáo tiến độ (thử tải)", "percent": 50}')
end
"""


def cold_requests(env, url: str, headers: dict, times: int = 5) -> list[float]:
    """Milliseconds of one request right after the status version moved on (every memoised figure recomputed),
    with no other load."""
    out = []
    for _ in range(times):
        shell(env, "from dondoc.tracking import spans; spans.bump(); print('ok')")
        request = urllib.request.Request(url, headers=headers)
        t0 = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        out.append((time.perf_counter() - t0) * 1000)
    return out
