"""The follow-up figures: counts by the official convention for a plan, its shortcomings and its agencies, the
overdue list, what comes due, and the ranking of agencies — on any day, counted in SQL over the status cache
(tracking/spans.py).

A plan and its sections count **tasks** (a task's status combines its lead assignments, status.combine);
agencies count their **lead assignments**. Cancelled tasks leave the figures. Results are memoised under the
status version and the day (memo()), so a figure never outlives the data it was computed from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Min, Q, Value, When

from dondoc.core import clock
from dondoc.orgs.models import Agency
from dondoc.plans.models import Plan, Section
from dondoc.tracking import spans
from dondoc.tracking.models import StatusSpan
from dondoc.tracking.status import DONE_STATES as DONE, OPEN, Status, days_late_on, past_due, status_on
from dondoc.tracking.status_sql import awaiting_late_q, coming_due_q, done_q, open_in_time_q, overdue_q, status_q

KEYS = ("done_on_time", "done_late", "open_in_time", "overdue", "awaiting_confirmation", "ongoing")
AWAITING = Status.AWAITING.value
CANCELLED = Status.CANCELLED.value
# The four official figures (QĐ 42/2014, docs/domain.md), with the codes they gather.
OFFICIAL = (("done_on_time", "Đã hoàn thành đúng hạn", ("done_on_time",), "success"),
            ("done_late", "Đã hoàn thành quá hạn", ("done_late",), "warning"),
            ("open_in_time", "Chưa hoàn thành, trong hạn", ("open_in_time", "awaiting_confirmation", "ongoing"), "primary"),
            ("overdue", "Chưa hoàn thành, quá hạn", ("overdue",), "danger"))


def memo(*key, compute):
    return spans.memoised("figures", *key, compute=compute)


def zero() -> dict:
    return dict.fromkeys(KEYS, 0)


def finish(counts: dict, due: int | None = None) -> dict:
    """Add total, due and the share of due tasks done (done ÷ due: done, or past their deadline, by the day)."""
    done = counts["done_on_time"] + counts["done_late"]
    due = done + counts["overdue"] if due is None else due
    return {"total": sum(counts[k] for k in KEYS), **counts, "due": due,
            "due_done_rate": round(done / due, 4) if due else 0.0}


def _scoped(filters: dict) -> dict:
    """Figures across plans (no plan asked for) are the province's plans': an agency's implementation plan details
    work that agency already holds in the plan above, where it is counted (spans.province_plans)."""
    if "plan_id" in filters or "plan_id__in" in filters:
        return filters
    return {**filters, "plan_id__in": spans.province_plans()}


def _leads_on(day: dt.date, **filters):
    return spans.on(day, StatusSpan.objects.filter(role="lead", **_scoped(filters)))


def task_statuses(day: dt.date, **filters) -> list[tuple[int, int | None, str, bool]]:
    """(task id, section id, status, due by `day`) of every task with lead assignments, cancelled ones left out.
    The status is combined in SQL (spans.task_statuses), as every list of tasks by status does."""
    rows = (spans.task_statuses(day, StatusSpan.objects.filter(**filters)).exclude(status=CANCELLED)
            .annotate(section_id=Min("task__section_id"), first_due=Min("due", filter=Q(state__in=(OPEN, AWAITING))))
            .values_list("task_id", "section_id", "status", "first_due"))
    return [(task_id, section_id, status, status in DONE or status == Status.OVERDUE.value
             or (status == AWAITING and past_due(first_due, day)))
            for task_id, section_id, status, first_due in rows]


def status_counts(day: dt.date, key: str, **filters) -> list[tuple[int | None, str, bool, int]]:
    """(key, status, due by `day`, number of tasks) — task_statuses() counted in the database, grouped by a span
    column (`plan_id`, `task__section_id`): a province's million tasks are never read one by one into Python."""
    from django.db import connection

    per_task = (spans.task_statuses(day, StatusSpan.objects.filter(**filters)).exclude(status=CANCELLED)
                .annotate(k=Min(key), first_due=Min("due", filter=Q(state__in=(OPEN, AWAITING))))
                .annotate(is_due=Case(When(status__in=(*DONE, Status.OVERDUE.value), then=Value(1)),
                                      When(status=AWAITING, first_due__lt=day, then=Value(1)),  # status.past_due
                                      default=Value(0), output_field=IntegerField()))
                .values_list("k", "status", "is_due"))
    from django.core.exceptions import EmptyResultSet

    try:
        sql, params = per_task.query.sql_with_params()
    except EmptyResultSet:  # no plan to count (`plan_id__in=[]`): the ORM never runs such a query
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT k, status, is_due, COUNT(*) FROM ({sql}) per_task GROUP BY k, status, is_due", params)
        return [(k, status, bool(is_due), n) for k, status, is_due, n in cursor.fetchall()]


