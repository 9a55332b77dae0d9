"""Statuses of assignments and tasks, derived from the records (status.py holds the rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch

from dondoc.core import clock
from dondoc.plans.due import Due
from dondoc.plans.due import stored as stored_due
from dondoc.plans.models import Assignment, Task

from .models import Claim, DecisionState, Extension
from .status import Record, Status, combine, evaluate


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
    if task.cancelled_at:
        out.append(Record("cancel", task.cancelled_at))
    if assignment.ended_at:
        out.append(Record("cancel", assignment.ended_at))
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
