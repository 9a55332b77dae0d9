"""The small scheduler `dondoc worker` runs beside the task queue (Healthchecks' sendalerts, in a thread).

Every minute: reclaim the background jobs whose worker died (plans/jobs.py); if the sweep lease is free (every
SWEEP_MINUTES, across all workers), apply the hand-overs scheduled for today (tracking/handover.py), run the
reminder sweep for today and queue the webhooks of assignments become overdue; then send the digests that are due, and the webhooks (for at most webhooks.RUN_SECONDS). All are safe on
several workers at once — the sweeps through their unique keys, the senders through their atomic claims — so the
lease only saves work, it does not guard correctness.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction

from dondoc.core import clock

from .models import Lease

log = logging.getLogger(__name__)

TICK_SECONDS = 60
SWEEP_LEASE = "reminders.sweep"


def sweep_minutes() -> int:
    return settings.DONDOC_REMINDER_SWEEP_MINUTES


def try_lease(name: str, length: dt.timedelta, now: dt.datetime | None = None, holder: str = "") -> bool:
    """Take the lease `name` until now + length if it is free; True for exactly one of any concurrent callers."""
    from .reminders import _retrying

    return _retrying(_try_lease, name, length, now or clock.now(), holder)


def _try_lease(name: str, length: dt.timedelta, now: dt.datetime, holder: str) -> bool:
    holder = holder or secrets.token_hex(8)
    if Lease.objects.filter(name=name, until__lte=now).update(until=now + length, holder=holder):
        return True
    if Lease.objects.filter(name=name).exists():
        return False
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, until=now + length, holder=holder)
        return True
    except IntegrityError:
        return False


def tick(now: dt.datetime | None = None) -> dict:
    from dondoc.plans.jobs import reclaim_stale_jobs
    from dondoc.tracking import handover

    from . import webhooks
    from .outbox import send_due
    from .reminders import _retrying, sweep

    result = {}
    try:
        # Jobs whose worker died (no heartbeat): retried once or failed visibly. Safe on every worker at once.
        result["jobs"] = _retrying(reclaim_stale_jobs)
    except Exception:  # the reminders still go out this minute
        log.exception("reclaiming stale jobs failed")
    if try_lease(SWEEP_LEASE, dt.timedelta(minutes=sweep_minutes()), now):
        try:
            # Hand-overs prepared for today first: the reminders then go to the agencies that now hold the work.
            result["handovers"] = handover.apply_due(clock.today())
        except Exception:
            log.exception("applying the scheduled hand-overs failed")
        run = sweep(clock.today())
        result["sweep"] = {"reminders": run.reminders, "people": run.people, "digests": run.digests}
        try:
            result["webhooks_overdue"] = webhooks.enqueue_overdue(clock.today())
        except Exception:  # the digests still go out this minute
            log.exception("queueing the overdue webhooks failed")
    result["mail"] = send_due(now)
    try:
        result["webhooks"] = webhooks.send_due(now, seconds=webhooks.RUN_SECONDS)
    except Exception:
        log.exception("sending webhooks failed")
    return result


def run_forever(stop: threading.Event, interval: float = TICK_SECONDS) -> None:
    while not stop.is_set():
        try:
            tick()
        except Exception:  # a bad minute must not stop the reminders for good
            log.exception("reminder scheduler tick failed")
        finally:
            close_old_connections()
        stop.wait(interval)
    connection.close()  # this thread's own connection


def start(interval: float = TICK_SECONDS) -> threading.Event:
    """Run the loop in a daemon thread; set the returned event to stop it (its `thread` can be joined)."""
    stop = threading.Event()
    stop.thread = threading.Thread(target=run_forever, args=(stop, interval), name="dondoc-reminders", daemon=True)
    stop.thread.start()
    return stop