def task_ids(plan_id: int, day: dt.date, statuses, *, agency_id: int | None = None, due_from: dt.date | None = None,
             due_to: dt.date | None = None):
    """Tasks of the plan in one of `statuses` on `day` (the dashboard's figures, clicked through to the task list),
    counted as the figure was: over the lead assignments falling due in the period, if one is given.
    With an agency: the tasks whose lead assignment of that agency is in one of them (the by-agency figures).
    A query of `task_id`s, to filter tasks with (`pk__in`): the statuses are computed and compared in SQL."""
    statuses = list(statuses)
    window = _window(due_from, due_to)
    if agency_id is not None:
        return (_leads_on(day, plan_id=plan_id, agency_id=agency_id, **window)
                .filter(status_q(day, statuses)).values("task_id"))
    return (spans.task_statuses(day, StatusSpan.objects.filter(plan_id=plan_id, **window))
            .filter(status__in=statuses).values("task_id"))


def agency_counts(day: dt.date, **filters) -> dict[int, dict]:
    """Lead assignments per agency, by status on `day`."""
    rows = (_leads_on(day, **filters).exclude(state=CANCELLED).values("agency_id").order_by()
            .annotate(done_on_time=Count("id", filter=Q(state=Status.DONE_ON_TIME.value)),
                      done_late=Count("id", filter=Q(state=Status.DONE_LATE.value)),
                      open_in_time=Count("id", filter=open_in_time_q(day)),
                      overdue=Count("id", filter=overdue_q(day)),
                      awaiting_confirmation=Count("id", filter=Q(state=AWAITING)),
                      ongoing=Count("id", filter=Q(state=Status.ONGOING.value)),
                      awaiting_late=Count("id", filter=awaiting_late_q(day))))
    return {r["agency_id"]: r for r in rows}


def overdue_leads(day: dt.date, **filters) -> list[tuple[int, int]]:
    """(assignment id, agency id) of the lead assignments overdue on `day`: what agency_counts counts as overdue,
    row by row, for a caller that attributes them otherwise (a report by an earlier structure)."""
    return list(_leads_on(day, **filters).exclude(state=CANCELLED).filter(overdue_q(day))
                .values_list("assignment_id", "agency_id"))


def _shortcomings(plan_ids) -> dict[int, tuple]:
    """Section id → (plan id, order key, ref, title) of the shortcoming it belongs to: the section just under a
    part ("II. NỘI DUNG ..." → "1", "2"; "2.1" → "2"), or the part itself for tasks placed in a part (III)."""
    sections = {s.pk: s for s in Section.objects.filter(plan_id__in=plan_ids).only("pk", "plan_id", "ref", "title", "parent_id", "order")}
    out = {}
    for pk, s in sections.items():
        node = s
        while node.parent_id and sections[node.parent_id].parent_id:
            node = sections[node.parent_id]
        out[pk] = (node.plan_id, node.order, node.ref, node.title)
    return out


def agency_names(agency_ids) -> dict[int, tuple[str, str]]:
    return {pk: (name, sort_key) for pk, name, sort_key in
            Agency.objects.filter(pk__in=list(agency_ids)).values_list("pk", "name", "sort_key")}


def _window(due_from: dt.date | None, due_to: dt.date | None) -> dict:
    """Filters for lead assignments falling due in a period (the dashboard's period filter)."""
    out = {}
    if due_from:
        out["due__gte"] = due_from
    if due_to:
        out["due__lte"] = due_to
    return out


def summary(plan: Plan, day: dt.date, due_from: dt.date | None = None, due_to: dt.date | None = None) -> dict:
    """The plan's figures on `day`: the API's /plans/{id}/summary and the dashboard. With a period, only the
    tasks whose deadline falls in it."""
    return memo("summary", plan.pk, day, due_from, due_to,
                compute=lambda: _summary([plan.pk], day, **_window(due_from, due_to)))


def province_summary(day: dt.date, due_from: dt.date | None = None, due_to: dt.date | None = None) -> dict:
    """The same over every published plan, with one row per plan."""
    return memo("province", day, due_from, due_to, compute=lambda: _province(day, **_window(due_from, due_to)))


