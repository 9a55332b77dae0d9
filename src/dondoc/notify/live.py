"""Which reminders still hold when they are read: the sweep makes them in the morning, the page "Nhắc việc" and the
digest e-mail read them later, by when a task may be done, awaiting confirmation, cancelled or given more time.

Each reminder is read against its assignment's span of the status cache on the day (tracking.spans), with the
status rule of tracking/status_sql.py:
- a deadline reminder (before, due today, overdue) holds while the span is open and overdue, or coming due within
  the schedule's furthest advance notice; its due date is the span's, so an extension moves it;
- a periodic-report reminder holds while the recurring task is ongoing; its due date is the period's report date.
An assignment reminded several times (a digest carrying more than one day's reminders) is one line.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet

from dondoc.tracking import spans
from dondoc.tracking.models import StatusSpan
from dondoc.tracking.status import Status
from dondoc.tracking.status_sql import coming_due_q, overdue_q

from . import schedule as schedules
from .digest import Line
from .models import REPORT_BEFORE, REPORT_TODAY, Reminder

REPORT_KINDS = (REPORT_BEFORE, REPORT_TODAY)
FIELDS = ("kind", "due", "assignment_id", "assignment__role", "assignment__task__ref", "assignment__task__text",
          "assignment__task__plan__number", "assignment__task__recurrence")


def holding(reminders: QuerySet[Reminder], day: dt.date) -> tuple[dict[int, dt.date], set[int]]:
    """({assignment: its due date} of the deadline reminders that hold on `day`, {assignments ongoing}). A subquery,
    not a list of ids: a batch of digests on a heavy day names more assignments than SQLite takes parameters."""
    held = spans.on(day, StatusSpan.objects.filter(assignment_id__in=reminders.values("assignment_id")))
    horizon = day + dt.timedelta(days=max(schedules.current().before_days, default=0))
    due = dict(held.filter(overdue_q(day) | coming_due_q(day, horizon)).values_list("assignment_id", "due"))
    ongoing = set(held.filter(state=Status.ONGOING.value).values_list("assignment_id", flat=True))
    return due, ongoing


def lines(reminders: QuerySet[Reminder], day: dt.date, *, by: str | None = None) -> dict:
    """The lines of `reminders` that hold on `day`, grouped by the field `by` (the digest's outbox), or all under
    None."""
    due, ongoing = holding(reminders, day)
    out: dict = defaultdict(list)
    seen = set()
    for key, kind, reminded_due, a_id, role, ref, text, number, recurrence in reminders.values_list(
            by or "pk", *FIELDS).order_by("pk"):
        key = key if by else None
        if kind in REPORT_KINDS:
            if a_id not in ongoing:
                continue
            shown_due = reminded_due
        elif a_id in due:
            shown_due = due[a_id]
        else:
            continue
        mark = (key, a_id, kind in REPORT_KINDS, shown_due)
        if mark in seen:
            continue
        seen.add(mark)
        out[key].append(Line(kind, a_id, ref, text, number, shown_due, role, recurrence or ""))
    return out
