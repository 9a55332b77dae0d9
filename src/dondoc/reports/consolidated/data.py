"""Every figure, row and sentence-to-be of the consolidated report, read once from the database, so the
prose, the chart, the .docx and the .xlsx print the same numbers as of the same day (`as_of`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from dondoc.core import clock
from dondoc.core.text import clauses
from dondoc.dashboard import figures
from dondoc.orgs.models import Agency
from dondoc.plans.excel import deadline_cell
from dondoc.plans.cascade import coverage
from dondoc.plans.models import Assignment, Plan, Section, Task, held_on
from dondoc.targets.queries import targets_summary
from dondoc.tracking import spans
from dondoc.tracking.models import HandOverItem, StatusSpan, Update
from dondoc.tracking.status import LOCAL_TZ, Status, days_late_on

from .. import deadlines, documents, periods, prefill
from ..models import AgencyReport, AgencyReportItem, ReportState

RECEIVED = (ReportState.APPROVED, ReportState.ACCEPTED)


@dataclass
class TaskLine:
    task_id: int
    ref: str
    number: int  # STT: 1..N through the plan
    text: str
    leads: list[str]
    partners: list[str]
    deadline: str
    status: Status
    days_late: int
    percent: int | None
    results: list[tuple[str, str]]  # (agency name, text)
    cancelled: bool = False

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def situation(self) -> str:
        """The "Tình hình thực hiện" cell: the status, then the progress the lead agency gave."""
        if self.percent is not None and not self.status.is_done and self.status is not Status.CANCELLED:
            return f"{self.status.label}\nTiến độ: {self.percent}%"
        return self.status.label

    @property
    def result_text(self) -> str:
        """The "Kết quả" cell: each agency's text; the same text from several agencies once, naming them all."""
        if not self.results:
            return ""
        if len(self.results) == 1:
            return self.results[0][1]
        same: dict[str, list[str]] = {}
        for agency, text in self.results:
            same.setdefault(text, []).append(agency)
        return "\n".join(f"{'; '.join(agencies)}: {text}" for text, agencies in same.items())

    @property
    def evaluation(self) -> str:
        s, n = self.status, self.days_late
        return {
            Status.DONE_ON_TIME: "Đạt",
            Status.DONE_LATE: f"Đạt, chậm {n} ngày" if n else "Đạt, chậm",
            Status.OVERDUE: f"Chậm {n} ngày" if n else "Chậm",
            Status.OPEN_IN_TIME: "Trong hạn",
            Status.AWAITING: f"Chờ xác nhận, chậm {n} ngày" if n else "Chờ xác nhận",
            Status.ONGOING: "Thường xuyên",
            Status.CANCELLED: "Đã hủy",
        }[s]


@dataclass
class Group:
    ref: str
    title: str
    figures: dict
    tasks: list[TaskLine] = field(default_factory=list)

    @property
    def heading_title(self) -> str:
        title = " ".join(self.title.split()) or "Không thuộc mục nào"
        return title[0] + title[1:].lower() if title.isupper() else title

    @property
    def row_label(self) -> str:
        return f"{self.ref}. {self.heading_title}" if self.ref else self.heading_title


@dataclass
class Data:
    plan: Plan
    period: periods.Period
    as_of: dt.date
    coordinator: Agency | None
    summary: dict
    groups: list[Group]
    expected: list[Agency]  # agencies with live assignments on the plan
    received: list[AgencyReport]  # approved or accepted reports of the period
    deadline: dt.date  # the agencies' deadline for the period
    coordinator_deadline: dt.date
    difficulties: list[tuple[str, list[str]]]
    proposals: list[tuple[str, list[str]]]
    targets: list = field(default_factory=list)  # targets.queries.TargetRow
    lead_agencies: int = 0
    structure_on: dt.date | None = None  # the agencies named are those of this day (None: of as_of)
    most_overdue: list[tuple[str, int]] = field(default_factory=list)  # (agency, lead tasks overdue), most first
    implementation: dict | None = None  # plans.cascade.coverage, when agencies have issued plans carrying it out

    @property
    def old_structure(self) -> bool:
        return self.structure_on is not None and self.structure_on < self.as_of

    @property
    def tasks(self) -> list[TaskLine]:
        return [t for g in self.groups for t in g.tasks]

    @property
    def missing(self) -> list[Agency]:
        got = {r.agency_id for r in self.received}
        return [a for a in self.expected if a.pk not in got]

    @property
    def late(self) -> list[AgencyReport]:
        return [r for r in self.received if r.late]

    @property
    def about_shortcomings(self) -> bool:
        title = (self.plan.title or "").lower()
        return "hạn chế" in title and "khuyết điểm" in title


