"""An agency's work list ("Việc của tôi"), grouped and counted in SQL over the status cache (spans.py): an agency
may hold thousands of assignments, and only the rows shown are read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, Value, When

from dondoc.core import clock

from . import spans
from .models import Direction, StatusSpan
from .status import OPEN, Due, Status, days_late_on, due_for, status_on

GROUPS = (("overdue", "Quá hạn", "danger"), ("soon", "Đến hạn trong 7 ngày", "warning"),
          ("action", "Cần xử lý (bị trả lại, có ý kiến chỉ đạo)", "info"), ("rest", "Đang thực hiện", "secondary"),
          ("done", "Đã hoàn thành", "success"))
DONE = (Status.DONE_ON_TIME.value, Status.DONE_LATE.value)


@dataclass
class WorkItem:
    pk: int
    role: str
    agency_id: int
    task_id: int
    ref: str
    text: str
    order: int
    plan_label: str
    due: Due  # as the plan sets it (its label says "theo hạn báo cáo của Kế hoạch" where that applies)
    effective_due: dt.date | None
    status: Status
    days_late: int
    returned: bool
    directed: bool


class WorkList:
    """The assignments of one agency on one day, as a queryset of spans annotated with their group."""

    def __init__(self, agency_id: int, day: dt.date | None = None):
        self.agency_id = agency_id
        self.day = day or clock.today()
        # Directions not yet acknowledged by the agency: few, read once.
        self.directed = set(Direction.objects.filter(Q(agency_id=agency_id) | Q(agency__isnull=True),
                                                     task__assignments__agency_id=agency_id)
                            .exclude(acks__agency_id=agency_id).values_list("task_id", flat=True))
        soon = self.day + dt.timedelta(days=7)
        self.queryset = (spans.on(self.day, StatusSpan.objects.filter(agency_id=agency_id))
                         .exclude(state=Status.CANCELLED.value)
                         .annotate(group=Case(
                             When(state=OPEN, due__lt=self.day, then=Value("overdue")),
                             When(state__in=DONE, then=Value("done")),
                             When(Q(returned=True) | Q(task_id__in=self.directed), then=Value("action")),
                             When(state=OPEN, due__lte=soon, then=Value("soon")),
                             default=Value("rest"), output_field=CharField())))

    def counts(self) -> dict[str, int]:
        found = dict(self.queryset.order_by().values_list("group").annotate(n=Count("id")).values_list("group", "n"))
        return {key: found.get(key, 0) for key, _, _ in GROUPS}

    def rows(self, group: str | None = None, *, overdue_first: bool = False):
        """A queryset of items (sliced by the caller), soonest due first, then in the plan's order."""
        qs = self.queryset if group is None else self.queryset.filter(group=group)
        order = [F("due").asc(nulls_last=True), "task__order", "assignment_id"]
        if overdue_first:
            qs = qs.annotate(late=Case(When(group="overdue", then=Value(0)), default=Value(1)))
            order.insert(0, "late")
        return qs.order_by(*order)

    def items(self, rows) -> list[WorkItem]:
        """WorkItems for a slice of rows(): one query for them, their tasks and plans."""
        out = []
        for (a_id, role, task_id, ref, text, order, d_date, d_text, recurrence, number, report_date, state, due,
             completed_on, returned) in rows.values_list(
                "assignment_id", "role", "task_id", "task__ref", "task__text", "task__order", "task__deadline_date",
                "task__deadline_text", "task__recurrence", "task__plan__number", "task__plan__agency_report_date",
                "state", "due", "completed_on", "returned"):
            out.append(WorkItem(
                pk=a_id, role=role, agency_id=self.agency_id, task_id=task_id, ref=ref, text=text, order=order,
                plan_label=f"Kế hoạch số {number}" if number else "Kế hoạch",
                due=due_for(d_date, d_text, recurrence or None, report_date), effective_due=due,
                status=status_on(state, due, self.day), days_late=days_late_on(state, due, completed_on, self.day),
                returned=returned, directed=task_id in self.directed))
        return out


def overdue_count(agency_id: int, day: dt.date | None = None) -> int:
    """For the menu: one indexed count."""
    day = day or clock.today()
    return spans.on(day, StatusSpan.objects.filter(agency_id=agency_id)).filter(spans.overdue_q(day)).count()
