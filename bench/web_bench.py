"""Requests per second and latency of the agency list (API and page) under wrk, against gunicorn with 2 workers
on a fresh SQLite database with the demo data. Medians over repeated runs."""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dondoc(env, *args) -> str:
    return subprocess.run([sys.executable, "-m", "dondoc.cli", *args], env=env, check=True, capture_output=True, text=True).stdout


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str, headers: dict[str, str]) -> tuple[float, float, float]:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    for k, v in headers.items():
        args[1:1] = ["-H", f"{k}: {v}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    if os.environ.get("BENCH_DEBUG"):
        print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{non2xx.group(1)} error responses from {url}")
    return rps, p50, p99


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): web benchmark skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DONDOC_DATA_DIR": tmp, "DONDOC_ENV_FILE": os.devnull,
               "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        dondoc(env, "migrate", "--noinput")
        dondoc(env, "demo", "--quiet")
        token = dondoc(env, "token", "tonghop").strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "dondoc.wsgi:application", "--bind", f"127.0.0.1:{port}",
                                   "--workers", "2", "--log-level", "warning"], env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/dang-nhap/")
            cases = [
                ("GET /api/v1/agencies?q=so ke hoach", base + "/api/v1/agencies?q=so%20ke%20hoach", {"Authorization": f"Bearer {token}"}),
                ("GET /api/v1/agencies (all, page 1)", base + "/api/v1/agencies", {"Authorization": f"Bearer {token}"}),
                ("GET /dang-nhap/ (login page)", base + "/dang-nhap/", {}),
            ]
            print(f"gunicorn 2 workers, SQLite, wrk {CONNECTIONS} connections, {RUNS} runs x {SECONDS} s; medians:")
            for label, url, headers in cases:
                results = [run_wrk(url, headers) for _ in range(RUNS)]
                rps = statistics.median(r[0] for r in results)
                p50 = statistics.median(r[1] for r in results)
                p99 = statistics.median(r[2] for r in results)
                print(f"  {label:<40} {rps:8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
