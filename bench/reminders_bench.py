"""Issue 6's figure: the daily reminder run for 5,000 people (target: under 60 s).

A scratch database (SQLite; PostgreSQL too with BENCH_PG_URL) is filled with `dondoc bench-data` (published plans,
some completion claims) and 5,000 agency people with e-mail addresses spread over the agencies. For a typical day
and for the heaviest day of the data (a week before the report date most tasks share), it times, 3 runs each
from an empty reminder table: the sweep (reminders, in-app notifications, digest rows), then sending every digest
over SMTP to a local aiosmtpd sink. Medians printed. Knobs: BENCH_PEOPLE, BENCH_PLANS, BENCH_TASKS_PER_PLAN,
BENCH_AGENCIES, BENCH_RUNS, BENCH_ONLY_PG.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time

from common import dondoc, free_port, scratch_env

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "5000"))
PLANS = int(os.environ.get("BENCH_PLANS", "20"))
TASKS = int(os.environ.get("BENCH_TASKS_PER_PLAN", "1000"))
AGENCIES = int(os.environ.get("BENCH_AGENCIES", "250"))
LIMIT = 60.0

PEOPLE_SCRIPT = """
import django, json
django.setup()
from dondoc.accounts.models import User
from dondoc.orgs.models import Agency
from dondoc.plans.models import Assignment
agencies = list(Assignment.objects.values_list("agency_id", flat=True).distinct().order_by("agency_id"))
people, n = [], {people}
for i in range(n):
    agency = agencies[i % len(agencies)]
    role = "head" if i < len(agencies) else "focal"
    people.append(User(username=f"bench.nhacviec.{{i:05d}}", role=role, agency_id=agency, password="!",
                       email=f"nguoi{{i:05d}}@bench.tuyenquang.gov.vn", full_name=f"Cán bộ {{i}}"))
User.objects.bulk_create(people, batch_size=1000)
print(json.dumps({{"people": n, "agencies": len(agencies), "assignments": Assignment.objects.count()}}))
"""

RUN_SCRIPT = """
import django, json, time, datetime as dt
django.setup()
from django.conf import settings
from django.db import connection
from dondoc.notify.models import Outbox, Reminder, SweepRun
from dondoc.notify.outbox import send_due
from dondoc.notify.reminders import sweep
from dondoc.tracking.models import Notification

day = dt.date.fromisoformat({day!r})
port = {port}
if port:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""

out = []
for run in range({runs}):
    Reminder.objects.all().delete(); Outbox.objects.all().delete(); SweepRun.objects.all().delete()
    Notification.objects.filter(kind="reminder").delete()
    t0 = time.perf_counter()
    result = sweep(day)
    t1 = time.perf_counter()
    mail = send_due(ignore_hour=True) if port else {{"sent": 0}}
    t2 = time.perf_counter()
    out.append({{"sweep": t1 - t0, "send": t2 - t1, "reminders": result.reminders, "people": result.people,
                "digests": result.digests, "sent": mail["sent"]}})
print(json.dumps(out))
"""


@contextlib.contextmanager
def smtp_sink():
    """aiosmtpd's Sink handler in its own process (a real SMTP exchange, not sharing the sender's interpreter);
    yields its port, or 0 when aiosmtpd is not installed."""
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        yield 0
        return
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
                               "-l", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the SMTP sink did not start")
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(database: str, url: str | None) -> None:
    with scratch_env(url) as env, smtp_sink() as port:
        env = {**env, "DJANGO_SETTINGS_MODULE": "dondoc.settings"}
        dondoc(env, "migrate", "--noinput")
        dondoc(env, "load_orgs")
        out = dondoc(env, "bench_data", "--plans", str(PLANS), "--tasks-per-plan", str(TASKS), "--agencies", str(AGENCIES),
                     "--claims", "0.3")
        print(f"[{database}] " + out.strip().splitlines()[-1], flush=True)
        info = json.loads(subprocess.run([sys.executable, "-c", PEOPLE_SCRIPT.format(people=PEOPLE)], env=env, check=True,
                                         capture_output=True, text=True).stdout.strip().splitlines()[-1])
        print(f"[{database}] {info['people']} agency people with e-mail over {info['agencies']} agencies, "
              f"{info['assignments']} assignments", flush=True)
        # A typical day, and the heaviest: a week before 10/12/2024, the report date most 2024 tasks fall back on.
        for label, day in (("typical day 2024-10-15", "2024-10-15"), ("heaviest day 2024-12-03", "2024-12-03")):
            runs = json.loads(subprocess.run([sys.executable, "-c", RUN_SCRIPT.format(day=day, runs=RUNS, port=port)], env=env,
                                             check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            med = lambda k: sorted(r[k] for r in runs)[len(runs) // 2]  # noqa: E731
            total = med("sweep") + med("send")
            r = runs[0]
            print(f"[{database}] {label}: {r['reminders']} reminders for {r['people']} people, {r['digests']} digests "
                  f"({r['sent']} sent over SMTP); median of {RUNS}: sweep {med('sweep'):.2f} s, send {med('send'):.2f} s, "
                  f"daily run {total:.2f} s ({'under' if total < LIMIT else 'OVER'} {LIMIT:.0f} s)", flush=True)


def main() -> int:
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        print("(aiosmtpd is not installed — pip install -e '.[test]': the SMTP part of the reminder run is skipped)")
    if not os.environ.get("BENCH_ONLY_PG"):
        run("SQLite", None)
    if os.environ.get("BENCH_PG_URL"):
        run("PostgreSQL", os.environ["BENCH_PG_URL"])
    else:
        print("(set BENCH_PG_URL=postgres://... to run the same on PostgreSQL; the database is created and dropped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
