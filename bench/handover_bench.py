"""Issue 18 on PostgreSQL: handing an agency's open work over to a successor, one transaction.

Data: `dondoc bench_data` (BENCH_PLANS plans x BENCH_TASKS_PER_PLAN tasks, 20 agencies); the agency with the most
open assignments is made to end yesterday with one successor, and handed over three times, each time rolled back,
so that every run moves the same work. Printed: the open assignments and plans moved, the median time, the queries.
The bound (issue 18): 5,000 open assignments across 20 plans in under 10 s (BENCH_HANDOVER_ASSIGNMENTS of the
agency's open ones are handed over, taken in turn from each plan; 0: all).

BENCH_PG_URL=postgres://user@host:port/ names the server (a scratch database is made and dropped);
BENCH_DATABASE_URL=postgres://.../db reuses a database already filled by `dondoc bench_data`."""

from __future__ import annotations

import os
import sys

from common import bench_database, shell

PLANS = int(os.environ.get("BENCH_PLANS", "20"))
TASKS = int(os.environ.get("BENCH_TASKS_PER_PLAN", "2000"))
COUNT = int(os.environ.get("BENCH_HANDOVER_ASSIGNMENTS", "5000"))  # how many to hand over; 0: every open one
BOUND_SECONDS, BOUND_ASSIGNMENTS = 10, 5000

RUN = """
import datetime as dt, json, statistics, time
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from dondoc.accounts.models import User
from dondoc.core import clock
from dondoc.orgs.models import Agency, Succession
from dondoc.plans.models import Assignment
from dondoc.tracking import handover
day = clock.today()
busiest = (Assignment.objects.filter(ended_at__isnull=True).values("agency_id").annotate(n=Count("id"))
           .order_by("-n").first()["agency_id"])
coordinator = (User.objects.filter(role="coordinator", is_active=True).first()
               or User.objects.create(username="bench-coordinator", role="coordinator"))
successor = Agency.objects.exclude(pk=busiest).filter(valid_to__isnull=True).order_by("pk").first()
class Rollback(Exception):
    pass
times, out = [], {}
for _ in range(3):
    try:
        with transaction.atomic():
            Agency.objects.filter(pk=busiest).update(valid_to=day - dt.timedelta(days=1))
            Succession.objects.get_or_create(predecessor_id=busiest, successor=successor, defaults={"date": day})
            agency = Agency.objects.get(pk=busiest)
            # COUNT of them, taken in turn from each plan (all of them when COUNT is 0)
            proposal = handover.propose(agency, day)
            rank, seen = {}, {}
            for p in proposal:
                plan = p.assignment.task.plan_id
                rank[p.assignment.pk] = seen[plan] = seen.get(plan, -1) + 1
            picked = sorted(proposal, key=lambda p: (rank[p.assignment.pk], p.assignment.task.plan_id))[:COUNT or None]
            choices = {p.assignment.pk: [s.pk for s in p.successors] for p in picked}
            out = {"open": len(proposal), "moved": len(choices),
                   "plans": len({p.assignment.task.plan_id for p in picked})}
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                done = handover.do_hand_over(agency, coordinator, choices=choices)
                times.append(time.perf_counter() - t0)
            out.update(items=done.items.count(), queries=len(queries))
            raise Rollback
    except Rollback:
        pass
out["seconds"] = statistics.median(times)
print(json.dumps(out))
"""


def main() -> int:
    import json

    server, reuse = os.environ.get("BENCH_PG_URL"), os.environ.get("BENCH_DATABASE_URL")
    if not (server or reuse):
        print("Hand-over benchmark skipped: needs BENCH_PG_URL=postgres://... (or BENCH_DATABASE_URL)")
        return 0
    with bench_database(server, reuse, plans=PLANS, tasks_per_plan=TASKS) as env:
        r = json.loads(shell(env, RUN.replace("COUNT", str(COUNT))))
    ok = r["moved"] >= BOUND_ASSIGNMENTS and r["seconds"] < BOUND_SECONDS
    verdict = "ok" if ok else ("FEWER THAN 5,000 MOVED: raise BENCH_TASKS_PER_PLAN" if r["moved"] < BOUND_ASSIGNMENTS
                               else "OVER THE BOUND")
    print(f"  hand-over of {r['moved']} of the agency's {r['open']} open assignments, in {r['plans']} plans: "
          f"median {r['seconds']:.2f} s of 3, {r['queries']} queries, one transaction (bound: 5,000 in 20 plans "
          f"under {BOUND_SECONDS} s)  {verdict}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
