"""The daily reminder sweep: which agency people are reminded of which assignments on a day.

For the day D and the schedule (schedule.py), read from the status cache (tracking.StatusSpan, spans holding on
D of published plans):
- open assignments due on D + n for every n in `before_days` → "before" (optional);
- open assignments due on D, when `on_the_day` → "due_today" (mandatory);
- open assignments overdue by a multiple of `overdue_every` days → "overdue" (mandatory);
- recurring tasks (Task.recurrence, spans in state "ongoing") whose period report date (the day the report page
  shows: reports/deadlines.py, the plan's own date or the working days after the cut-off, holidays skipped) is D + n for n in `report_before_days` → "report_before" (optional), or
  D itself when `on_the_day` → "report_today" (mandatory).
Tasks awaiting confirmation, done or cancelled are not reminded. A partner agency (phối hợp) gets the reminders
before and on the deadline while a lead agency still has the task open; overdue and periodic-report reminders
go to the lead agencies, who answer for them. Who: the active heads and focal points of the assignment's agency;
when the head has named a person responsible (Assignment.assignee), that person and the heads only. A person who
chose "only mandatory" gets no optional reminder.

A person without an e-mail address gets the in-app notification; their reminders are kept for e-mail ("chờ địa
chỉ", listed in the admin) and go in the first digest after an address is set — those still live then.

Everything is written with INSERT ... SELECT ... ON CONFLICT DO NOTHING against the unique key (person,
assignment, kind, day), so a second run — a restart, another worker — inserts nothing and notifies nobody
again. Work goes by batches of agencies, one transaction each: reminders, the in-app notification (one per
person per run that found something new) and the person's digest e-mail row (Outbox, unique per person and
day) land together.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import defaultdict

from django.db import OperationalError, connection, transaction
from django.db.models import Count
from django.urls import reverse

from dondoc.accounts.models import User
from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.core import clock
from dondoc.plans.models import Assignment, Plan, PlanStatus, Task
from dondoc.reports import deadlines, periods
from dondoc.tracking import spans
from dondoc.tracking.models import Notification, StatusSpan
from dondoc.tracking.status import OPEN, Status
from dondoc.tracking.status_sql import overdue_q

from . import schedule as schedules
from .models import (BEFORE, DUE_TODAY, OPTIONAL_KINDS, OVERDUE, REPORT_BEFORE, REPORT_TODAY, NotificationPreference,
                     Outbox, Reminder, SweepRun)
from .preferences import DEFAULT as DEFAULT_PREFERENCES, send_time

log = logging.getLogger(__name__)

AGENCIES_PER_BATCH = 50
IN_LIST = 500  # dates per IN (...) list
RECURRENCES = tuple(k for k in ("monthly", "quarterly", "semiannual", "annual") if k in periods.KINDS)


def _retrying(fn, *args, **kwargs):
    """SQLite answers "database is locked" to a second writer that waited too long, PostgreSQL "deadlock detected"
    to one of two workers inserting the same keys in another order: the transaction was rolled back, try again."""
    for attempt in range(60):
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            message = str(exc).lower()
            if ("locked" not in message and "deadlock" not in message) or attempt == 59:
                raise
            time.sleep(0.05 + random.random() * 0.2)


class _Rule:
    """One INSERT ... SELECT: a kind, a condition on the span (and task), and the due date written."""

    def __init__(self, kind: str, condition: str, params: list, *, due_sql: str = "s.due", due_params=(), task: bool = False):
        self.kind, self.condition, self.params = kind, condition, list(params)
        self.due_sql, self.due_params, self.task = due_sql, list(due_params), task


def _in(column: str, values: list) -> tuple[str, list]:
    chunks = [values[i:i + IN_LIST] for i in range(0, len(values), IN_LIST)]
    sql = " OR ".join(f"{column} IN ({', '.join(['%s'] * len(c))})" for c in chunks)
    return f"({sql})", [v for c in chunks for v in c]


def _lead_open(day: dt.date) -> tuple[str, list]:
    """A partner (phối hợp) is reminded before the deadline only while a lead of the task still has it open."""
    t = _tables()
    d = connection.ops.adapt_datefield_value(day)
    return (f"(s.role = %s OR EXISTS (SELECT 1 FROM {t['S']} l WHERE l.task_id = s.task_id AND l.role = %s "
            f"AND l.start <= %s AND l.{t['end']} > %s AND l.state = %s))"), ["lead", "lead", d, d, OPEN]


def rules(day: dt.date, sched: schedules.Schedule) -> list[_Rule]:
    ops = connection.ops
    d = ops.adapt_datefield_value
    out = []
    lead_open, lead_params = _lead_open(day)
    if sched.before_days:
        cond, params = _in("s.due", [d(day + dt.timedelta(days=n)) for n in sched.before_days])
        out.append(_Rule(BEFORE, f"s.state = %s AND {cond} AND {lead_open}", [OPEN, *params, *lead_params]))
    if sched.on_the_day:
        out.append(_Rule(DUE_TODAY, f"s.state = %s AND s.due = %s AND {lead_open}", [OPEN, d(day), *lead_params]))
    # The overdue due dates that exist (a few hundred at most), kept when a whole number of periods has passed.
    overdue = sorted(due for due in spans.on(day).filter(overdue_q(day)).order_by()
                     .values_list("due", flat=True).distinct() if (day - due).days % sched.overdue_every == 0)
    if overdue:
        cond, params = _in("s.due", [d(due) for due in overdue])
        out.append(_Rule(OVERDUE, f"s.state = %s AND s.role = %s AND {cond}", [OPEN, "lead", *params]))
    horizon = day + dt.timedelta(days=max(sched.report_before_days, default=0))
    by_day: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    for (kind, plan_id), dates in plan_report_dates(day, horizon).items():
        for _period, report_day in dates:
            by_day[(kind, report_day)].append(plan_id)
    for (kind, report_day), plan_ids in sorted(by_day.items()):
        ahead = (report_day - day).days
        if ahead == 0 and sched.on_the_day:
            which = REPORT_TODAY
        elif ahead in sched.report_before_days:
            which = REPORT_BEFORE
        else:
            continue
        cond, params = _in("s.plan_id", plan_ids)
        out.append(_Rule(which, f"s.state = %s AND s.role = %s AND t.recurrence = %s AND {cond}",
                         [Status.ONGOING.value, "lead", kind, *params], due_sql="%s", due_params=[d(report_day)], task=True))
    return out


def plan_report_dates(start: dt.date, end: dt.date) -> dict[tuple[str, int], list[tuple[periods.Period, dt.date]]]:
    """(kind, plan id) -> (period, report date) of each period of `kind` the plan's agencies report in [start, end],
    for published plans with recurring tasks: the day the report page shows (reports.deadlines.report_deadline_for:
    the plan's own date where it applies, else the generic deadline, holidays skipped)."""
    plans = list(Plan.objects.filter(status=PlanStatus.PUBLISHED, tasks__recurrence__in=RECURRENCES).distinct()
                 .only("pk", "agency_report_date"))
    if not plans:
        return {}
    off = deadlines.holidays()
    out: dict[tuple[str, int], list[tuple[periods.Period, dt.date]]] = defaultdict(list)
    for kind in RECURRENCES:
        # A plan's own date lies between its period's first day and a few days after the cut-off.
        period = periods.period_containing(kind, start - dt.timedelta(days=40))
        while period.start <= end:
            for plan in plans:
                due = deadlines.report_deadline_for(plan, period, holidays=off)
                if start <= due <= end:
                    out[(kind, plan.pk)].append((period, due))
            period = periods.period_containing(kind, period.end + dt.timedelta(days=1))
    return out


def _tables() -> dict[str, str]:
    q = connection.ops.quote_name
    return {"R": q(Reminder._meta.db_table), "S": q(StatusSpan._meta.db_table), "P": q(Plan._meta.db_table),
            "A": q(Assignment._meta.db_table), "T": q(Task._meta.db_table), "U": q(User._meta.db_table),
            "N": q(NotificationPreference._meta.db_table), "end": q("end")}


def _insert(rule: _Rule, day: dt.date, run: SweepRun, agency_ids: list[int], now: dt.datetime) -> int:
    t = _tables()
    ops = connection.ops
    optional = rule.kind in OPTIONAL_KINDS
    agencies = ", ".join(["%s"] * len(agency_ids))
    sql = f"""
        INSERT INTO {t['R']} (user_id, assignment_id, agency_id, kind, occurrence, due, emailable, sweep_id, created_at)
        SELECT u.id, s.assignment_id, s.agency_id, %s, %s, {rule.due_sql},
               CASE WHEN COALESCE(p.email_digest, %s) THEN %s ELSE %s END, %s, %s
        FROM {t['S']} s
        JOIN {t['P']} pl ON pl.id = s.plan_id
        JOIN {t['A']} a ON a.id = s.assignment_id
        {f"JOIN {t['T']} t ON t.id = s.task_id" if rule.task else ""}
        JOIN {t['U']} u ON u.agency_id = s.agency_id
        LEFT JOIN {t['N']} p ON p.user_id = u.id
        WHERE s.agency_id IN ({agencies}) AND s.start <= %s AND s.{t['end']} > %s AND pl.status = %s
          AND u.is_active = %s AND u.role IN (%s, %s)
          AND (a.assignee_id IS NULL OR a.assignee_id = u.id OR u.role = %s)
          {"AND (p.only_mandatory IS NULL OR p.only_mandatory = %s)" if optional else ""}
          AND {rule.condition}
        ON CONFLICT DO NOTHING"""
    params = [rule.kind, ops.adapt_datefield_value(day), *rule.due_params,
              DEFAULT_PREFERENCES.email_digest, True, False, run.pk, ops.adapt_datetimefield_value(now),
              *agency_ids, ops.adapt_datefield_value(day), ops.adapt_datefield_value(day), "published",
              True, Role.HEAD.value, Role.FOCAL.value, Role.HEAD.value,
              *([False] if optional else []), *rule.params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def summary(counts: dict[str, int]) -> str:
    """“3 nhiệm vụ quá hạn, 1 đến hạn hôm nay, 2 sắp đến hạn, 1 báo cáo định kỳ” (zero counts left out)."""
    parts = []
    for n, label in ((counts.get(OVERDUE, 0), "quá hạn"), (counts.get(DUE_TODAY, 0), "đến hạn hôm nay"),
                     (counts.get(BEFORE, 0), "sắp đến hạn")):
        if n:
            parts.append(f"{n} {'nhiệm vụ ' if not parts else ''}{label}")
    reports = counts.get(REPORT_BEFORE, 0) + counts.get(REPORT_TODAY, 0)
    if reports:
        parts.append(f"{reports} báo cáo định kỳ")
    return ", ".join(parts)


def reminders_url(day: dt.date) -> str:
    return f"{reverse('notify:reminders')}?ngay={day.isoformat()}"


def _batch(day: dt.date, sched_rules: list[_Rule], run: SweepRun, agency_ids: list[int]) -> tuple[int, int, int]:
    now = clock.now()
    created = sum(_insert(rule, day, run, agency_ids, now) for rule in sched_rules)
    if not created:
        people = 0
    else:
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for user_id, kind, n in (Reminder.objects.filter(sweep=run, agency_id__in=agency_ids)
                                 .values_list("user_id", "kind").annotate(n=Count("id")).order_by()):
            counts[user_id][kind] = n
        url = reminders_url(day)
        Notification.objects.bulk_create(
            [Notification(user_id=user_id, kind="reminder", text=f"Nhắc việc ngày {day:%d/%m/%Y}: {summary(c)}"[:500], url=url,
                          created_at=now) for user_id, c in counts.items()], batch_size=1000)
        people = len(counts)
    # A digest row for everyone with an address and reminders not yet in an e-mail (today's, a later run's of a day
    # whose digest had already gone, or those kept while the person had no address: they go once one is set).
    # Read by person (the partial index reminder_unmailed), from the batch's people with an address.
    addressed = User.objects.filter(agency_id__in=agency_ids, is_active=True).exclude(email="").values("pk")
    waiting = set(Reminder.objects.filter(outbox__isnull=True, emailable=True, user_id__in=addressed)
                  .values_list("user_id", flat=True).distinct())
    digests = 0
    if waiting:
        hours = dict(NotificationPreference.objects.filter(user_id__in=waiting).values_list("user_id", "digest_hour"))
        before = Outbox.objects.filter(day=day, user_id__in=waiting).count()
        Outbox.objects.bulk_create(
            [Outbox(user_id=u, day=day, next_attempt_at=send_time(day, hours.get(u, DEFAULT_PREFERENCES.digest_hour)),
                    created_at=now) for u in sorted(waiting)], batch_size=1000, ignore_conflicts=True)
        digests = Outbox.objects.filter(day=day, user_id__in=waiting).count() - before
    return created, people, digests


def sweep(day: dt.date | None = None) -> SweepRun:
    """Generate the reminders of `day` (default: today), their in-app notifications and digest rows. Safe to run
    any number of times, from any number of workers at once."""
    day = day or clock.today()

    def read():
        return (rules(day, schedules.current()),
                sorted(set(User.objects.filter(is_active=True, role__in=AGENCY_ROLES, agency__isnull=False)
                           .values_list("agency_id", flat=True))))

    sched_rules, agency_ids = _retrying(read)
    run = _retrying(SweepRun.objects.create, day=day, started_at=clock.now())
    totals = [0, 0, 0]

    def one(chunk):
        with transaction.atomic():
            return _batch(day, sched_rules, run, chunk)

    try:
        for i in range(0, len(agency_ids), AGENCIES_PER_BATCH):
            for k, n in enumerate(_retrying(one, agency_ids[i:i + AGENCIES_PER_BATCH])):
                totals[k] += n
    except Exception as exc:
        SweepRun.objects.filter(pk=run.pk).update(error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=clock.now())
        raise
    run.reminders, run.people, run.digests = totals
    run.finished_at = clock.now()
    _retrying(SweepRun.objects.filter(pk=run.pk).update, reminders=run.reminders, people=run.people,
              digests=run.digests, finished_at=run.finished_at)
    log.info("reminder sweep %s: %s new reminders for %s people, %s new digests", day, *totals)
    return run
