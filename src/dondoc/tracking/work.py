"""An agency's work list ("Việc của tôi"), grouped and counted in SQL over the status cache (spans.py): an agency
may hold thousands of assignments, and only the rows shown are read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Case, CharField, Count, F, Q, Value, When

from dondoc.core import clock
from dondoc.plans.due import Due

from . import spans
from .models import Direction, StatusSpan
from .status import FOREVER, Status, days_late_on, status_on
from .status_sql import coming_due_q, done_q, overdue_q

# "Cần xử lý" gathers what someone asked of the agency (a returned completion claim, a direction not yet read)
# whatever its status, so it comes first; the other four groups divide the work by status, each item once, and an
# item that needs action is marked wherever it appears.
ACTION = "action"
GROUPS = ((ACTION, "Cần xử lý (bị trả lại, có ý kiến chỉ đạo)", "info"), ("overdue", "Quá hạn", "danger"),
          ("soon", "Đến hạn trong 7 ngày", "warning"), ("rest", "Đang thực hiện", "secondary"),
          ("done", "Đã hoàn thành", "success"))


@dataclass
class WorkItem:
    span_id: int
    pk: int  # the assignment
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
    predecessor_id: int | None = None  # handed over from a dissolved agency (tracking/handover.py)
    received_from: str = ""  # that agency's name


class WorkList:
    """The assignments of one agency on one day, as querysets of its spans, one per group."""

    ORDER = (F("due").asc(nulls_last=True), "order", "assignment_id")

    def __init__(self, agency_id: int, day: dt.date | None = None):
        self.agency_id = agency_id
        self.day = day or clock.today()
        # What the lists below are built on, read once per change of the status version (directions and their
        # acknowledgements move it too): an agency opens its list many times between two changes. The querysets
        # are built when a list is read, not for the memoised counts the menu shows on every page.
        self.version = spans.version()

    @cached_property
    def _basis_now(self) -> tuple[set[int], bool, list[int]]:
        return spans.memoised("work-basis", self.agency_id, self.day, at=self.version,
                              compute=lambda: self._basis(self.agency_id, self.day))

    @property
    def directed(self) -> set[int]:
        return self._basis_now[0]

    @cached_property
    def queryset(self):
        _, past, plans = self._basis_now
        mine = StatusSpan.objects.filter(agency_id=self.agency_id)
        if past:
            spans_on_day = spans.on(self.day, mine, plans=plans)  # a past day, or a clock moved back (demo): any span may hold
        else:
            # Nothing of this agency changed after the day (always so for today): the current spans are the ones
            # that hold, and a partial index over them keeps each group in due-date order (span_current).
            spans_on_day = mine.filter(end=FOREVER, start__lte=self.day, plan_id__in=plans)
        return spans_on_day.exclude(state=Status.CANCELLED.value)

    @cached_property
    def groups(self) -> dict[str, Q]:
        soon = self.day + dt.timedelta(days=7)
        overdue = overdue_q(self.day)
        done = done_q()
        near = coming_due_q(self.day, soon)
        return {ACTION: (Q(returned=True) | Q(task_id__in=self.directed)) & ~done, "overdue": overdue,
                "soon": near, "done": done, "rest": ~overdue & ~done & ~near}

    @staticmethod
    def _basis(agency_id: int, day: dt.date) -> tuple[set[int], bool, list[int]]:
        """(tasks with a direction the agency has not acknowledged: few; whether a span of the agency ends after
        the day; the published plans)."""
        directed = set(Direction.objects.filter(Q(agency_id=agency_id) | Q(agency__isnull=True),
                                                task__assignments__agency_id=agency_id)
                       .exclude(acks__agency_id=agency_id).values_list("task_id", flat=True))
        past = StatusSpan.objects.filter(agency_id=agency_id, end__gt=day, end__lt=FOREVER).exists()
        return directed, past, spans.published_plans()

    def counts(self) -> dict[str, int]:
        return spans.memoised("work-counts", self.agency_id, self.day, at=self.version, compute=self._counts)

    def _counts(self) -> dict[str, int]:
        day, soon = self.day, self.day + dt.timedelta(days=7)
        labelled = self.queryset.annotate(group=Case(
            When(overdue_q(day), then=Value("overdue")),
            When(done_q(), then=Value("done")),
            When(coming_due_q(day, soon), then=Value("soon")),
            default=Value("rest"), output_field=CharField()))
        found = dict(labelled.order_by().values_list("group").annotate(n=Count("id")).values_list("group", "n"))
        found[ACTION] = self.queryset.filter(self.groups[ACTION]).count()
        return {key: found.get(key, 0) for key, _, _ in GROUPS}

    def total(self, counts: dict[str, int] | None = None) -> int:
        """How many assignments the list holds: the status groups' sum ("Cần xử lý" overlays them, counted apart)."""
        counts = self.counts() if counts is None else counts
        return sum(n for key, n in counts.items() if key != ACTION)

    def first_of_each_group(self, limit: int) -> tuple[dict[str, int], dict[str, list[WorkItem]]]:
        """Counts per group and the first `limit` items of each (the groups' queries stop after `limit` rows)."""
        counts = self.counts()
        members = {key: list(self.rows(key)[:limit].values_list("pk", flat=True)) if counts[key] else []
                   for key, _, _ in GROUPS}
        items = {item.span_id: item for item in self._items([pk for pks in members.values() for pk in pks])}
        return counts, {key: [items[pk] for pk in pks] for key, pks in members.items()}

    def rows(self, group: str | None = None):
        """A queryset of spans (sliced by the caller), soonest due first, then in the plan's order. It reads the
        spans alone: the tasks of the rows kept are joined afterwards (items()), not those of thousands sorted."""
        qs = self.queryset if group is None else self.queryset.filter(self.groups[group])
        return qs.order_by(*self.ORDER)

    def page(self, start: int, stop: int, counts: dict[str, int] | None = None) -> list[WorkItem]:
        """Items [start, stop) of the whole list, overdue first, each part soonest due first: two walks of the
        index in due-date order, each stopping at the page's last row and joining the tasks of those rows only (a
        sort of the whole list by "is it overdue" would read every row of the agency)."""
        late = (self.counts() if counts is None else counts)["overdue"]
        rows = []
        if start < late:
            rows += self.queryset.filter(self.groups["overdue"]).order_by(*self.ORDER)[start:min(stop, late)].values_list(*ITEM_FIELDS)
        if stop > late:
            rows += self.queryset.exclude(self.groups["overdue"]).order_by(*self.ORDER)[max(start - late, 0):stop - late].values_list(*ITEM_FIELDS)
        return [self._item(row) for row in rows]

    def items(self, rows) -> list[WorkItem]:
        """WorkItems for a slice of rows(), in its order: one query for the slice, one for its tasks and plans."""
        return self._items(list(rows.values_list("pk", flat=True)))

    def _items(self, ids: list[int]) -> list[WorkItem]:
        found = {row[0]: row for row in StatusSpan.objects.filter(pk__in=ids).values_list(*ITEM_FIELDS)}
        return [self._item(found[pk]) for pk in ids]

    def _item(self, row) -> WorkItem:
        (span_id, a_id, role, task_id, ref, text, order, due_date, due_basis, due_label, number, state, due,
         completed_on, returned, predecessor_id, received_from) = row
        return WorkItem(
            span_id=span_id, pk=a_id, role=role, agency_id=self.agency_id, task_id=task_id, ref=ref, text=text, order=order,
            plan_label=f"Kế hoạch số {number}" if number else "Kế hoạch",
            due=Due(due_date, due_basis, due_label), effective_due=due,
            status=status_on(state, due, self.day), days_late=days_late_on(state, due, completed_on, self.day),
            returned=returned, directed=task_id in self.directed, predecessor_id=predecessor_id,
            received_from=received_from or "")


ITEM_FIELDS = ("pk", "assignment_id", "role", "task_id", "task__ref", "task__text", "order", "task__due_date",
               "task__due_basis", "task__due_label", "task__plan__number", "state", "due", "completed_on", "returned",
               "assignment__predecessor_id", "assignment__predecessor__agency__name")


def overdue_count(agency_id: int, day: dt.date | None = None) -> int:
    """For the menu, on every page: the work list's own "Quá hạn" figure (memoised with it until a status changes),
    so the badge and the list it opens always agree."""
    return WorkList(agency_id, day).counts()["overdue"]