# --------------------------------------------------------------------------------------------------------- data


def _shortcomings(plan: Plan) -> dict[int, tuple[int, str, str]]:
    """Section id -> (order, ref, title) of its shortcoming: the section just under a part, or the part itself
    (the rule of dashboard.figures.by_section, so groups and figures agree)."""
    sections = {s.pk: s for s in Section.objects.filter(plan=plan).only("pk", "ref", "title", "parent_id", "order")}
    out = {}
    for pk, s in sections.items():
        node = s
        while node.parent_id and sections[node.parent_id].parent_id:
            node = sections[node.parent_id]
        out[pk] = (node.order, node.ref, node.title)
    return out


def _names(rows) -> tuple[list[str], list[str]]:
    """(leads, partners) of a task from its assignment rows: a group printed once by its name, as the plan does."""
    leads: list[str] = []
    partners: list[str] = []
    for role, provisional, group, name in rows:
        label = group or name
        if provisional:
            label = f"{name} (tạm giao)"
        target = leads if role == "lead" else partners
        if label not in target:
            target.append(label)
    return leads, partners


def _end(day: dt.date) -> dt.datetime:
    return prefill.local_start(day + dt.timedelta(days=1))


def gather(plan: Plan, period: periods.Period | str, *, today: dt.date | None = None,
           structure_on: dt.date | None = None) -> Data:
    """Everything the report says, read from the database as of min(period end, today).

    The agencies named (leads, partners, those expected to report) are those that held the work on `structure_on`:
    by default the report's day ("theo cơ cấu mới" after a hand-over), or a day before the hand-over ("theo cơ cấu
    cũ"). Statuses and lateness are the tasks' own either way; a task's percent is the latest of its lead's chain
    (an agency and the successor continuing its work)."""
    if isinstance(period, str):
        period = periods.parse_period(period)
    as_of = prefill.as_of(period, today or clock.today())
    structure_on = min(structure_on or as_of, as_of)
    summary = figures.summary(plan, as_of)
    coordinator = (Agency.objects.select_related("parent").filter(pk=plan.coordinating_agency_id).first()
                   if plan.coordinating_agency_id else None)

    tasks = list(Task.objects.filter(plan=plan).order_by("order", "pk")
                 .values_list("pk", "ref", "order", "text", "section_id", "deadline_date", "deadline_text", "recurrence",
                              "cancelled_at"))
    statuses = {task_id: Status(status) for task_id, _s, status, _d in figures.task_statuses(as_of, plan_id=plan.pk)}
    late_days: dict[int, int] = defaultdict(int)
    for task_id, state, due, completed_on in (spans.on(as_of, StatusSpan.objects.filter(plan_id=plan.pk, role="lead"))
                                              .values_list("task_id", "state", "due", "completed_on")):
        late_days[task_id] = max(late_days[task_id], days_late_on(state, due, completed_on, as_of))
    # Effective deadlines after extensions, to print beside the plan's wording.
    extended: dict[int, dt.date] = {}
    for task_id, due in (spans.on(as_of, StatusSpan.objects.filter(plan_id=plan.pk, role="lead"))
                         .exclude(due__isnull=True).values_list("task_id", "due")):
        extended[task_id] = max(due, extended.get(task_id, due))

    rows_by_task: dict[int, list[tuple]] = defaultdict(list)
    lead_agencies: dict[int, set[int]] = defaultdict(set)
    lead_lines: dict[int, set[int]] = defaultdict(set)  # the chains of the task's leads (handover: one line of work)
    agency_ids: set[int] = set()
    before = _predecessors(plan)
    root = _roots(before)
    held: dict[int, int] = {}
    for a_id, task_id, agency_id, role, provisional, group, name in (
            held_on(Assignment.objects.filter(task__plan=plan), structure_on).order_by("role", "agency__sort_key", "pk")
            .values_list("pk", "task_id", "agency_id", "role", "provisional", "via_group__name", "agency__name")):
        rows_by_task[task_id].append((role, provisional, group, name))
        agency_ids.add(agency_id)
        held[a_id] = agency_id
        if role == "lead":
            lead_agencies[task_id].add(agency_id)
            lead_lines[task_id].add(root.get(a_id, a_id))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids)}
    # Texts may come from an agency no longer (or not yet) in the structure shown: named all the same.
    names = dict(Agency.objects.filter(Q(pk__in=agency_ids) | Q(assignments__task__plan=plan)).distinct()
                 .values_list("pk", "name"))

    received = list(AgencyReport.objects.filter(plan=plan, period=period.id, state__in=RECEIVED)
                    .select_related("agency").order_by("agency__sort_key"))
    reported_by = {r.agency_id for r in received}
    results: dict[int, list[tuple[str, str]]] = defaultdict(list)
    difficulties: dict[int, list[str]] = defaultdict(list)
    proposals: dict[int, list[str]] = defaultdict(list)
    for r in received:
        for text in (r.difficulties,):
            _add(difficulties[r.agency_id], text)
        _add(proposals[r.agency_id], r.proposals)
    for task_id, role, agency_id, text, diff, prop in (
            AgencyReportItem.objects.filter(report__in=received).order_by("order", "pk")
            .values_list("task_id", "role", "report__agency_id", "results", "difficulties", "proposals")):
        if role == "lead" and text.strip() and text.strip() != prefill.NO_UPDATES:
            results[task_id].append((names.get(agency_id, ""), _one_line(text)))
        _add(difficulties[agency_id], diff)
        _add(proposals[agency_id], prop)

    # Progress updates: the latest percent of each lead (any time up to as_of), and for agencies whose report has
    # not been received, the latest text in the period and their difficulties and proposals.
    percents: dict[int, dict[int, int]] = defaultdict(dict)
    latest_text: dict[tuple[int, int], str] = {}
    start = prefill.local_start(period.start)
    for a_id, task_id, agency_id, role, created_at, text, pct, diff, prop in (
            Update.objects.filter(assignment__task__plan=plan, withdrawn_at__isnull=True, created_at__lt=_end(as_of))
            .order_by("created_at", "pk")
            .values_list("assignment_id", "assignment__task_id", "assignment__agency_id", "assignment__role",
                         "created_at", "text", "percent", "difficulties", "proposals")):
        if role == "lead" and pct is not None:
            percents[task_id][root.get(a_id, a_id)] = pct
        if created_at < start or agency_id in reported_by:
            continue
        if role == "lead" and text.strip():
            latest_text[(task_id, agency_id)] = _one_line(text)
        _add(difficulties[agency_id], diff)
        _add(proposals[agency_id], prop)
    for (task_id, agency_id), text in latest_text.items():
        results[task_id].append((names.get(agency_id, ""), text))

    groups_by_key: dict[tuple, Group] = {}
    by_section = {(s["ref"], s["title"]): s for s in summary["by_section"]}
    shortcoming = _shortcomings(plan)
    number = 0
    plan_report = plan.agency_report_date
    for task_id, ref, order, text, section_id, d_date, d_text, recurrence, cancelled_at in tasks:
        key = shortcoming.get(section_id, (10**6, "", "Không thuộc mục nào"))
        group = groups_by_key.get(key)
        if group is None:
            group = groups_by_key[key] = Group(key[1], key[2], by_section.get((key[1], key[2])) or figures.finish(figures.zero()))
        number += 1
        cancelled = cancelled_at is not None and cancelled_at.astimezone(LOCAL_TZ).date() <= as_of
        status = Status.CANCELLED if cancelled else statuses.get(task_id, Status.OPEN_IN_TIME)
        leads, partners = _names(rows_by_task.get(task_id, []))
        shown = deadline_cell(Task(deadline_date=d_date, deadline_text=d_text, recurrence=recurrence))
        if shown == "Theo hạn báo cáo của Kế hoạch" and plan_report:
            shown = f"{shown} ({documents.short_date(plan_report)})"
        if task_id in extended and d_date is not None and extended[task_id] > d_date:
            shown = f"{shown}\n(gia hạn đến {documents.short_date(extended[task_id])})"
        lead_pcts = [percents[task_id][a] for a in lead_lines.get(task_id, ()) if a in percents.get(task_id, {})]
        # A task is as far along as its slowest lead agency.
        ordered = sorted(results.get(task_id, []), key=lambda r: r[0])
        group.tasks.append(TaskLine(task_id, ref, number, text, leads, partners, shown, status,
                                    0 if cancelled else late_days.get(task_id, 0), min(lead_pcts) if lead_pcts else None,
                                    ordered, cancelled))
    groups = [groups_by_key[k] for k in sorted(groups_by_key, key=lambda k: k[0])]

    expected = sorted(agencies.values(), key=lambda a: a.sort_key)
    known = {**{r.agency_id: r.agency for r in received}, **agencies}
    missing = {a for found in (difficulties, proposals) for a in found} - set(known)
    known.update({a.pk: a for a in Agency.objects.filter(pk__in=missing)})

    def by_agency(found: dict[int, list[str]]) -> list[tuple[str, list[str]]]:
        return [(known[a].name, texts) for a, texts in sorted(found.items(), key=lambda kv: known[kv[0]].sort_key)
                if texts and a in known]

    if structure_on < as_of:
        # The agencies with overdue work as the structure named had it: a piece of work late now counts for every
        # agency that held it then — the old agency of a successor's new assignment, and both the successor and the
        # old agency where the successor already had the same part (tracking/handover.py reuses it).
        continues: dict[int, set[int]] = defaultdict(set)
        for new_id, old_id in before.items():
            continues[new_id].add(old_id)
        for new_id, old_id in (HandOverItem.objects.filter(old__task__plan=plan, created=False, handover__state="applied")
                               .values_list("new_id", "old_id")):
            continues[new_id].add(old_id)

        def origins(a_id: int, seen: set[int]) -> set[int]:
            seen.add(a_id)
            found = {held[a_id]} if a_id in held else set()
            for o in continues.get(a_id, ()):
                if o not in seen:
                    found |= origins(o, seen)
            return found

        late_by: dict[int, int] = defaultdict(int)
        for a_id, agency_id in figures.overdue_leads(as_of, plan_id=plan.pk):
            for agency in origins(a_id, set()) or {agency_id}:
                late_by[agency] += 1
        who = {a.pk: a for a in Agency.objects.filter(pk__in=list(late_by))}
        most_overdue = [(who[a].name, n) for a, n in sorted(late_by.items(), key=lambda kv: (-kv[1], who[kv[0]].sort_key))]
    else:
        most_overdue = [(r["agency"]["name"], r["overdue"]) for r in summary["by_agency"] if r["overdue"]]

    return Data(plan=plan, period=period, as_of=as_of, coordinator=coordinator, summary=summary, groups=groups,
                expected=expected, received=received, deadline=deadlines.report_deadline_for(plan, period),
                coordinator_deadline=deadlines.coordinator_deadline_for(plan, period),
                difficulties=by_agency(difficulties), proposals=by_agency(proposals),
                targets=targets_summary(plan, as_of, structure_on=structure_on),
                lead_agencies=len({a for s in lead_agencies.values() for a in s}), structure_on=structure_on,
                most_overdue=most_overdue,
                implementation=coverage(plan) if plan.parent_id is None and plan.children.filter(status="published").exists()
                else None)