def _summary(plan_ids: list[int], day: dt.date, **window) -> dict:
    total, due = zero(), 0
    sections = _shortcomings(plan_ids)
    by_section: dict[tuple, dict] = defaultdict(lambda: {"counts": zero(), "due": 0})
    for section_id, status, is_due, n in status_counts(day, "task__section_id", plan_id__in=plan_ids, **window):
        total[status] += n
        due += n * is_due
        key = sections.get(section_id, (None, 10**6, "", "Không thuộc mục nào"))
        by_section[key]["counts"][status] += n
        by_section[key]["due"] += n * is_due
    agencies = agency_counts(day, plan_id__in=plan_ids, **window)
    names = agency_names(agencies)
    by_agency = []
    for agency_id, row in agencies.items():
        counts = {k: row[k] for k in KEYS}
        done = counts["done_on_time"] + counts["done_late"]
        by_agency.append({"agency": {"id": agency_id, "name": names[agency_id][0]}, "_sort": names[agency_id][1],
                          **finish(counts, done + counts["overdue"] + row["awaiting_late"])})
    by_agency.sort(key=lambda r: (-r["overdue"], r["_sort"]))
    for r in by_agency:
        del r["_sort"]
    return {
        "as_of": day, **finish(total, due),
        "by_section": [{"ref": ref, "title": title, **finish(v["counts"], v["due"])}
                       for (_plan, _order, ref, title), v in sorted(by_section.items(), key=lambda kv: kv[0][1])],
        "by_agency": by_agency,
    }


def agency_summary(agency_id: int, day: dt.date) -> dict:
    """An agency's lead assignments by status on `day`, over every published plan, and how many it coordinates."""
    def compute():
        row = agency_counts(day, agency_id=agency_id).get(agency_id) or {**zero(), "awaiting_late": 0}
        counts = {k: row[k] for k in KEYS}
        done = counts["done_on_time"] + counts["done_late"]
        coordinating = (spans.on(day, StatusSpan.objects.filter(**_scoped({"agency_id": agency_id, "role": "coordinating"})))
                        .exclude(state=CANCELLED).count())
        return {**finish(counts, done + counts["overdue"] + row["awaiting_late"]), "coordinating": coordinating}

    return memo("agency", agency_id, day, compute=compute)


def _province(day: dt.date, **window) -> dict:
    # Every published plan, as each plan's own dashboard counts it: the province's figures are their sum.
    plans = list(Plan.objects.filter(pk__in=spans.province_plans()).order_by("-issued_on", "-pk")
                 .values_list("pk", "number", "title"))
    ids = [pk for pk, _, _ in plans]
    per_plan: dict[int, dict] = {pk: {"counts": zero(), "due": 0} for pk in ids}
    total, due = zero(), 0
    for plan_id, status, is_due, n in status_counts(day, "plan_id", plan_id__in=ids, **window):
        total[status] += n
        due += n * is_due
        per_plan[plan_id]["counts"][status] += n
        per_plan[plan_id]["due"] += n * is_due
    return {"as_of": day, **finish(total, due),
            "by_plan": [{"plan": {"id": pk, "number": number, "title": title}, **finish(per_plan[pk]["counts"], per_plan[pk]["due"])}
                        for pk, number, title in plans]}


# --- Lists -------------------------------------------------------------------------------------------------

@dataclass
class Row:
    assignment_id: int
    task_id: int
    plan_id: int
    ref: str
    text: str
    agency: str
    due: dt.date | None
    days_late: int
    status: Status
    days_left: int | None


def overdue(day: dt.date, *, limit: int | None = 50, **filters) -> tuple[int, list[Row]]:
    """Lead assignments overdue on `day`, the longest overdue first: (how many, the first `limit`)."""
    def compute():
        qs = _leads_on(day, **filters).filter(overdue_q(day))
        return qs.count(), _rows(qs.order_by("due", "order", "assignment_id")[:limit], day)

    return memo("overdue", day, limit, sorted(filters.items()), compute=compute)


def coming_due(day: dt.date, *, days: int = 30, limit: int | None = 50, **filters) -> tuple[int, list[Row]]:
    """Open lead assignments due within `days` days from `day` (the day itself included)."""
    def compute():
        qs = _leads_on(day, **filters).filter(coming_due_q(day, day + dt.timedelta(days=days)))
        return qs.count(), _rows(qs.order_by("due", "order", "assignment_id")[:limit], day)

    return memo("coming", day, days, limit, sorted(filters.items()), compute=compute)


def _rows(qs, day) -> list[Row]:
    return [Row(a_id, task_id, plan_id, ref, text, agency, due, days_late_on(state, due, completed_on, day),
                status_on(state, due, day), (due - day).days if due and due >= day else None)
            for a_id, task_id, plan_id, ref, text, agency, due, state, completed_on in qs.values_list(
                "assignment_id", "task_id", "plan_id", "task__ref", "task__text", "agency__name", "due", "state",
                "completed_on")]


