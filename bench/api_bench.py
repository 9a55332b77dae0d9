"""Issue 17 on PostgreSQL: the five scenarios measured against Redmine in the issue, with its wrk settings.

Data as in the issue: 20 plans x 5,000 tasks, ~60 agencies, ~415,000 assignments and as many progress updates
(`dondoc bench_data`), 30 % of the lead assignments with a completion claim. gunicorn with 4 sync workers; wrk
-t2 -c20 --timeout 30s, a 5 s warm-up, then 3 runs x 20 s; medians. An officer (focal point) of the busiest lead
agency for a, b, d, e; the coordinating agency's officer for c (overdue across all agencies):
  a  GET /api/v1/me/assignments?page_size=25               one agency's open work
  b  GET /api/v1/plans/P/tasks?agency=A&page_size=25       one agency's tasks in a plan
  c  GET /api/v1/assignments?status=overdue&page_size=25   overdue across all agencies
  d  GET /viec-cua-toi/                                    the agency's work page (HTML)
  e  POST /api/v1/assignments/ID/updates                   a progress note; afterwards, every 2xx must be a row
Then, for each list, one request at a time inside the app (Django's test client, 30 times) against the same SQL
run raw on the same connection: the time of the list and of its SQL, and their ratio (the bound: within 3x).

BENCH_PG_URL=postgres://user@host:port/ names the server (a scratch database is made and dropped);
BENCH_DATABASE_URL=postgres://.../db reuses a database already filled by `dondoc bench_data` (to iterate).
BENCH_PLANS, BENCH_TASKS_PER_PLAN scale the data (1,000,000 tasks: BENCH_PLANS=200)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import statistics

from common import POST_LUA, bench_database, cold_requests, dondoc, gunicorn, line, medians, session_cookie, shell, wrk

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARMUP = int(os.environ.get("BENCH_WARMUP_SECONDS", "5"))
PLANS = int(os.environ.get("BENCH_PLANS", "20"))
TASKS = int(os.environ.get("BENCH_TASKS_PER_PLAN", "5000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
TIMEOUT = 30
# The table: Redmine 5.0.4 on the same shape of data and machine (req/s), and the bounds (10x, p99 300 ms).
REDMINE = {"a": 20.1, "b": 17.7, "c": 8.9, "d": 20.7, "e": 43.7}
BOUND = {"a": 200, "b": 177, "c": 89, "d": 207, "e": 440}
P99_MS = 300


PEOPLE = """
import json
from django.db.models import Count
from dondoc.accounts.models import User
from dondoc.plans.models import Assignment, Plan
row = Assignment.objects.filter(role="lead").values("agency_id").annotate(n=Count("id")).order_by("-n").first()
officer = User.objects.filter(agency_id=row["agency_id"], role="focal", is_active=True).first()
officer.set_password("bench-password-1"); officer.save()
plan = Plan.objects.filter(status="published", tasks__assignments__agency_id=row["agency_id"]).order_by("pk").first()
coordinator = (User.objects.filter(role="coordinator", is_active=True).order_by("pk").first()
               or User.objects.create(username="bench-coordinator", role="coordinator", agency=plan.coordinating_agency))
ids = list(Assignment.objects.filter(agency_id=row["agency_id"], role="lead").values_list("pk", flat=True)[:200])
print(json.dumps({"officer": officer.username, "agency": row["agency_id"], "leads": row["n"], "plan": plan.pk,
                  "coordinator": coordinator.username, "ids": ids}))
"""

# One request at a time through the whole Django stack (middleware, auth, view, JSON), and the same SQL raw.
PROFILE = """
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
cases = json.loads(%r)
out = {}
for key, path, token in cases:
    client = Client(HTTP_AUTHORIZATION="Bearer " + token, HTTP_HOST="127.0.0.1")
    for _ in range(5):
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    request_ms, sql_ms = [], []
    for _ in range(30):
        t0 = time.perf_counter(); client.get(path); request_ms.append((time.perf_counter() - t0) * 1000)
        with connection.cursor() as cursor:
            t0 = time.perf_counter()
            for statement in sql:
                cursor.execute(statement); cursor.fetchall()
            sql_ms.append((time.perf_counter() - t0) * 1000)
    out[key] = {"request": statistics.median(request_ms), "sql": statistics.median(sql_ms), "queries": len(sql)}
