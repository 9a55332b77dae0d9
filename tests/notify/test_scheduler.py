"""The scheduler `dondoc worker` runs: a lease so the sweep runs once per period across workers, then the mail."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.db import OperationalError

from dondoc.notify import scheduler
from dondoc.notify.models import Lease, Outbox, OutboxState
from dondoc.notify.preferences import do_set_preferences

from .conftest import at
from .test_smtp import in_threads

NOW = at(dt.date(2024, 9, 30), 8)


def test_a_lease_is_taken_once_until_it_runs_out(db):
    length = dt.timedelta(minutes=10)
    assert scheduler.try_lease("x", length, NOW)
    assert not scheduler.try_lease("x", length, NOW + dt.timedelta(minutes=9))
    assert scheduler.try_lease("x", length, NOW + dt.timedelta(minutes=10))
    assert Lease.objects.get(name="x").until == NOW + dt.timedelta(minutes=20)


@pytest.mark.django_db(transaction=True)
def test_two_workers_one_lease():
    results = in_threads(4, lambda i: scheduler.try_lease("sweep", dt.timedelta(minutes=10), NOW))
    assert sorted(results) == [False, False, False, True]


def test_tick_sweeps_once_per_period_and_sends(plan, with_emails, settings):
    settings.DEMO_TODAY = dt.date(2024, 9, 30)
    first = scheduler.tick(NOW)
    assert first["sweep"]["reminders"] == 4 and first["mail"]["sent"] == 4
    second = scheduler.tick(NOW + dt.timedelta(minutes=1))
    assert "sweep" not in second and second["mail"]["sent"] == 0
    third = scheduler.tick(NOW + dt.timedelta(minutes=scheduler.sweep_minutes()))
    assert third["sweep"]["reminders"] == 0
    assert len(mail.outbox) == 4


def _sent() -> int:
    """Outbox rows sent so far. SQLite's test database is a shared-cache memory database, where a reader meets the
    scheduler thread's table lock at once ("database table is locked") instead of waiting as on the file the
    application uses: that read is simply asked again."""
    try:
        return Outbox.objects.filter(state=OutboxState.SENT).count()
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return -1


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_thread_sends_the_days_digests(plan, with_emails, settings):
    settings.DEMO_TODAY = dt.date(2024, 9, 30)
    for who in ("lead_head", "lead_focal", "partner_head", "partner_focal"):
        do_set_preferences(with_emails[who], {"digest_hour": 0})  # whatever the hour the test runs at
    stop = scheduler.start(interval=0.05)
    try:
        deadline = time.monotonic() + 60
        while _sent() < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        stop.thread.join(30)
    assert not stop.thread.is_alive()
    assert Outbox.objects.filter(state=OutboxState.SENT).count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{u}@tuyenquang.gov.vn" for u in ("syt.tt", "syt.cb", "tt", "cb"))


@pytest.mark.nodb
def test_worker_starts_the_scheduler_unless_told_not_to(monkeypatch):
    from dondoc import cli

    events = []

    class Stop:
        def set(self):
            events.append("stopped")

    monkeypatch.setattr(cli, "_start_scheduler", lambda: events.append("started") or Stop())
    monkeypatch.setattr("django.core.management.call_command", lambda *args: events.append(args))
    assert cli._worker(["--batch"]) == 0
    assert events == ["started", ("db_worker", "--batch"), "stopped"]
    events.clear()
    assert cli._worker(["--no-scheduler", "--batch"]) == 0
    assert events == [("db_worker", "--batch")]