@dataclass
class TaskRow:
    """A task in a plan dashboard's list, with the lead agencies the list is about ("k/n cơ quan")."""
    task_id: int
    plan_id: int
    ref: str
    text: str
    agencies: list[str]  # the lead agencies overdue (or coming due), by name
    leads: int  # the task's live lead assignments
    due: dt.date | None  # the earliest due date among them
    days_late: int
    days_left: int | None


def overdue_tasks(day: dt.date, *, plan_id: int, limit: int | None = 50, **window) -> tuple[int, list[TaskRow]]:
    """Tasks of the plan overdue on `day` (status.combine: overdue as soon as one lead agency is), the longest overdue
    first: (how many — the "Chưa hoàn thành, quá hạn" figure —, the first `limit`, each with its overdue agencies)."""
    def compute():
        ids = [t for t, _, status, _ in task_statuses(day, plan_id=plan_id, **window) if status == Status.OVERDUE.value]
        return len(ids), _task_rows(_leads_on(day, task_id__in=ids).filter(overdue_q(day)), day, limit)

    return memo("overdue-tasks", plan_id, day, limit, sorted(window.items()), compute=compute)


def coming_due_tasks(day: dt.date, *, plan_id: int, days: int = 30, limit: int | None = 50) -> tuple[int, list[TaskRow]]:
    """Tasks of the plan with a lead agency's assignment open and due within `days` days from `day`."""
    def compute():
        qs = _leads_on(day, plan_id=plan_id).filter(coming_due_q(day, day + dt.timedelta(days=days)))
        return qs.values("task_id").distinct().count(), _task_rows(qs, day, limit)

    return memo("coming-tasks", plan_id, day, days, limit, compute=compute)


def _task_rows(qs, day: dt.date, limit: int | None) -> list[TaskRow]:
    found: dict[int, TaskRow] = {}
    for task_id, plan_id, ref, text, agency, due, state, completed_on in qs.order_by(
            "due", "order", "agency__sort_key").values_list(
            "task_id", "plan_id", "task__ref", "task__text", "agency__name", "due", "state", "completed_on"):
        row = found.get(task_id)
        if row is None:
            if limit is not None and len(found) >= limit:
                continue
            row = found[task_id] = TaskRow(task_id, plan_id, ref, text, [], 0, due, 0,
                                           (due - day).days if due and due >= day else None)
        row.agencies.append(agency)
        row.days_late = max(row.days_late, days_late_on(state, due, completed_on, day))
    live = dict(_leads_on(day, task_id__in=list(found)).exclude(state=CANCELLED).values("task_id").order_by()
                .annotate(n=Count("id")).values_list("task_id", "n"))
    for row in found.values():
        row.leads = live.get(row.task_id, len(row.agencies))
    return list(found.values())


def progress_by_month(plan: Plan, day: dt.date) -> dict:
    """Tasks falling due and completed, per month, cumulative: the chart of completions against due dates. A task
    falls due with its first lead agency's due date and is completed when its last lead agency's completion is
    confirmed (status.combine). Months from the plan's issue date (or the first due date) to the last due date or `day`."""
    def compute():
        leads: dict[int, list] = defaultdict(list)
        for task_id, due, completed_on, state in (_leads_on(day, plan_id=plan.pk).exclude(state=CANCELLED)
                                                   .values_list("task_id", "due", "completed_on", "state")):
            leads[task_id].append((due, completed_on, state))
        due_months = defaultdict(int)
        done_months = defaultdict(int)
        for rows in leads.values():
            dues = [due for due, _, _ in rows if due is not None]
            if dues:
                first = min(dues)
                due_months[(first.year, first.month)] += 1
            if all(state in DONE and completed_on is not None for _, completed_on, state in rows):
                last = max(completed_on for _, completed_on, _ in rows)
                done_months[(last.year, last.month)] += 1
        months = sorted(set(due_months) | set(done_months))
        if not months:
            return {"labels": [], "due": [], "done": []}
        first = min(months[0], (plan.issued_on.year, plan.issued_on.month)) if plan.issued_on else months[0]
        last = max(months[-1], (day.year, day.month)) if months[-1] < (day.year, day.month) else months[-1]
        labels, due_line, done_line, due_sum, done_sum = [], [], [], 0, 0
        y, m = first
        while (y, m) <= last:
            due_sum += due_months.get((y, m), 0)
            done_sum += done_months.get((y, m), 0)
            labels.append(f"{m:02d}/{y}")
            due_line.append(due_sum)
            done_line.append(done_sum if (y, m) <= (day.year, day.month) else None)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return {"labels": labels, "due": due_line, "done": done_line}

    return memo("progress", plan.pk, day, compute=compute)


# --- Ranking -----------------------------------------------------------------------------------------------

def default_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or clock.today()
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
