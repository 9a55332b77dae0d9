"""An agency's work list ("Việc của tôi"), built from plain rows: an agency may hold thousands of assignments,
and model instances for each of them (with their tasks, plans, claims) cost more than everything else."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from dondoc.core import clock
from dondoc.plans.models import Assignment

from .models import Claim, DecisionState, Direction, Extension
from .status import Due, Record, Status, due_for, evaluate

GROUPS = (("overdue", "Quá hạn", "danger"), ("soon", "Đến hạn trong 7 ngày", "warning"),
          ("action", "Cần xử lý (bị trả lại, có ý kiến chỉ đạo)", "info"), ("rest", "Đang thực hiện", "secondary"),
          ("done", "Đã hoàn thành", "success"))


@dataclass
class WorkItem:
    pk: int
    role: str
    agency_id: int
    task_id: int
    ref: str
    text: str  # filled by with_texts() for the rows shown: thousands of task texts are not read for counting
    order: int
    plan_label: str
    due: Due
    effective_due: dt.date | None
    status: Status
    days_late: int
    returned: bool
    directed: bool


def work_items(agency_id: int, as_of: dt.date | None = None) -> list[WorkItem]:
    as_of = as_of or clock.today()
    rows = list(
        Assignment.objects.filter(agency_id=agency_id, ended_at__isnull=True, task__cancelled_at__isnull=True,
                                  task__plan__status="published")
        .values_list("pk", "role", "task_id", "task__ref", "task__order", "task__deadline_date",
                     "task__deadline_text", "task__recurrence", "task__plan__number", "task__plan__agency_report_date")
    )
    # Filtered by agency through a join, not by a list of thousands of ids (building that list cost more).
    mine = {"assignment__agency_id": agency_id, "assignment__ended_at__isnull": True}
    records: dict[int, list[Record]] = defaultdict(list)
    returned: set[int] = set()
    for a_id, state, completed_on, created_at, decided_at in (
            Claim.objects.filter(**mine).order_by("created_at", "id")
            .values_list("assignment_id", "state", "completed_on", "created_at", "decided_at")):
        records[a_id].append(Record("claim", created_at, completed_on=completed_on))
        if state == DecisionState.CONFIRMED and decided_at:
            records[a_id].append(Record("confirm", decided_at))
        elif state == DecisionState.RETURNED and decided_at:
            records[a_id].append(Record("return", decided_at))
            returned.add(a_id)
    for a_id, new_deadline, decided_at in (
            Extension.objects.filter(state=DecisionState.APPROVED, **mine)
            .values_list("assignment_id", "new_deadline", "decided_at")):
        records[a_id].append(Record("extension", decided_at, new_due=new_deadline))
    directed = set(Direction.objects.filter(Q(agency_id=agency_id) | Q(agency__isnull=True),
                                            task__assignments__agency_id=agency_id)
                   .exclude(acks__agency_id=agency_id).values_list("task_id", flat=True))
    items = []
    # Thousands of assignments share a few deadlines: read each printed deadline once, and evaluate the
    # assignments without records once per due date.
    dues: dict[tuple, Due] = {}
    plain: dict[tuple, object] = {}
    for pk, role, task_id, ref, order, d_date, d_text, recurrence, number, report_date in rows:
        key = (d_date, d_text, recurrence, report_date)
        due = dues.get(key) or dues.setdefault(key, due_for(d_date, d_text, recurrence or None, report_date))
        recurring = due.basis == "recurring"
        if pk in records:
            result = evaluate(due.date, records[pk], as_of, recurring=recurring)
        else:
            result = plain.get((due.date, recurring)) or plain.setdefault(
                (due.date, recurring), evaluate(due.date, (), as_of, recurring=recurring))
        status = result.status
        items.append(WorkItem(
            pk=pk, role=role, agency_id=agency_id, task_id=task_id, ref=ref, text="", order=order,
            plan_label=f"Kế hoạch số {number}" if number else "Kế hoạch", due=due,
            effective_due=result.effective_due, status=status, days_late=result.days_late,
            returned=pk in returned and status not in (Status.AWAITING, Status.DONE_ON_TIME, Status.DONE_LATE),
            directed=task_id in directed))
    return items


def group(items: list[WorkItem], as_of: dt.date | None = None) -> dict[str, list[WorkItem]]:
    soon = (as_of or clock.today()) + dt.timedelta(days=7)
    groups: dict[str, list[WorkItem]] = {key: [] for key, _, _ in GROUPS}
    for item in items:
        if item.status == Status.OVERDUE:
            groups["overdue"].append(item)
        elif item.status in (Status.DONE_ON_TIME, Status.DONE_LATE):
            groups["done"].append(item)
        elif item.returned or item.directed:
            groups["action"].append(item)
        elif item.status == Status.OPEN_IN_TIME and item.effective_due and item.effective_due <= soon:
            groups["soon"].append(item)
        else:
            groups["rest"].append(item)
    for members in groups.values():
        members.sort(key=lambda i: (i.effective_due or dt.date.max, i.order, i.pk))
    return groups


def with_texts(items: list[WorkItem]) -> list[WorkItem]:
    """Task texts for the rows about to be shown, in one query."""
    from dondoc.plans.models import Task

    texts = dict(Task.objects.filter(pk__in={i.task_id for i in items}).values_list("pk", "text"))
    for item in items:
        item.text = texts.get(item.task_id, "")
    return items
