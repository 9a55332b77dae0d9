"""Issue 7's figures: the consolidated report (.docx and .xlsx) for a plan of 1,000 tasks and ~50 agencies (target:
under 3 s), and an agency report pre-filled from its updates (target: under 500 ms).

A scratch database (SQLite; PostgreSQL too with BENCH_PG_URL) gets the Tuyên Quang agencies and demo accounts, then
`dondoc bench-data --plans 1 --tasks-per-plan 1000 --agencies 40 --updates-per-assignment 2 --claims 0.4`. Timed
through Django's test client, as a browser would ask: the consolidated .docx (with its chart and appendix tables),
the .xlsx, both one after the other, and an agency report laid out by the agency that holds the most assignments
(the report is deleted between runs). The memoised figures are cleared before every run, so each run counts
everything again. Medians printed. Knobs: BENCH_RUNS, BENCH_TASKS_PER_PLAN, BENCH_AGENCIES, BENCH_ONLY_PG.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from common import dondoc, scratch_env

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TASKS = int(os.environ.get("BENCH_TASKS_PER_PLAN", "1000"))
AGENCIES = int(os.environ.get("BENCH_AGENCIES", "40"))
DOCX_LIMIT, PREFILL_LIMIT = 3.0, 0.5

SCRIPT = """
import django, json, statistics, time
django.setup()
from django.core.cache import cache
from django.db.models import Count
from django.test import Client
from dondoc.accounts.models import User
from dondoc.core import clock
from dondoc.plans.models import Assignment, Plan
from dondoc.reports import actions, periods
from dondoc.reports.models import AgencyReport

plan = Plan.objects.filter(source_name="bench-data").order_by("-pk").first()
today = clock.today()
period = periods.period_containing(periods.ANNUAL, today)  # bench-data spreads updates over the last year
agencies = Assignment.objects.filter(task__plan=plan).values("agency_id").distinct().count()
coordinator = User.objects.get(username="tonghop")
client = Client()
client.force_login(coordinator)
base = f"/bao-cao/ke-hoach/{{plan.pk}}/tong-hop"
query = f"?ky={{period.id}}"

def timed(fn):
    out = []
    for _ in range({runs}):
        cache.clear()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out

def get(url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(response.content)

sizes = {{}}
docx = timed(lambda: sizes.__setitem__("docx", get(base + ".docx" + query)))
xlsx = timed(lambda: sizes.__setitem__("xlsx", get(base + ".xlsx" + query)))
both = timed(lambda: (get(base + ".docx" + query), get(base + ".xlsx" + query)))

agency_id = (Assignment.objects.filter(task__plan=plan).values("agency_id").annotate(n=Count("id"))
             .order_by("-n").values_list("agency_id", "n").first())
focal = User.objects.filter(agency_id=agency_id[0], role="focal").first()
items = []

def prefill():
    AgencyReport.objects.filter(plan=plan, agency_id=agency_id[0], period=period.id).delete()
    report = actions.do_create_report(plan, focal, period=period.id)
    items.append((report.items.count(), report.items.filter(from_updates=True).count()))

created = timed(prefill)
print(json.dumps({{"tasks": plan.tasks.count(), "agencies": agencies, "period": period.id, "docx": docx, "xlsx": xlsx,
                  "both": both, "prefill": created, "items": items[-1], "sizes": sizes}}))
"""


def run(database: str, url: str | None) -> None:
    with scratch_env(url) as env:
        dondoc(env, "migrate", "--noinput")
        dondoc(env, "demo", "--quiet")
        dondoc(env, "bench_data", "--plans", "1", "--tasks-per-plan", str(TASKS), "--agencies", str(AGENCIES),
               "--updates-per-assignment", "2", "--claims", "0.4")
        env = {**env, "DJANGO_SETTINGS_MODULE": "dondoc.settings"}
        env.pop("DONDOC_TODAY", None)
        out = subprocess.run([sys.executable, "-c", SCRIPT.format(runs=RUNS)], env=env, check=True, capture_output=True,
                             text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])

        def med(key):
            values = sorted(r[key])
            return values[len(values) // 2]

        print(f"[{database}] plan of {r['tasks']} tasks, {r['agencies']} agencies, period {r['period']}; "
              f"{RUNS} runs, medians:", flush=True)
        print(f"  consolidated .docx (chart, Phụ lục I)           {med('docx'):6.2f} s  ({r['sizes']['docx'] // 1024} KB)")
        print(f"  consolidated .xlsx                              {med('xlsx'):6.2f} s  ({r['sizes']['xlsx'] // 1024} KB)")
        verdict = "ok" if med("both") < DOCX_LIMIT else f"over the {DOCX_LIMIT:.0f} s target"
        print(f"  .docx then .xlsx                                {med('both'):6.2f} s  [{verdict}]")
        verdict = "ok" if med("prefill") < PREFILL_LIMIT else f"over the {PREFILL_LIMIT * 1000:.0f} ms target"
        print(f"  agency report pre-filled ({r['items'][0]} tasks, {r['items'][1]} with updates) "
              f"{med('prefill') * 1000:6.0f} ms  [{verdict}]", flush=True)


def main() -> int:
    try:
        import docx  # noqa: F401
        import matplotlib  # noqa: F401
        import openpyxl  # noqa: F401
    except ImportError as exc:
        print(f"{exc.name} is not installed (make install): reports benchmark skipped")
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
