"""Read side: a plan's targets with their latest actual and colour, for the pages, the API, the consolidated
report and the dashboard. A fixed number of queries whatever the number of targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from dondoc.core import clock
from dondoc.plans.models import Assignment, Plan, held_on
from dondoc.reports import periods
from dondoc.tracking.state import due_of

from . import access, rules
from .actions import plan_start
from .models import Target, TargetActual


@dataclass
class TargetRow:
    target: Target
    task_id: int
    task_ref: str
    task_text: str
    section_ref: str
    section_title: str
    lead_agencies: list[str]
    start: dt.date
    due: dt.date | None
    due_label: str
    latest: TargetActual | None
    assessment: rules.Assessment

    @property
    def colour(self) -> rules.Colour:
        return self.assessment.colour

    @property
    def period_label(self) -> str:
        return period_label(self.latest.period) if self.latest else ""


def period_label(period_id: str) -> str:
    try:
        return periods.parse_period(period_id).label
    except ValueError:
        return period_id


def _end_of_day(day: dt.date) -> dt.datetime:
    return clock.start_of(day + dt.timedelta(days=1))


def latest_actuals(target_ids, as_of: dt.date | None = None) -> dict[int, TargetActual]:
    """The actual that counts for each target: the latest period's, and in it the latest entry (made by `as_of`)."""
    target_ids = list(target_ids)
    if not target_ids:
        return {}
    rows = TargetActual.objects.all()
    if as_of is not None:
        rows = rows.filter(entered_at__lt=_end_of_day(as_of))
    latest = rows.filter(target_id=OuterRef("pk")).order_by("-period_end", "-entered_at", "-id").values("id")[:1]
    ids = [pk for pk in Target.objects.filter(pk__in=target_ids).annotate(latest=Subquery(latest))
           .values_list("latest", flat=True) if pk is not None]
    return {a.target_id: a for a in TargetActual.objects.filter(pk__in=ids).select_related("agency", "entered_by")}


def lead_names(task_ids, day: dt.date | None = None) -> dict[int, list[str]]:
    """The lead agencies of each task: today's, or those holding it on `day` (a report by an earlier structure)."""
    names: dict[int, list[str]] = {}
    leads = held_on(Assignment.objects.filter(task_id__in=list(task_ids), role="lead"), day)
    for task_id, name, short in (leads.order_by("agency__sort_key").values_list("task_id", "agency__name",
                                                                                "agency__short_name")):
        names.setdefault(task_id, []).append(short or name)
    return names


def assess_target(target: Target, latest: TargetActual | None, *, start: dt.date, due: dt.date | None,
                  today: dt.date) -> rules.Assessment:
    return rules.assess(target.op, target.value, latest.value if latest else None, start=start, due=due, today=today,
                        unit=target.unit, baseline=target.baseline, measured_on=latest.period_end if latest else None)


def targets_summary(plan: Plan, as_of: dt.date | None = None, *, user=None, colour: str | None = None,
                    structure_on: dt.date | None = None) -> list[TargetRow]:
    """Every target of the plan's live tasks, in plan order: task ref, section, lead agencies, the latest actual
    entered by `as_of` (default today) and its colour on that day. With `user`, only what that user may see;
    with `colour` ("red", "orange", "green", "grey"), only targets of that colour."""
    as_of = as_of or clock.today()
    qs = Target.objects.filter(task__plan=plan, task__cancelled_at__isnull=True)
    if user is not None:
        qs = access.visible_targets(user, qs)
    targets = list(qs.select_related("task", "task__section", "task__plan")
                   .defer("task__search_text", "task__cited_documents", "task__plan__source_text")
                   .order_by("task__order", "order", "id"))
    latest = latest_actuals([t.pk for t in targets], as_of)
    leads = lead_names({t.task_id for t in targets}, structure_on)
    start = plan_start(plan)
    rows = []
    for t in targets:
        due = due_of(t.task)
        actual = latest.get(t.pk)
        row = TargetRow(target=t, task_id=t.task_id, task_ref=t.task.ref, task_text=t.task.text,
                        section_ref=t.task.section.ref if t.task.section else "",
                        section_title=t.task.section.title if t.task.section else "",
                        lead_agencies=leads.get(t.task_id, []), start=start, due=due.date, due_label=due.label,
                        latest=actual, assessment=assess_target(t, actual, start=start, due=due.date, today=as_of))
        if colour is None or row.colour.value == colour:
            rows.append(row)
    return rows


def count_by_colour(rows) -> dict[str, int]:
    """{"red": n, "orange": n, "green": n, "grey": n}, in that order (every colour present, zeros included)."""
    counts = {c.value: 0 for c in rules.COLOUR_ORDER}
    for row in rows:
        counts[row.colour.value] += 1
    return counts


def target_row(target: Target, as_of: dt.date | None = None) -> TargetRow:
    """One target's row (the detail page and the API)."""
    as_of = as_of or clock.today()
    task = target.task
    actual = latest_actuals([target.pk], as_of).get(target.pk)
    due = due_of(task)
    start = plan_start(task.plan)
    return TargetRow(target=target, task_id=task.pk, task_ref=task.ref, task_text=task.text,
                     section_ref=task.section.ref if task.section else "",
                     section_title=task.section.title if task.section else "",
                     lead_agencies=lead_names([task.pk]).get(task.pk, []), start=start, due=due.date, due_label=due.label,
                     latest=actual, assessment=assess_target(target, actual, start=start, due=due.date, today=as_of))


def history(target: Target) -> list[TargetActual]:
    """Every actual of a target, latest period first, corrections above what they correct; `.counts` marks the
    entry that counts for its period."""
    rows = list(target.actuals.select_related("agency", "entered_by").order_by("-period_end", "period", "-entered_at", "-id"))
    seen = set()
    for row in rows:
        row.counts = row.period not in seen
        row.period_label = period_label(row.period)
        seen.add(row.period)
    return rows


# --- For the consolidated report (Word appendix) and the dashboard ----------------------------------------

REPORT_HEADERS = ("STT", "Nhiệm vụ", "Chỉ tiêu", "Cơ quan chủ trì", "Mục tiêu", "Thực hiện (kỳ)", "Đánh giá")


def report_table(rows) -> tuple[tuple[str, ...], list[list[str]]]:
    """Headers and rows of plain text for the consolidated report's table of targets (reports/nd30.table)."""
    out = []
    for i, row in enumerate(rows, start=1):
        t = row.target
        if row.latest:
            done = f"{rules.format_quantity(row.latest.value, t.unit)} ({row.period_label})"
        else:
            done = "Chưa có số liệu"
        out.append([str(i), row.task_ref, t.text, ", ".join(row.lead_agencies), rules.describe(t.op, t.value, t.unit),
                    done, row.colour.label])
    return REPORT_HEADERS, out


def report_sentence(counts: dict[str, int]) -> str:
    """One sentence for the report's body: "Có 5 chỉ tiêu: 1 dự kiến đạt, 2 đang tiến triển, ..."."""
    total = sum(counts.values())
    if not total:
        return "Kế hoạch không có chỉ tiêu định lượng."
    parts = [f"{counts[c.value]} {c.label[0].lower()}{c.label[1:]}" for c in
             (rules.Colour.GREEN, rules.Colour.ORANGE, rules.Colour.RED, rules.Colour.GREY) if counts.get(c.value)]
    return f"Có {total} chỉ tiêu định lượng: {', '.join(parts)}."
