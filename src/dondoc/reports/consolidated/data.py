"""The coordinator's consolidated report (báo cáo tổng hợp) on a plan for a period: a Word document in the layout
of Nghị định 30/2020 and its Excel appendix, both generated from the database.

Reproducible: the same database gives the same content. Everything is counted as of the period's cut-off, or
today while the period runs (`as_of`); the only date that is not derived is the document's own date, passed in.

    data = gather(plan, period_id)                    # every figure, row and sentence, from the database
    build_docx(data, date=..., chart=True) -> bytes   # BÁO CÁO + Phụ lục I (tasks) [+ Phụ lục II (targets)]
    build_xlsx(data, date=...) -> bytes               # Phụ lục I, Tổng hợp, [Phụ lục II - Chỉ tiêu]

Body (in the order a provincial coordinator writes it): opening; I. the overview with the four official figures
(QĐ 42/2014: done on time, done late, open in time, overdue) and the share of due tasks done, which agencies
reported, the targets; II. results by shortcoming (each with its counts, then a sentence per task from the
agency reports the coordinator accepted or the head approved, else from the latest progress updates);
III. difficulties and their causes; IV. proposals; closing; signature; Nơi nhận.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from dondoc.core import clock
from dondoc.dashboard import figures
from dondoc.orgs.models import Agency
from dondoc.plans.excel import FONT_NAME, deadline_cell
from dondoc.plans.models import Assignment, Plan, Section, Task
from dondoc.tracking import spans
from dondoc.tracking.models import StatusSpan, Update
from dondoc.tracking.status import LOCAL_TZ, Status, days_late_on

from .. import deadlines, docx_tables, documents, nd30, periods, prefill
from ..models import AgencyReport, AgencyReportItem, ReportState

RECEIVED = (ReportState.APPROVED, ReportState.ACCEPTED)
NO_RESULT = "Chưa có báo cáo kết quả trong kỳ."
TASK_HEADERS = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Tình hình thực hiện", "Kết quả",
                "Đánh giá")
# Landscape A4 text width 25.7 cm (nd30.LANDSCAPE_MARGINS_MM).
TASK_WIDTHS_CM = (1.0, 6.6, 3.2, 3.0, 2.4, 2.9, 4.6, 2.0)
TARGET_WIDTHS_CM = (1.0, 2.0, 8.2, 4.0, 3.0, 4.5, 3.0)
LIST_MISSING = 8  # more agencies without a report than this are named in part III, not in the overview
STATUS_ORDER = (Status.DONE_ON_TIME, Status.DONE_LATE, Status.OPEN_IN_TIME, Status.OVERDUE)


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
        if not self.results:
            return ""
        if len(self.results) == 1:
            return self.results[0][1]
        return "\n".join(f"{agency}: {text}" for agency, text in self.results)

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


def gather(plan: Plan, period: periods.Period | str, *, today: dt.date | None = None) -> Data:
    """Everything the report says, read from the database as of min(period end, today)."""
    if isinstance(period, str):
        period = periods.parse_period(period)
    as_of = prefill.as_of(period, today or clock.today())
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
    agency_ids: set[int] = set()
    assignment_agency: dict[int, int] = {}
    for a_id, task_id, agency_id, role, provisional, group, name in (
            Assignment.objects.filter(task__plan=plan, ended_at__isnull=True).order_by("role", "agency__sort_key", "pk")
            .values_list("pk", "task_id", "agency_id", "role", "provisional", "via_group__name", "agency__name")):
        rows_by_task[task_id].append((role, provisional, group, name))
        assignment_agency[a_id] = agency_id
        agency_ids.add(agency_id)
        if role == "lead":
            lead_agencies[task_id].add(agency_id)
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids)}

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
            results[task_id].append((agencies[agency_id].name if agency_id in agencies else "", _one_line(text)))
        _add(difficulties[agency_id], diff)
        _add(proposals[agency_id], prop)

    # Progress updates: the latest percent of each lead (any time up to as_of), and for agencies whose report has
    # not been received, the latest text in the period and their difficulties and proposals.
    percents: dict[int, dict[int, int]] = defaultdict(dict)
    latest_text: dict[tuple[int, int], str] = {}
    start = prefill.local_start(period.start)
    for task_id, agency_id, role, created_at, text, pct, diff, prop in (
            Update.objects.filter(assignment__task__plan=plan, withdrawn_at__isnull=True, created_at__lt=_end(as_of))
            .order_by("created_at", "pk")
            .values_list("assignment__task_id", "assignment__agency_id", "assignment__role", "created_at", "text",
                         "percent", "difficulties", "proposals")):
        if role == "lead" and pct is not None:
            percents[task_id][agency_id] = pct
        if created_at < start or agency_id in reported_by:
            continue
        if role == "lead" and text.strip():
            latest_text[(task_id, agency_id)] = _one_line(text)
        _add(difficulties[agency_id], diff)
        _add(proposals[agency_id], prop)
    for (task_id, agency_id), text in latest_text.items():
        results[task_id].append((agencies[agency_id].name if agency_id in agencies else "", text))

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
        lead_pcts = [percents[task_id][a] for a in lead_agencies.get(task_id, ()) if a in percents.get(task_id, {})]
        # A task is as far along as its slowest lead agency.
        ordered = sorted(results.get(task_id, []), key=lambda r: r[0])
        group.tasks.append(TaskLine(task_id, ref, number, text, leads, partners, shown, status,
                                    0 if cancelled else late_days.get(task_id, 0), min(lead_pcts) if lead_pcts else None,
                                    ordered, cancelled))
    groups = [groups_by_key[k] for k in sorted(groups_by_key, key=lambda k: k[0])]

    expected = sorted(agencies.values(), key=lambda a: a.sort_key)
    known = {**{r.agency_id: r.agency for r in received}, **agencies}

    def by_agency(found: dict[int, list[str]]) -> list[tuple[str, list[str]]]:
        return [(known[a].name, texts) for a, texts in sorted(found.items(), key=lambda kv: known[kv[0]].sort_key)
                if texts and a in known]

    from dondoc.targets.queries import targets_summary

    return Data(plan=plan, period=period, as_of=as_of, coordinator=coordinator, summary=summary, groups=groups,
                expected=expected, received=received, deadline=deadlines.report_deadline_for(plan, period),
                coordinator_deadline=deadlines.coordinator_deadline_for(plan, period),
                difficulties=by_agency(difficulties), proposals=by_agency(proposals),
                targets=targets_summary(plan, as_of), lead_agencies=len({a for s in lead_agencies.values() for a in s}))


def _add(texts: list[str], text: str) -> None:
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-–•+ ").strip()
        if line and line != prefill.NO_UPDATES and line not in texts:
            texts.append(line)


def _one_line(text: str) -> str:
    """Several lines of a report ("- 05/6/2024: ...") read as one sentence in a table cell or a paragraph."""
    parts = [p.strip().lstrip("-–•+ ").strip() for p in (text or "").splitlines()]
    parts = [p.rstrip(";") for p in parts if p]
    return "; ".join(parts)


# ----------------------------------------------------------------------------------------------------- sentences


def _n(count: int, what: str = "nhiệm vụ") -> str:
    return f"{count:,}".replace(",", ".") + f" {what}"


def _share(part: int, whole: int) -> str:
    return documents.percent(part / whole) if whole else "0%"


def period_phrase(period: periods.Period) -> str:
    """"năm 2024", "quý IV/2024", "6 tháng đầu năm 2024": the period inside a sentence."""
    label = period.label
    return label[0].lower() + label[1:]


def title_line(data: Data) -> str:
    plan = data.plan
    text = f"Kết quả thực hiện {documents.plan_short(plan)}"
    if plan.issued_on:
        text += f" ngày {documents.short_date(plan.issued_on)}"
    if plan.issuer:
        text += f" của {plan.issuer}"
    return f"{text} ({period_phrase(data.period)})"


def _issuer_name(data: Data) -> str:
    return data.coordinator.name if data.coordinator is not None else "Cơ quan theo dõi, tổng hợp"


def overview_sentences(data: Data) -> list[str]:
    s = data.summary
    total = s["total"]
    lines = [f"- Đã hoàn thành đúng hạn: {_n(s['done_on_time'])} ({_share(s['done_on_time'], total)});",
             f"- Đã hoàn thành quá hạn: {_n(s['done_late'])} ({_share(s['done_late'], total)});"]
    in_time = s["open_in_time"] + s["awaiting_confirmation"] + s["ongoing"]
    extra = []
    if s["awaiting_confirmation"]:
        extra.append(f"{_n(s['awaiting_confirmation'])} đã báo cáo hoàn thành, chờ xác nhận")
    if s["ongoing"]:
        extra.append(f"{_n(s['ongoing'])} thực hiện thường xuyên, định kỳ")
    lines.append(f"- Chưa hoàn thành, trong hạn: {_n(in_time)} ({_share(in_time, total)})"
                 + (f", trong đó {'; '.join(extra)};" if extra else ";"))
    lines.append(f"- Chưa hoàn thành, quá hạn: {_n(s['overdue'])} ({_share(s['overdue'], total)}).")
    return lines


def group_sentence(group: Group) -> str:
    f = group.figures
    done = f["done_on_time"] + f["done_late"]
    in_time = f["open_in_time"] + f["awaiting_confirmation"] + f["ongoing"]
    if not f["total"]:
        return "Không có nhiệm vụ nào được tính trong kỳ."
    text = f"Có {_n(f['total'])}: đã hoàn thành {done}"
    if done:
        text += f" ({f['done_on_time']} đúng hạn, {f['done_late']} quá hạn)"
    return text + f"; chưa hoàn thành {in_time + f['overdue']} (trong hạn {in_time}, quá hạn {f['overdue']})."


def reports_sentence(data: Data) -> str:
    expected, received, late = len(data.expected), len(data.received), len(data.late)
    text = (f"Đến ngày {documents.short_date(data.as_of)}, {_issuer_name(data)} đã nhận được báo cáo của "
            f"{received}/{expected} cơ quan, đơn vị được giao nhiệm vụ (hạn gửi báo cáo: ngày "
            f"{documents.short_date(data.deadline)})")
    if late:
        text += f", trong đó {late} báo cáo gửi sau thời hạn ({', '.join(r.agency.name for r in data.late)})"
    missing = data.missing
    if missing and received and len(missing) <= LIST_MISSING:
        text += f"; chưa nhận được báo cáo của {len(missing)} cơ quan, đơn vị: {', '.join(a.name for a in missing)}"
    elif missing and received:
        text += f"; chưa nhận được báo cáo của {len(missing)} cơ quan, đơn vị (danh sách tại mục III)"
    elif missing:
        text += "; các cơ quan, đơn vị chưa gửi báo cáo, nội dung dưới đây được tổng hợp từ báo cáo tiến độ cập nhật trên hệ thống"
    return text + "."


def targets_sentence(data: Data) -> str:
    from dondoc.targets.queries import count_by_colour, report_sentence

    text = report_sentence(count_by_colour(data.targets))
    if data.targets:
        text = text.rstrip(".") + " (chi tiết tại Phụ lục II)."
    return text


def causes(data: Data) -> list[str]:
    s = data.summary
    out = []
    worst = [r for r in s["by_agency"] if r["overdue"]][:5]
    if s["overdue"]:
        text = f"Còn {_n(s['overdue'])} quá hạn chưa hoàn thành"
        if worst:
            text += "; các cơ quan, đơn vị có nhiều nhiệm vụ quá hạn: " + ", ".join(
                f"{r['agency']['name']} ({r['overdue']})" for r in worst)
        out.append(text + ".")
    if data.missing or data.late:
        parts = []
        if data.missing:
            names = f" ({', '.join(a.name for a in data.missing)})" if len(data.missing) > LIST_MISSING else ""
            parts.append(f"{len(data.missing)} cơ quan, đơn vị chưa gửi báo cáo{names}")
        if data.late:
            parts.append(f"{len(data.late)} cơ quan, đơn vị gửi báo cáo sau thời hạn")
        out.append("Việc báo cáo chưa kịp thời: " + "; ".join(parts) + ".")
    if not out:
        out.append("Các nhiệm vụ đến hạn cơ bản được thực hiện đúng tiến độ; các cơ quan, đơn vị gửi báo cáo đúng thời hạn.")
    return out


def own_proposals(data: Data) -> list[str]:
    issuer = _issuer_name(data)
    higher = documents.higher_body(data.coordinator, "Ủy ban nhân dân tỉnh")
    higher = "Ủy ban nhân dân tỉnh" if higher == "UBND tỉnh" else higher
    out = []
    if data.summary["overdue"]:
        out.append(f"Đề nghị {higher} chỉ đạo các cơ quan, đơn vị có nhiệm vụ quá hạn (chi tiết tại Phụ lục I) khẩn "
                   "trương hoàn thành, báo cáo kết quả; chủ động tháo gỡ khó khăn, vướng mắc thuộc thẩm quyền.")
    if data.missing:
        out.append(f"Đề nghị các cơ quan, đơn vị chưa gửi báo cáo khẩn trương gửi báo cáo về {issuer} để tổng hợp, "
                   f"báo cáo {higher}.")
    out.append("Các cơ quan, đơn vị tiếp tục cập nhật tiến độ, kết quả thực hiện nhiệm vụ thường xuyên trên hệ thống "
               "theo dõi, đôn đốc.")
    return out


# ---------------------------------------------------------------------------------------------------- the chart


def chart_png(data: Data) -> bytes | None:
    """Tasks by shortcoming and by status, as a stacked horizontal bar chart (matplotlib, Agg); None when there
    is nothing to draw. Colours for the screen, the labels carry the meaning in print."""
    groups = [g for g in data.groups if g.figures["total"]]
    if not groups:
        return None
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: a figure of its own renders with Agg, no global backend

    with matplotlib.rc_context({"font.family": "DejaVu Sans", "svg.hashsalt": "dondoc"}):  # DejaVu has Vietnamese
        return _draw(Figure, groups, data)


def _draw(Figure, groups, data: Data) -> bytes:
    labels = [g.ref or "—" for g in groups][::-1]
    series = [("Hoàn thành đúng hạn", lambda f: f["done_on_time"], "#2e7d32"),
              ("Hoàn thành quá hạn", lambda f: f["done_late"], "#f9a825"),
              ("Chưa hoàn thành, trong hạn", lambda f: f["open_in_time"] + f["awaiting_confirmation"] + f["ongoing"],
               "#1565c0"),
              ("Chưa hoàn thành, quá hạn", lambda f: f["overdue"], "#c62828")]
    fig = Figure(figsize=(6.3, max(2.0, 0.24 * len(groups) + 1.1)), dpi=150)
    ax = fig.add_subplot()
    left = [0] * len(groups)
    for name, pick, colour in series:
        values = [pick(g.figures) for g in groups][::-1]
        ax.barh(labels, values, left=left, color=colour, label=name, height=0.62)
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel("Số nhiệm vụ", fontsize=8)
    ax.set_ylabel("Nội dung" if not data.about_shortcomings else "Hạn chế, khuyết điểm", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles, names, fontsize=7, ncols=2, loc="lower center", frameon=False)
    legend_room = 0.45 / fig.get_figheight()  # two lines of 7 pt text, in figure fractions
    fig.tight_layout(rect=(0, legend_room, 1, 1))
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


# ------------------------------------------------------------------------------------------------------- Word


def appendix_subtitle(data: Data, date: dt.date) -> str:
    number = nd30.number_line(None, f"BC-{documents.symbol(data.coordinator)}").removeprefix("Số:")
    return f"Kèm theo Báo cáo số{number} ngày {documents.short_date(date)} của {_issuer_name(data)}"


def task_rows(data: Data) -> list:
    rows: list = []
    for g in data.groups:
        rows.append(g.row_label)
        for t in g.tasks:
            rows.append([str(t.number), t.text, "\n".join(t.leads), "\n".join(t.partners), t.deadline, t.situation,
                         t.result_text, t.evaluation])
    return rows


def build_docx(data: Data, *, date: dt.date | None = None, chart: bool = True, signer_name: str = "",
               authority: str | None = None, position: str | None = None) -> bytes:
    date = date or clock.today()
    plan, coordinator = data.plan, data.coordinator
    doc = nd30.new_document(documents.header(coordinator, place=plan.place or "Tuyên Quang", date=date),
                            title="Báo cáo", summary=title_line(data))
    # Reproducible: the document's own date stands for its creation, not the moment it was generated.
    stamp = dt.datetime.combine(date, dt.time(8, 0))
    doc.core_properties.created = doc.core_properties.modified = stamp
    issuer = _issuer_name(data)
    s = data.summary

    opening = f"Thực hiện {documents.plan_reference(plan)}"
    if plan.title:
        opening += f" {documents.about(plan.title)}"
    opening += (f" (sau đây gọi tắt là Kế hoạch), {issuer} tổng hợp, báo cáo kết quả thực hiện "
                f"{period_phrase(data.period)} (số liệu tính đến ngày {documents.short_date(data.as_of)}) như sau:")
    nd30.paragraph(doc, opening)

    nd30.heading(doc, "I. TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ CHUNG")
    nd30.paragraph(doc, f"Kế hoạch có {_n(s['total'])} được theo dõi (không kể nhiệm vụ đã hủy), giao "
                        f"{data.lead_agencies} cơ quan, đơn vị chủ trì thực hiện, thuộc {len(data.groups)} nội dung.")
    nd30.paragraph(doc, reports_sentence(data))
    nd30.paragraph(doc, f"Kết quả thực hiện đến ngày {documents.short_date(data.as_of)}:")
    for line in overview_sentences(data):
        nd30.paragraph(doc, line)
    nd30.paragraph(doc, [("Tỷ lệ nhiệm vụ đến hạn đã hoàn thành: ", "b"),
                         (f"{documents.percent(s['due_done_rate'])} ({s['done_on_time'] + s['done_late']}/{s['due']} "
                          "nhiệm vụ đã đến hạn).", "")])
    nd30.paragraph(doc, [("Về chỉ tiêu: ", "b"), (targets_sentence(data), "")])
    if chart:
        png = chart_png(data)
        if png:
            nd30.image(doc, png, 14.5, caption=f"Biểu đồ 1. Tình hình thực hiện nhiệm vụ theo từng "
                                               f"{'hạn chế, khuyết điểm' if data.about_shortcomings else 'nội dung'} "
                                               f"(đến ngày {documents.short_date(data.as_of)})")

    nd30.heading(doc, "II. KẾT QUẢ KHẮC PHỤC TỪNG HẠN CHẾ, KHUYẾT ĐIỂM" if data.about_shortcomings
                 else "II. KẾT QUẢ THỰC HIỆN TỪNG NỘI DUNG, NHIỆM VỤ")
    for i, g in enumerate(data.groups, start=1):
        nd30.heading(doc, f"{i}. {g.heading_title}", level=2)
        nd30.paragraph(doc, group_sentence(g))
        silent = []
        for t in g.tasks:
            if t.status is Status.CANCELLED:
                continue
            if t.results:
                leads = ", ".join(t.leads) or "—"
                results = "; ".join((f"{a}: {x}" if len(t.results) > 1 else x).rstrip(" .;") for a, x in t.results)
                nd30.paragraph(doc, [(f"- {documents.upper_first(documents.clip(t.text, 180))} ", ""), (f"({leads}): ", "i"),
                                     (documents.clip(results, 700).rstrip(".") + ".", "")])
            else:
                silent.append(t)
        if silent and len(silent) == len([t for t in g.tasks if t.status is not Status.CANCELLED]):
            nd30.paragraph(doc, f"Các nhiệm vụ của nội dung này chưa có báo cáo kết quả trong kỳ"
                                f"{_overdue_note(silent)} (chi tiết tại Phụ lục I).")
        elif silent:
            nd30.paragraph(doc, f"Còn {_n(len(silent))} chưa có báo cáo kết quả trong kỳ{_overdue_note(silent)} "
                                "(chi tiết tại Phụ lục I).")

    nd30.heading(doc, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN")
    nd30.heading(doc, "1. Khó khăn, vướng mắc", level=2)
    if data.difficulties:
        for agency, texts in data.difficulties:
            nd30.paragraph(doc, [(f"- {agency}: ", "i"), ("; ".join(t.rstrip(" .;") for t in texts) + ".", "")])
    else:
        nd30.paragraph(doc, "Trong kỳ, các cơ quan, đơn vị không báo cáo khó khăn, vướng mắc.")
    nd30.heading(doc, "2. Nguyên nhân", level=2)
    for text in causes(data):
        nd30.paragraph(doc, text)

    nd30.heading(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    nd30.heading(doc, "1. Đề xuất, kiến nghị của các cơ quan, đơn vị", level=2)
    for agency, texts in data.proposals:
        nd30.paragraph(doc, [(f"- {agency}: ", "i"), ("; ".join(t.rstrip(".;") for t in texts) + ".", "")])
    if not data.proposals:
        nd30.paragraph(doc, "Trong kỳ, các cơ quan, đơn vị không có đề xuất, kiến nghị.")
    nd30.heading(doc, f"2. Kiến nghị của {issuer}", level=2)
    for text in own_proposals(data):
        nd30.paragraph(doc, f"- {text}")
    higher = documents.higher_body(coordinator, "Ủy ban nhân dân tỉnh")
    nd30.paragraph(doc, f"Trên đây là báo cáo kết quả thực hiện {documents.plan_short(plan)} "
                        f"{period_phrase(data.period)}, {issuer} báo cáo {_full(higher)} xem xét, chỉ đạo./.")

    nd30.closing(doc, documents.signature(coordinator, name=signer_name, authority=authority, position=position),
                 [f"{higher} (b/c)", _leaders(coordinator)], archive="Lưu: VT, TH.")

    nd30.appendix(doc, number=1, title=f"Kết quả thực hiện các nhiệm vụ của {documents.plan_short(plan)}",
                  subtitle=appendix_subtitle(data, date))
    docx_tables.table(doc, TASK_HEADERS, task_rows(data), TASK_WIDTHS_CM, size=11,
                      align=[None, "left", "left", "left", "center", "left", "left", "left"])
    if data.targets:
        from dondoc.targets.queries import report_table

        headers, rows = report_table(data.targets)
        nd30.appendix(doc, number=2, title=f"Kết quả thực hiện các chỉ tiêu của {documents.plan_short(plan)}",
                      subtitle=appendix_subtitle(data, date))
        docx_tables.table(doc, headers, rows, TARGET_WIDTHS_CM, size=11,
                          align=[None, "center", "left", "left", "left", "left", "left"])
    return nd30.to_bytes(doc)


def _overdue_note(tasks: list[TaskLine]) -> str:
    late = sum(1 for t in tasks if t.status is Status.OVERDUE)
    return f", trong đó {late} nhiệm vụ đã quá hạn" if late else ""


def _full(short: str) -> str:
    return "Ủy ban nhân dân tỉnh" if short == "UBND tỉnh" else short


def _leaders(agency) -> str:
    title = documents.head_title(agency)
    if title == "GIÁM ĐỐC":
        return "Giám đốc, các Phó Giám đốc Sở"
    return "Lãnh đạo cơ quan"


# ------------------------------------------------------------------------------------------------------- Excel

XLSX_COLUMNS = [  # (header, width in characters)
    ("STT", 6), ("Nhiệm vụ", 58), ("Cơ quan chủ trì", 24), ("Cơ quan phối hợp", 24), ("Thời hạn", 16),
    ("Tình hình thực hiện", 20), ("Kết quả", 48), ("Đánh giá", 14), ("Mã nhiệm vụ", 10),
]
PRINTED = 8  # the last column (task ref) is hidden: it ties each row to its task
LINE_PT = 15.5  # one line of Times New Roman 12, with its leading


def row_height(values, widths) -> float:
    """A row's height for its wrapped text, in points: Excel and LibreOffice do not size rows written by openpyxl
    when the file opens, so a long task would show as one clipped line. About 1.2 characters of Times New Roman 12
    per unit of column width."""
    import math

    lines = 1
    for value, width in zip(values, widths):
        if value is None or value == "":
            continue
        per_line = max(1.0, width * 1.2 - 1)
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n")))
    return round(LINE_PT * lines + 4, 1)


def build_xlsx(data: Data, *, date: dt.date | None = None) -> bytes:
    """Phụ lục I as a workbook (one row per task, grouped by shortcoming), the figures by shortcoming, and the
    targets: Times New Roman, A4 landscape, header row repeated on every printed page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    from dondoc.core.xlsx import put  # what agencies typed is text in the coordinator's workbook, never a formula

    date = date or clock.today()
    wb = Workbook()
    wb.properties.title = f"Phụ lục I - {title_line(data)}"
    wb.properties.creator = "dondoc"
    stamp = dt.datetime.combine(date, dt.time(8, 0))
    wb.properties.created = wb.properties.modified = stamp
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT_NAME, size=12)
    bold = Font(name=FONT_NAME, size=12, bold=True)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    top_centre = Alignment(wrap_text=True, vertical="top", horizontal="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    fill = PatternFill("solid", fgColor="F2F2F2")
    for name, font, align, shade in (("r-cell", body, wrap_top, None), ("r-cell-centre", body, top_centre, None),
                                     ("r-group", bold, wrap_top, fill), ("r-group-centre", bold, top_centre, fill),
                                     ("r-head", bold, centre, None)):
        style = NamedStyle(name=name, font=font, alignment=align, border=border)
        if shade is not None:
            style.fill = shade
        wb.add_named_style(style)

    def titles(ws, lines, last_col):
        row = 1
        for text, font in lines:
            ws.merge_cells(f"A{row}:{last_col}{row}")
            cell = put(ws, row, 1, text)
            cell.font, cell.alignment = font, centre
            if len(text) > 110:
                ws.row_dimensions[row].height = 34
            row += 1
        return row + 1

    def header_row(ws, row, columns):
        for col, (label, width) in enumerate(columns, start=1):
            put(ws, row, col, label, "r-head")
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.row_dimensions[row].height = 32

    def page(ws, header, last_row, last_col):
        ws.freeze_panes = ws.cell(row=header + 1, column=1)
        ws.print_title_rows = f"{header}:{header}"
        ws.print_area = f"A1:{last_col}{max(last_row, header)}"
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left, ws.page_margins.right = 0.6, 0.4
        ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
        ws.oddFooter.center.text = "Trang &P/&N"
        ws.oddFooter.center.font = FONT_NAME

    plan_short = documents.plan_short(data.plan)
    heading_lines = [
        ("PHỤ LỤC I", Font(name=FONT_NAME, size=14, bold=True)),
        (f"KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỦA {plan_short.upper()}", Font(name=FONT_NAME, size=14, bold=True)),
        (f"({appendix_subtitle(data, date)})", Font(name=FONT_NAME, size=13, italic=True)),
        (f"Kỳ báo cáo: {data.period.label}; số liệu tính đến ngày {documents.short_date(data.as_of)}",
         Font(name=FONT_NAME, size=12, italic=True)),
    ]
    ws = wb.active
    ws.title = "Phụ lục I"
    last_col = get_column_letter(PRINTED)
    row = titles(ws, heading_lines, last_col)
    header = row
    header_row(ws, row, XLSX_COLUMNS)
    ws.column_dimensions[get_column_letter(len(XLSX_COLUMNS))].hidden = True
    widths = [w for _, w in XLSX_COLUMNS[:PRINTED]]
    for g in data.groups:
        row += 1
        values = [g.ref, g.heading_title] + [None] * (len(XLSX_COLUMNS) - 2)
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, "r-group-centre" if col == 1 else "r-group")
        ws.row_dimensions[row].height = row_height(values, widths)
        for t in g.tasks:
            row += 1
            values = [t.number, t.text, "\n".join(t.leads), "\n".join(t.partners), t.deadline, t.situation,
                      t.result_text or None, t.evaluation, t.ref]
            for col, value in enumerate(values, start=1):
                put(ws, row, col, value if value != "" else None, "r-cell-centre" if col in (1, 5) else "r-cell")
            ws.row_dimensions[row].height = row_height(values, widths)
    page(ws, header, row, last_col)

    # Tổng hợp: the figures by shortcoming (dashboard.figures.summary), as the body's overview counts them.
    ws2 = wb.create_sheet("Tổng hợp")
    columns = [("STT", 6), ("Nội dung", 60), ("Tổng số nhiệm vụ", 12), ("Hoàn thành đúng hạn", 13),
               ("Hoàn thành quá hạn", 13), ("Chưa hoàn thành, trong hạn", 14), ("Chưa hoàn thành, quá hạn", 14),
               ("Tỷ lệ hoàn thành nhiệm vụ đến hạn", 16)]
    last2 = get_column_letter(len(columns))
    row = titles(ws2, [(f"TỔNG HỢP KẾT QUẢ THỰC HIỆN {plan_short.upper()} THEO TỪNG NỘI DUNG",
                        Font(name=FONT_NAME, size=14, bold=True)),
                       (f"(Số liệu tính đến ngày {documents.short_date(data.as_of)})",
                        Font(name=FONT_NAME, size=12, italic=True))], last2)
    header2 = row
    header_row(ws2, row, columns)

    def figures_row(r, label_ref, label, f, style):
        in_time = f["open_in_time"] + f["awaiting_confirmation"] + f["ongoing"]
        values = [label_ref, label, f["total"], f["done_on_time"], f["done_late"], in_time, f["overdue"],
                  f["due_done_rate"]]
        for col, value in enumerate(values, start=1):
            cell = put(ws2, r, col, value, style if col == 2 else f"{style}-centre")
            if col == 8:
                cell.number_format = "0.0%"

    for g in data.groups:
        row += 1
        figures_row(row, g.ref, g.heading_title, g.figures, "r-cell")
        ws2.row_dimensions[row].height = row_height([g.ref, g.heading_title], [w for _, w in columns])
    row += 1
    figures_row(row, "", "Tổng cộng", data.summary, "r-group")
    page(ws2, header2, row, last2)

    if data.targets:
        from dondoc.targets.queries import report_table

        headers, rows = report_table(data.targets)
        ws3 = wb.create_sheet("Phụ lục II - Chỉ tiêu")
        widths = (6, 12, 50, 26, 18, 24, 20)
        last3 = get_column_letter(len(headers))
        row = titles(ws3, [("PHỤ LỤC II", Font(name=FONT_NAME, size=14, bold=True)),
                           (f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA {plan_short.upper()}", Font(name=FONT_NAME, size=14, bold=True)),
                           (f"({appendix_subtitle(data, date)})", Font(name=FONT_NAME, size=13, italic=True))], last3)
        header3 = row
        header_row(ws3, row, list(zip(headers, widths)))
        for values in rows:
            row += 1
            for col, value in enumerate(values, start=1):
                put(ws3, row, col, value or None, "r-cell-centre" if col in (1, 2) else "r-cell")
            ws3.row_dimensions[row].height = row_height(values, widths)
        page(ws3, header3, row, last3)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(data: Data, ext: str) -> str:
    number = (data.plan.number or str(data.plan.pk)).replace("/", "-")
    return f"Bao-cao-tong-hop-{number}-{data.period.id}.{ext}"
