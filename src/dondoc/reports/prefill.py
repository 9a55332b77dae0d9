"""An agency report's items, pre-filled from what the agency already posted: its progress updates in the period
(not withdrawn), its completion claims, and each task's status on the report's day. A fixed number of queries
whatever the number of tasks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from dondoc.core import clock
from dondoc.core.clock import LOCAL_TZ
from dondoc.core.limits import LONG_TEXT
from dondoc.core.text import official_date, shorten
from dondoc.plans.models import Assignment
from dondoc.tracking import spans
from dondoc.tracking.models import Claim, DecisionState, StatusSpan, Update
from dondoc.tracking.status import status_on

from . import periods

NO_UPDATES = "Trong kỳ, đơn vị chưa có báo cáo tiến độ."
NO_UPDATES_OVERALL = "Trong kỳ, đơn vị chưa có báo cáo tiến độ về các nhiệm vụ của Kế hoạch."


@dataclass
class Prefilled:
    assignment_id: int
    task_id: int
    order: int
    role: str
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    percent: int | None = None
    status: str = ""
    from_updates: bool = False
    dates: list[dt.date] = field(default_factory=list)


def local_start(day: dt.date) -> dt.datetime:
    return clock.start_of(day)


def as_of(period: periods.Period, today: dt.date) -> dt.date:
    """The day a report speaks for: the period's cut-off, or today while the period is running."""
    return min(period.end, today)


def report_assignments(plan_id: int, agency_id: int):
    """The agency's live assignments on the plan (lead and partner), in plan order."""
    return (Assignment.objects.filter(task__plan_id=plan_id, agency_id=agency_id, ended_at__isnull=True,
                                      task__cancelled_at__isnull=True)
            .order_by("task__order", "role", "pk"))


def _distinct(texts) -> list[str]:
    out = []
    for t in texts:
        t = (t or "").strip()
        if t and t not in out:
            out.append(t)
    return out


def statuses(assignment_ids, day: dt.date) -> dict[int, str]:
    """Status (status.py value) of each assignment on `day`, from the status cache."""
    out = {}
    rows = spans.on(day, StatusSpan.objects.filter(assignment_id__in=list(assignment_ids)))
    for a_id, state, due in rows.values_list("assignment_id", "state", "due"):
        out[a_id] = status_on(state, due, day).value
    return out


def prefill(plan_id: int, agency_id: int, period: periods.Period, today: dt.date) -> list[Prefilled]:
    day = as_of(period, today)
    rows = list(report_assignments(plan_id, agency_id).values_list("pk", "task_id", "task__order", "role"))
    items = {pk: Prefilled(pk, task_id, order, role) for pk, task_id, order, role in rows}
    if not items:
        return []
    ids = list(items)
    start, end = local_start(period.start), local_start(day + dt.timedelta(days=1))
    by_assignment: dict[int, list[tuple]] = defaultdict(list)
    for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):  # SQLite's bound-parameter limit
        for row in (Update.objects.filter(assignment_id__in=chunk, withdrawn_at__isnull=True,
                                          created_at__gte=start, created_at__lt=end)
                    .order_by("created_at", "id")
                    .values_list("assignment_id", "created_at", "text", "percent", "difficulties", "proposals")):
            by_assignment[row[0]].append(row[1:])
    claims: dict[int, tuple] = {}
    for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):
        for a_id, completed_on, output, state in (
                Claim.objects.filter(assignment_id__in=chunk, created_at__lt=end)
                .filter(Q(state=DecisionState.CONFIRMED) | Q(state=DecisionState.PENDING))
                .order_by("created_at", "id").values_list("assignment_id", "completed_on", "output", "state")):
            claims[a_id] = (completed_on, output, state)
    status = statuses(ids, day)
    for pk, item in items.items():
        updates = by_assignment.get(pk, [])
        texts = _distinct(text for _, text, *_ in updates)
        if len(texts) > 1:
            dated = {}
            for created_at, text, *_ in updates:
                dated.setdefault(text.strip(), created_at.astimezone(LOCAL_TZ).date())
            texts = [f"- {official_date(dated[t])}: {t}" for t in texts]
        results = "\n".join(texts)
        if pk in claims:
            completed_on, output, state = claims[pk]
            word = "Đã hoàn thành" if state == DecisionState.CONFIRMED else "Đã báo cáo hoàn thành"
            line = f"{word} ngày {official_date(completed_on)}" + (f" (sản phẩm: {output.strip()})" if output.strip() else "") + "."
            results = f"{results}\n{line}" if results else line
        item.from_updates = bool(updates)
        # Many long updates joined may pass the field's limit (core/limits.py): the report keeps the first part,
        # ended at a sentence or a word, since the report prints it.
        item.results = shorten(results or NO_UPDATES, LONG_TEXT, one_line=False)
        item.difficulties = shorten("\n".join(_distinct(d for *_, d, _p in updates)), LONG_TEXT, one_line=False)
        item.proposals = shorten("\n".join(_distinct(p for *_, p in updates)), LONG_TEXT, one_line=False)
        percents = [p for _, _, p, _, _ in updates if p is not None]
        item.percent = percents[-1] if percents else None
        item.status = status.get(pk, "")
    return list(items.values())