def _add(texts: list[str], text: str) -> None:
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-–•+ ").strip()
        if line and line != prefill.NO_UPDATES and line not in texts:
            texts.append(line)


def structures(plan: Plan, as_of: dt.date) -> list[tuple[dt.date, str]]:
    """The structures a report of the plan can be drawn by, besides that of its day: the one before each hand-over
    of the plan's work made by then ("theo cơ cấu cũ"), as (the last day before it, what changed)."""
    changed: dict[dt.date, list[str]] = defaultdict(list)
    for day, name in (HandOverItem.objects.filter(old__task__plan=plan, handover__state="applied",
                                                  handover__effective__lte=as_of)
                      .values_list("handover__effective", "handover__agency__name").distinct()
                      .order_by("handover__effective", "handover__agency__sort_key")):
        changed[day].append(name)
    return [(day - dt.timedelta(days=1), f"Theo cơ cấu cũ, trước ngày {day:%d/%m/%Y} ({', '.join(names)} bàn giao)")
            for day, names in sorted(changed.items(), reverse=True)]


def _predecessors(plan: Plan) -> dict[int, int]:
    """{assignment id: the assignment it continues} for the plan's handed-over work (tracking/handover.py)."""
    return dict(Assignment.objects.filter(task__plan=plan, predecessor__isnull=False).values_list("pk", "predecessor_id"))


def _roots(before: dict[int, int]) -> dict[int, int]:
    """{assignment id: the first assignment of its chain}: an agency's assignment and those of the successors
    continuing it are one line of work."""
    root = {}
    for pk in before:
        first, seen = pk, set()
        while first in before and first not in seen:  # a cycle cannot be made, but must not hang a report
            seen.add(first)
            first = before[first]
        root[pk] = first
    return root


def _one_line(text: str) -> str:
    """Several lines of a report ("- 05/6/2024: ...") read as one sentence in a table cell or a paragraph."""
    return clauses((p.strip().lstrip("-–•+ ") for p in (text or "").splitlines()), end="")


def filename(data: Data, ext: str) -> str:
    number = (data.plan.number or str(data.plan.pk)).replace("/", "-")
    structure = f"-co-cau-ngay-{data.structure_on:%Y%m%d}" if data.old_structure else ""
    return f"Bao-cao-tong-hop-{number}-{data.period.id}{structure}.{ext}"
