"""Issue 4's figures: Plan 78 from upload to published; the task list page and API with 5,000 tasks in the plan
and 100,000 in the database, under 20 concurrent clients, on SQLite and (with BENCH_PG_URL) on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys

from common import dondoc, gunicorn, line, medians, scratch_env, session_cookie, wrk

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PLANS = int(os.environ.get("BENCH_PLANS", "20"))
TASKS = int(os.environ.get("BENCH_TASKS_PER_PLAN", "5000"))

UPLOAD_TO_PUBLISH = """
import time, django
django.setup()
from dondoc.demo.loader import DEMO_PLAN, load_demo
from dondoc.accounts.models import User
from dondoc.plans.actions import do_publish_plan
from dondoc.plans.jobs import run_plan_import, start_plan_import
from dondoc.plans.models import Job
user = User.objects.get(username="tonghop")
data = DEMO_PLAN.read_bytes()
times = []
for i in range(5):
    t0 = time.perf_counter()
    job = start_plan_import(user, f"kh78-{i}.txt", data, enqueue=False)
    run_plan_import.call(job.pk)
    plan = Job.objects.get(pk=job.pk).plan
    do_publish_plan(plan, user=user, allow_unresolved=True)
    times.append(time.perf_counter() - t0)
print(" ".join(f"{t:.3f}" for t in times))
"""


def upload_to_publish(env) -> list[float]:
    out = subprocess.run([sys.executable, "-c", UPLOAD_TO_PUBLISH], env={**env, "DJANGO_SETTINGS_MODULE": "dondoc.settings"},
                         check=True, capture_output=True, text=True).stdout
    return [float(x) for x in out.split()]


def run(database: str, url: str | None) -> None:
    with scratch_env(url) as env:
        dondoc(env, "migrate", "--noinput")
        dondoc(env, "demo", "--quiet")
        times = upload_to_publish(env)
        print(f"[{database}] Plan 78 upload -> parse -> draft -> published: median {statistics.median(times):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)})", flush=True)
        dondoc(env, "bench_data", "--plans", str(PLANS), "--tasks-per-plan", str(TASKS), "--agencies", "100")
        plan_id = dondoc(env, "shell", "-c", f"from dondoc.plans.models import Plan; "
                         f"print(Plan.objects.order_by('-id').values_list('id', flat=True).first())").strip().splitlines()[-1]
        total = dondoc(env, "shell", "-c", "from dondoc.plans.models import Task; print(Task.objects.count())").strip().splitlines()[-1]
        token = dondoc(env, "token", "tonghop").strip().splitlines()[-1]
        with gunicorn(env, workers=WORKERS) as base:
            cookie = session_cookie(base, "tonghop", "dondoc-demo")
            cases = [
                ("page: task list, page 1", f"{base}/ke-hoach/{plan_id}/nhiem-vu/", {"Cookie": cookie}),
                ("page: task list, search 'ke hoach' p2", f"{base}/ke-hoach/{plan_id}/nhiem-vu/?q=ke+hoach&page=2",
                 {"Cookie": cookie}),
                ("API: /plans/{id}/tasks page 1", f"{base}/api/v1/plans/{plan_id}/tasks", {"Authorization": f"Bearer {token}"}),
                ("API: /plans/{id}/tasks?q=ke hoach", f"{base}/api/v1/plans/{plan_id}/tasks?q=ke%20hoach",
                 {"Authorization": f"Bearer {token}"}),
            ]
            print(f"[{database}] {total} tasks in the database, {TASKS} in the plan; gunicorn {WORKERS} workers, "
                  f"wrk {CONNECTIONS} connections, {RUNS} runs x {SECONDS} s; medians:", flush=True)
            for label, target, headers in cases:
                runs = [wrk(target, headers, connections=CONNECTIONS, seconds=SECONDS) for _ in range(RUNS)]
                print(line(label, medians(runs)), flush=True)


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): plans benchmark skipped")
        return 0
    if not os.environ.get("BENCH_ONLY_PG"):
        run("SQLite", None)
    if os.environ.get("BENCH_PG_URL"):
        run("PostgreSQL", os.environ["BENCH_PG_URL"])
    else:
        print("(set BENCH_PG_URL=postgres://... to run the same on PostgreSQL; the database is created and dropped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
