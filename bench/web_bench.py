"""Agency list (API) and login page under wrk, gunicorn with 2 workers, SQLite with the demo data. Medians."""

from __future__ import annotations

import os
import shutil

from common import dondoc, gunicorn, line, medians, scratch_env, wrk

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): web benchmark skipped")
        return 0
    with scratch_env() as env:
        dondoc(env, "migrate", "--noinput")
        dondoc(env, "demo", "--quiet")
        token = dondoc(env, "token", "tonghop").strip().splitlines()[-1]
        with gunicorn(env, workers=2) as base:
            auth = {"Authorization": f"Bearer {token}"}
            cases = [
                ("GET /api/v1/agencies?q=so ke hoach", base + "/api/v1/agencies?q=so%20ke%20hoach", auth),
                ("GET /api/v1/agencies (page 1 of all)", base + "/api/v1/agencies", auth),
                ("GET /dang-nhap/ (login page)", base + "/dang-nhap/", {}),
            ]
            print(f"gunicorn 2 workers, SQLite, wrk {CONNECTIONS} connections, {RUNS} runs x {SECONDS} s; medians:")
            for label, url, headers in cases:
                print(line(label, medians([wrk(url, headers, connections=CONNECTIONS, seconds=SECONDS) for _ in range(RUNS)])),
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