print(json.dumps(out))
"""


def measure(url: str, headers: dict, lua: str = "") -> dict:
    wrk(url, headers, connections=20, seconds=WARMUP, lua=lua, timeout=TIMEOUT)
    return medians([wrk(url, headers, connections=20, seconds=SECONDS, lua=lua, timeout=TIMEOUT) for _ in range(RUNS)])


def main() -> int:
    server, reuse = os.environ.get("BENCH_PG_URL"), os.environ.get("BENCH_DATABASE_URL")
    if not (server or reuse) or not shutil.which("wrk"):
        print("API benchmark skipped: needs BENCH_PG_URL=postgres://... (or BENCH_DATABASE_URL) and wrk")
        return 0
    with bench_database(server, reuse, plans=PLANS, tasks_per_plan=TASKS) as env:
        who = json.loads(shell(env, PEOPLE))
        officer = dondoc(env, "token", who["officer"]).strip().splitlines()[-1]
        boss = dondoc(env, "token", who["coordinator"]).strip().splitlines()[-1]
        counts = json.loads(shell(env, "import json; from dondoc.plans.models import Task, Assignment; "
                                       "from dondoc.tracking.models import Update; print(json.dumps([Task.objects.count(), "
                                       "Assignment.objects.count(), Update.objects.count()]))"))
        print(f"[PostgreSQL] {counts[0]} tasks, {counts[1]} assignments, {counts[2]} updates; officer of an agency with "
              f"{who['leads']} lead assignments; gunicorn {WORKERS} sync workers; wrk -t2 -c20 --timeout {TIMEOUT}s, "
              f"{WARMUP} s warm-up, {RUNS} x {SECONDS} s; medians:", flush=True)
        paths = {"a": ("/api/v1/me/assignments?page_size=25", officer),
                 "b": (f"/api/v1/plans/{who['plan']}/tasks?agency={who['agency']}&page_size=25", officer),
                 "c": ("/api/v1/assignments?status=overdue&page_size=25", boss)}
        lua = POST_LUA.replace("{IDS}", "{" + ",".join(map(str, who["ids"])) + "}") % officer
        results = {}
        with gunicorn(env, workers=WORKERS) as base:
            cookie = session_cookie(base, who["officer"], "bench-password-1")
            for key, (path, token) in paths.items():
                results[key] = measure(base + path, {"Authorization": f"Bearer {token}"})
            results["d"] = measure(base + "/viec-cua-toi/", {"Cookie": cookie})
            # Figures (no bound in the issue; measured for docs/scaling.md): the province's summary and the ranking of
            # agencies, warm (memoised until a status changes) and cold (the first request after a change).
            figures = {}
            for path in ("/api/v1/summary", "/api/v1/rankings"):
                auth = {"Authorization": f"Bearer {boss}"}
                figures[path] = (measure(base + path, auth), statistics.median(cold_requests(env, base + path, auth)))
            before = int(shell(env, "from dondoc.tracking.models import Update; print(Update.objects.count())"))
            wrk(base + "/", {}, connections=20, seconds=WARMUP, lua=lua, timeout=TIMEOUT)
            middle = int(shell(env, "from dondoc.tracking.models import Update; print(Update.objects.count())"))
            posts = [wrk(base + "/", {}, connections=20, seconds=SECONDS, lua=lua, timeout=TIMEOUT) for _ in range(RUNS)]
            results["e"] = medians(posts)
        after = int(shell(env, "from dondoc.tracking.models import Update; print(Update.objects.count())"))
        labels = {"a": "a " + paths["a"][0], "b": "b /api/v1/plans/P/tasks?agency=A&page_size=25",
                  "c": "c " + paths["c"][0], "d": "d /viec-cua-toi/ (HTML)", "e": "e POST /api/v1/assignments/ID/updates"}
        failed = []
        for key, m in results.items():
            ok = m["rps"] >= BOUND[key] and m["p99"] < P99_MS and not m["errors"]
            failed += [] if ok else [key]
            print(line(labels[key], m) + f"  {m['rps'] / REDMINE[key]:5.1f}x Redmine  {'ok' if ok else 'BELOW BOUND'}",
                  flush=True)
        for path, (m, cold) in figures.items():
            print(line("f " + path, m) + f"  cold {cold:.0f} ms", flush=True)
        accepted = sum(r["requests"] - r["errors"] for r in posts)
        written = after - middle
        verdict = "every 2xx a row" if accepted <= written <= accepted + 20 * RUNS else "LOST OR EXTRA ROWS"
        print(f"  e: rows written {written}, 2xx counted {accepted} (≤ {20 * RUNS} in flight at the stops): {verdict}"
              f"  (warm-up wrote {middle - before})", flush=True)
        failed += [] if verdict == "every 2xx a row" else ["e rows"]
        cases = [(key, path, token) for key, (path, token) in paths.items()]
        profile = json.loads(shell(env, PROFILE % json.dumps(cases)))
        print("one request at a time, in the app, against its SQL run raw (median of 30):", flush=True)
        for key, p in profile.items():
            ratio = p["request"] / p["sql"] if p["sql"] else float("inf")
            print(f"  {labels[key]:<52} list {p['request']:6.2f} ms  its SQL {p['sql']:6.2f} ms ({p['queries']} queries)"
                  f"  {ratio:4.1f}x  {'ok' if ratio <= 3 else 'OVER 3x'}", flush=True)
        print("bounds met" if not failed else f"below the bounds: {', '.join(failed)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
