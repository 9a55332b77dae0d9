"""Issue 6 on SQLite: the plan dashboard with 10,000 tasks in the database (2 plans of 5,000), 20 connections,
gunicorn with 2 workers; p95 warm and the cold first request after a status change. (PostgreSQL figures at
100,000 tasks: tracking_bench.py.)"""

from __future__ import annotations

import json
import os
import shutil
import statistics

from common import dondoc, gunicorn, line, medians, scratch_env, session_cookie, shell, wrk
from tracking_bench import cold_requests

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def main() -> int:
    if not shutil.which("wrk"):
        print("dashboard benchmark skipped: needs wrk")
        return 0
    with scratch_env() as env:
        dondoc(env, "migrate", "--noinput")
        dondoc(env, "load_orgs")
        dondoc(env, "bench_data", "--plans", "2", "--tasks-per-plan", "5000", "--agencies", "40", "--claims", "0.3")
        info = json.loads(shell(env, """
import json
from dondoc.accounts.models import User
from dondoc.plans.models import Plan, Task
u = User.objects.create(username="bench-coordinator", role="coordinator"); u.set_password("bench-password-1"); u.save()
print(json.dumps({"plan": Plan.objects.order_by("pk").values_list("pk", flat=True).first(), "tasks": Task.objects.count()}))
"""))
        with gunicorn(env, workers=2) as base:
            cookie = {"Cookie": session_cookie(base, "bench-coordinator", "bench-password-1")}
            url = f"{base}/tong-hop/ke-hoach/{info['plan']}/"
            print(f"[SQLite] {info['tasks']} tasks; gunicorn 2 workers; wrk 20 connections, {RUNS} runs x {SECONDS} s; medians:",
                  flush=True)
            runs = [wrk(url, cookie, connections=20, seconds=SECONDS) for _ in range(RUNS)]
            print(line("page: plan dashboard (5,000 tasks)", medians(runs)), flush=True)
            cold = cold_requests(env, url, cookie)
            print(f"  {'  cold (first request after a change)':<46} median {statistics.median(cold):6.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
