"""Statuses of assignments and tasks, derived from the records (status.py holds the rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch

from dondoc.core import clock
from dondoc.plans.due import Due
from dondoc.plans.due import stored as stored_due
from dondoc.plans.models import Assignment, Task

from .models import Claim, DecisionState, Extension
from .status import LOCAL_TZ, Record, Status, combine, evaluate


def records_of(assignment: Assignment) -> list[Record]:
    """Timestamped records of one assignment, from prefetched claims and extensions and its task."""
    out: list[Record] = []
    for claim in assignment.claims.all():
        out.append(Record("claim", claim.created_at, completed_on=claim.completed_on))
        if claim.state == DecisionState.CONFIRMED and claim.decided_at:
            out.append(Record("confirm", claim.decided_at))
        elif claim.state == DecisionState.RETURNED and claim.decided_at:
            out.append(Record("return", claim.decided_at))
    for ext in assignment.extensions.all():
        if ext.state == DecisionState.APPROVED and ext.decided_at:
            out.append(Record("extension", ext.decided_at, new_due=ext.new_deadline))
    task = assignment.task
    return out + lifecycle_records(task_cancelled_at=task.cancelled_at, ended_at=assignment.ended_at,
                                   added_at=assignment.added_at, continues=assignment.predecessor_id is not None,
                                   due_date=task.due_date)


def lifecycle_records(*, task_cancelled_at, ended_at, added_at, continues: bool, due_date) -> list[Record]:
    """What an assignment's life adds to its decisions (here and in the status cache, spans.compute): its task's
    cancellation; its own end (an amendment, a hand-over); and for an assignment continuing a dissolved agency's, the
    successor's grace period (DONDOC_HANDOVER_GRACE_DAYS): not late until that many days after the hand-over."""
    out = []
    if task_cancelled_at:
        out.append(Record("cancel", task_cancelled_at))
    if ended_at:
        out.append(Record("cancel", ended_at))
    grace = settings.HANDOVER_GRACE_DAYS
    if continues and added_at and grace and due_date is not None:
        new_due = added_at.astimezone(LOCAL_TZ).date() + dt.timedelta(days=grace)
        if due_date < new_due:
            out.append(Record("extension", added_at, new_due=new_due))
    return out


def due_of(task: Task) -> Due:
    return stored_due(task)


def with_records(queryset):
    """Assignments with everything status needs, in a fixed number of queries."""
    return queryset.select_related("task", "task__plan", "agency").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.order_by("created_at", "id")),
        Prefetch("extensions", queryset=Extension.objects.order_by("created_at", "id")),
    )


def annotate(assignments: Iterable[Assignment], as_of: dt.date | None = None) -> list[Assignment]:
    """Set .due, .effective_due, .status, .days_late on each assignment (prefetched with with_records)."""
    as_of = as_of or clock.today()
    out = []
    for a in assignments:
        records = records_of(a)
        a.due = due_of(a.task)
        a.records = records
        result = evaluate(a.due.date, records, as_of, recurring=a.due.basis == "recurring")
        a.effective_due, a.status, a.days_late = result.effective_due, result.status, result.days_late
        out.append(a)
    return out


def task_status(task: Task, as_of: dt.date | None = None) -> Status:
    leads = annotate(with_records(task.assignments.filter(role="lead")), as_of)
    return combine(a.status for a in leads) if leads else Status.OPEN_IN_TIME
