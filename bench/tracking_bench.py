"""Issues 5 and 6 on PostgreSQL (BENCH_PG_URL): 100,000 tasks, ~400,000 assignments, 2,000,000 updates, completion
claims on 30 % of the lead assignments. Issue 5: posting an update (API) p95 with 20 connections; the My work page
p95 with 20 connections; 50 connections posting for 60 s, then the updates are counted: every 2xx must be a row.
Issue 6: the plan dashboard page and the agency ranking (page and API) p95 with 20 connections, and each of them
cold (the first request after a status change, which recomputes the memoised figures)."""

from __future__ import annotations

import json
import os
import shutil
import statistics

from common import POST_LUA, cold_requests, dondoc, gunicorn, line, medians, scratch_env, session_cookie, shell, wrk

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "60"))
PLANS = int(os.environ.get("BENCH_PLANS", "20"))
TASKS = int(os.environ.get("BENCH_TASKS_PER_PLAN", "5000"))
UPDATES = int(os.environ.get("BENCH_UPDATES_PER_ASSIGNMENT", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))



def main() -> int:
    url = os.environ.get("BENCH_PG_URL")
    if not url or not shutil.which("wrk"):
        print("tracking benchmark skipped: needs BENCH_PG_URL=postgres://... and wrk")
        return 0
    with scratch_env(url) as env:
        dondoc(env, "migrate", "--noinput")
        dondoc(env, "load_orgs")
        out = dondoc(env, "bench_data", "--plans", str(PLANS), "--tasks-per-plan", str(TASKS), "--agencies", "100",
                     "--updates-per-assignment", str(UPDATES), "--claims", "0.3")
        print("[PostgreSQL] " + out.strip().splitlines()[-1], flush=True)
        # The agency people of the busiest lead agency: a focal point with a password, and a token.
        info = json.loads(shell(env, """
import json
from django.db.models import Count
from dondoc.accounts.models import User
from dondoc.plans.models import Assignment
row = (Assignment.objects.filter(role="lead").values("agency_id").annotate(n=Count("id")).order_by("-n").first())
user = User.objects.filter(agency_id=row["agency_id"], role="focal").first()
user.set_password("bench-password-1"); user.save()
ids = list(Assignment.objects.filter(agency_id=row["agency_id"], role="lead").values_list("pk", flat=True)[:200])
print(json.dumps({"username": user.username, "assignments": row["n"], "ids": ids}))
"""))
        token = dondoc(env, "token", info["username"]).strip().splitlines()[-1]
        before = int(shell(env, "from dondoc.tracking.models import Update; print(Update.objects.count())"))
        lua = POST_LUA.replace("{IDS}", "{" + ",".join(map(str, info["ids"])) + "}") % token
        with gunicorn(env, workers=WORKERS) as base:
            cookie = session_cookie(base, info["username"], "bench-password-1")
            print(f"[PostgreSQL] {before} updates; agency with {info['assignments']} lead assignments; gunicorn {WORKERS} "
                  f"workers; wrk 20 connections, {RUNS} runs x {SECONDS} s; medians:", flush=True)
            posts = [wrk(base + "/", {}, connections=20, seconds=SECONDS, lua=lua) for _ in range(RUNS)]
            print(line("API: POST /assignments/{id}/updates", medians(posts)), flush=True)
            pages = [wrk(base + "/viec-cua-toi/", {"Cookie": cookie}, connections=20, seconds=SECONDS) for _ in range(RUNS)]
            print(line("page: Việc của tôi (My work)", medians(pages)), flush=True)
            # Issue 6: a coordinator's dashboard of one 5,000-task plan, and the ranking over all 100,000 tasks.
            leader = json.loads(shell(env, """
import json
from dondoc.accounts.models import User
from dondoc.plans.models import Plan
u = User.objects.filter(role="coordinator").first() or User.objects.create(username="bench-coordinator", role="coordinator")
u.set_password("bench-password-1"); u.save()
print(json.dumps({"username": u.username, "plan": Plan.objects.filter(status="published").order_by("pk").values_list("pk", flat=True).first()}))
"""))
            boss = session_cookie(base, leader["username"], "bench-password-1")
            boss_token = dondoc(env, "token", leader["username"]).strip().splitlines()[-1]
            cases = [("page: plan dashboard (5,000 tasks)", f"/tong-hop/ke-hoach/{leader['plan']}/", {"Cookie": boss}),
                     ("API: /plans/{id}/summary", f"/api/v1/plans/{leader['plan']}/summary", {"Authorization": f"Bearer {boss_token}"}),
                     ("page: agency ranking (100,000 tasks)", "/tong-hop/xep-hang/", {"Cookie": boss}),
                     ("API: /rankings", "/api/v1/rankings", {"Authorization": f"Bearer {boss_token}"})]
            for label, path, headers in cases:
                runs = [wrk(base + path, headers, connections=20, seconds=SECONDS) for _ in range(RUNS)]
                print(line(label, medians(runs)), flush=True)
                cold = cold_requests(env, base + path, headers)
                print(f"  {'  cold (first request after a change)':<46} median {statistics.median(cold):6.1f} ms  "
                      f"(runs: {', '.join(f'{c:.0f}' for c in cold)})", flush=True)
            # A 10 s timeout: a slow answer under 50 connections is not an error, a refused or failed one is.
            soak = wrk(base + "/", {}, connections=50, seconds=SOAK_SECONDS, lua=lua, timeout=10)
            print(line(f"soak: 50 connections posting for {SOAK_SECONDS} s", soak), flush=True)
        after = int(shell(env, "from dondoc.tracking.models import Update; print(Update.objects.count())"))
        accepted = sum(r["requests"] - r["errors"] for r in posts) + soak["requests"] - soak["errors"]
        written = after - before
        # Every 2xx must be a row. A few more rows than 2xx counted are requests still in flight when wrk stopped
        # (at most one per connection per run), answered after wrk stopped listening.
        in_flight = 20 * RUNS + 50
        verdict = ("no update lost" if accepted <= written <= accepted + in_flight + soak["errors"]
                   else "LOST UPDATES" if written < accepted else "UNEXPLAINED EXTRA ROWS")
        print(f"[PostgreSQL] rows written {written}, 2xx answers counted {accepted} (in flight at stop ≤ {in_flight}), "
              f"errors {sum(r['errors'] for r in posts) + soak['errors']}: {verdict}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
