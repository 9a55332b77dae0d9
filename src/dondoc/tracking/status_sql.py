"""The SQL mirror of status.py: its status rule as database expressions over StatusSpan rows (spans.py), for the
lists, figures, reminders and digests that count thousands of assignments.

A span's state is OPEN or a settled status; an open span is overdue once the day is past its due date
(status.past_due(), status.status_on()), the deadline day itself being on time. Every query on "overdue", "open in
time" or "done" takes its condition from here; tests/tracking/test_status_sql.py holds these equal to status.py on
generated histories, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Count, F, Q, Value, When

from .status import DONE_STATES, OPEN, Status

CANCELLED = Status.CANCELLED.value


def overdue_q(day: dt.date) -> Q:
    """Spans overdue on `day`: open, past their due date."""
    return Q(state=OPEN, due__lt=day)


def open_in_time_q(day: dt.date) -> Q:
    """Spans open and in time on `day`: due on it or later, or without a due date."""
    return Q(state=OPEN) & (Q(due__gte=day) | Q(due__isnull=True))


def coming_due_q(day: dt.date, last: dt.date) -> Q:
    """Spans open and in time on `day`, due by `last` (the day itself included)."""
    return Q(state=OPEN, due__gte=day, due__lte=last)


def done_q() -> Q:
    """Spans done, on time or late."""
    return Q(state__in=DONE_STATES)


def awaiting_late_q(day: dt.date) -> Q:
    """Spans awaiting confirmation past their due date: due by `day`, though not overdue."""
    return Q(state=Status.AWAITING.value, due__lt=day)


def status_q(day: dt.date, statuses) -> Q:
    """Spans whose status on `day` is one of `statuses` (Status values): status_expr(day) IN statuses, written as
    conditions on the columns themselves so that an index on (state, due) answers it rather than a scan."""
    codes = set(statuses)
    q = Q(pk__in=[])  # none: a code that names no status matches nothing, as in status_expr(day) IN (...)
    for status in (s for s in Status if s.value in codes):
        q |= (overdue_q(day) if status is Status.OVERDUE else open_in_time_q(day) if status is Status.OPEN_IN_TIME
              else Q(state=status.value))
    return q


def status_expr(day: dt.date) -> Case:
    """The status on `day` of the span at hand, as a Status value (status.status_on() in SQL)."""
    return Case(When(overdue_q(day), then=Value(Status.OVERDUE.value)),
                When(state=OPEN, then=Value(Status.OPEN_IN_TIME.value)),
                default=F("state"), output_field=CharField())


def lead_counts(day: dt.date) -> dict[str, Count]:
    """combine_counts()' arguments as aggregates over a task's lead spans holding on `day` (grouped by task)."""
    return {"live": Count("id", filter=~Q(state=CANCELLED)), "done": Count("id", filter=done_q()),
            "late": Count("id", filter=Q(state=Status.DONE_LATE.value)), "overdue": Count("id", filter=overdue_q(day)),
            "awaiting": Count("id", filter=Q(state=Status.AWAITING.value)),
            "ongoing": Count("id", filter=Q(state=Status.ONGOING.value))}


def combined_status() -> Case:
    """status.combine_counts() in SQL, over the annotations of lead_counts() (the rule for a task led by several
    agencies): a task's status, as a Status value, from its lead spans. Held equal to the Python rule on every
    combination of counts by tests/tracking/test_status_sql.py."""
    return Case(When(live=0, then=Value(CANCELLED)),
                When(Q(done=F("live"), late__gt=0), then=Value(Status.DONE_LATE.value)),
                When(done=F("live"), then=Value(Status.DONE_ON_TIME.value)),
                When(overdue__gt=0, then=Value(Status.OVERDUE.value)),
                When(Q(awaiting__gt=0, live=F("done") + F("awaiting")), then=Value(Status.AWAITING.value)),
                When(ongoing=F("live"), then=Value(Status.ONGOING.value)),
                default=Value(Status.OPEN_IN_TIME.value), output_field=CharField())
