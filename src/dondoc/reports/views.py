"""Report pages: a plan's agency reports for a period, one report (edit, submit, approve, accept, return, download),
and the coordinator's consolidated report with its downloads."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.audit import DOCX, PDF, XLSX, attachment
from dondoc.audit.labels import label as audit_label
from dondoc.audit.models import Event
from dondoc.core import clock
from dondoc.core.params import parse_int
from dondoc.core.permissions import attempt_for_page, login_required, role_required
from dondoc.plans.models import JobState, Plan, PlanStatus
from dondoc.plans.access import published_plan_or_404, visible_plans
from dondoc.tracking.status import Status

from . import access, actions, agency_docx, consolidated, deadlines, documents, pdf, periods, queries
from .models import AgencyReport, ReportState

STATE_CSS = {ReportState.DRAFT: "secondary", ReportState.SUBMITTED: "info", ReportState.APPROVED: "primary",
             ReportState.ACCEPTED: "success", ReportState.RETURNED: "warning"}


def _published_plan(user, plan_id: int) -> Plan:
    return published_plan_or_404(user, plan_id)


def _period(request, plan: Plan) -> periods.Period:
    """The period asked for (?ky=2024-Q4), else the plan's own reporting period."""
    chosen = request.GET.get("ky") or request.POST.get("ky") or ""
    if chosen:
        try:
            return periods.parse_period(chosen[:16])
        except ValueError:
            pass
    return deadlines.default_period(plan, clock.today())


def _period_options(plan: Plan, chosen: periods.Period) -> list[tuple[str, str, bool]]:
    options = deadlines.choices(plan, clock.today())
    ids = [p.id for p in options]
    if chosen.id not in ids:
        options.insert(0, chosen)
    return [(p.id, f"{p.label} ({p.start:%d/%m/%Y} – {p.end:%d/%m/%Y})", p.id == chosen.id) for p in options]


def attach_badges(report: AgencyReport | None, today: dt.date):
    if report is not None:
        report.css = STATE_CSS.get(report.state, "secondary")
        report.is_overdue = report.overdue_on(today)
    return report


# ------------------------------------------------------------------------------------------------------ pages


@login_required
def index(request):
    """Plans to report on; agency people also see their agency's reports."""
    user = request.user
    plans = list(visible_plans(user).filter(status=PlanStatus.PUBLISHED))
    if user.role in AGENCY_ROLES:
        mine = set(Plan.objects.filter(tasks__assignments__agency_id=user.agency_id).values_list("pk", flat=True).distinct())
        plans = [p for p in plans if p.pk in mine]
    today = clock.today()
    for plan in plans:
        plan.report_period = deadlines.default_period(plan, today)
        plan.report_deadline = deadlines.report_deadline_for(plan, plan.report_period)
    own = []
    if user.role in AGENCY_ROLES:
        own = [attach_badges(r, today) for r in queries.visible_reports(user).select_related("plan", "agency")
               .order_by("-created_at", "-pk")[:100]]
        for r in own:
            r.period_label = periods.parse_period(r.period).label
    return render(request, "reports/index.html", {"plans": plans, "own": own, "today": today,
                                                  "is_agency": user.role in AGENCY_ROLES,
                                                  "sees_consolidated": user.role in access.CONSOLIDATED})


@login_required
def plan_reports(request, plan_id: int):
    plan = _published_plan(request.user, plan_id)
    period = _period(request, plan)
    today = clock.today()
    rows = queries.agency_rows(plan, period.id, request.user)
    for row in rows:
        attach_badges(row.report, today)
    user = request.user
    can_create = user.role in AGENCY_ROLES and any(r.agency.pk == user.agency_id and r.report is None for r in rows)
    received = sum(1 for r in rows if r.report is not None and r.report.state in consolidated.RECEIVED)
    return render(request, "reports/plan.html", {
        "plan": plan, "period": period, "rows": rows, "options": _period_options(plan, period), "today": today,
        "deadline": deadlines.report_deadline_for(plan, period),
        "coordinator_deadline": deadlines.coordinator_deadline_for(plan, period),
        "can_create": can_create, "received": received,
        "sees_consolidated": user.role in access.CONSOLIDATED, "is_agency": user.role in AGENCY_ROLES,
    })


@require_POST
@role_required(*AGENCY_ROLES)
def create(request, plan_id: int):
    plan = _published_plan(request.user, plan_id)
    period = request.POST.get("ky", "")[:16]
    outcome = attempt_for_page(actions.do_create_report, plan, request.user, period=period, request=request)
    existing = getattr(outcome.exc, "report", None)
    if existing is not None:  # this agency's report for the period exists already: open it
        messages.info(request, outcome.error)
        return redirect("reports:detail", pk=existing.pk)
    if outcome.error:
        messages.error(request, outcome.error)
        back = reverse("reports:plan", kwargs={"plan_id": plan.pk})
        return redirect(back if outcome.status == 409 else f"{back}?{urlencode({'ky': period})}")
    report = outcome.value
    messages.success(request, "Đã lập báo cáo, nội dung lấy từ các báo cáo tiến độ trong kỳ. Hãy rà soát rồi gửi thủ trưởng duyệt.")
    return redirect("reports:detail", pk=report.pk)


def _report(request, pk: int) -> AgencyReport:
    qs = AgencyReport.objects.select_related("plan", "plan__coordinating_agency", "agency", "agency__parent",
                                             "approved_by", "accepted_by", "returned_by", "submitted_by")
    return access.report_or_404(request.user, pk, qs)


def _detail(request, report: AgencyReport, *, error: str = "", status: int = 200):
    user = request.user
    today = clock.today()
    attach_badges(report, today)
    items = list(report.items.select_related("task").order_by("order", "pk"))
    for item in items:
        try:
            item.status_label = Status(item.status).label if item.status else ""
        except ValueError:
            item.status_label = ""
    member = access.is_member(user, report.agency_id)
    is_head = user.role == Role.HEAD and user.agency_id == report.agency_id
    history = list(Event.objects.filter(object_type="reports.agencyreport", object_id=str(report.pk))
                   .select_related("actor").order_by("at", "pk"))
    for e in history:
        e.label = audit_label(e.action)
    return render(request, "reports/detail.html", {
        "r": report, "items": items, "period": periods.parse_period(report.period), "error": error, "history": history,
        "can_edit": member and report.editable,
        "can_approve": is_head and report.state == ReportState.SUBMITTED,
        "can_head_return": is_head and report.state == ReportState.SUBMITTED,
        "can_accept": user.role in access.COORDINATORS and report.state == ReportState.APPROVED,
        "can_coordinator_return": user.role in access.COORDINATORS and report.state == ReportState.APPROVED,
        "today": today,
    }, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, _report(request, pk))


def _run(request, report, fn, *args, success: str = "", **kwargs):
    """Run a workflow action: 403 for a role that may not act; a refusal is shown on the report's page (409/400)."""
    return _guarded(request, report, lambda: fn(report, request.user, *args, request=request, **kwargs), success)


def _guarded(request, report, step, success: str):
    outcome = attempt_for_page(step)
    if outcome.error:
        return _detail(request, _report(request, report.pk), error=outcome.error, status=outcome.status)
    if success:
        messages.success(request, success)
    return redirect("reports:detail", pk=outcome.value.pk)


def _version(request) -> int:
    version = parse_int(request.POST.get("version"))
    return -1 if version is None else version


@require_POST
@login_required
def edit(request, pk: int):
    """Save the text; with "and_submit", save and send to the head in one step."""
    report = _report(request, pk)
    items = {}
    for key, value in request.POST.items():
        field, _, item_id = key.partition("-")
        if field in ("results", "difficulties", "proposals") and item_id.isdigit():
            items.setdefault(int(item_id), {})[field] = value
    and_submit = "and_submit" in request.POST

    def step():
        return actions.do_edit_report(report, request.user, version=_version(request), items=items,
                                      summary=request.POST.get("summary"), difficulties=request.POST.get("difficulties"),
                                      proposals=request.POST.get("proposals"), and_submit=and_submit, request=request)

    return _guarded(request, report, step,
                    "Đã lưu và gửi báo cáo đến thủ trưởng đơn vị để duyệt." if and_submit else "Đã lưu báo cáo.")


@require_POST
@login_required
def refill(request, pk: int):
    return _run(request, _report(request, pk), actions.do_refill, version=_version(request),
                success="Đã lấy lại nội dung từ các báo cáo tiến độ trong kỳ.")


@require_POST
@login_required
def submit(request, pk: int):
    return _run(request, _report(request, pk), actions.do_submit, success="Đã gửi báo cáo đến thủ trưởng đơn vị để duyệt.")


@require_POST
@login_required
def approve(request, pk: int):
    return _run(request, _report(request, pk), actions.do_approve, success="Đã duyệt và gửi báo cáo đến cơ quan tổng hợp.")


@require_POST
@login_required
def accept(request, pk: int):
    return _run(request, _report(request, pk), actions.do_accept, success="Đã tiếp nhận báo cáo.")


@require_POST
@login_required
def return_report(request, pk: int):
    return _run(request, _report(request, pk), actions.do_return, reason=request.POST.get("reason", ""),
                success="Đã trả lại báo cáo.")


@login_required
def report_docx(request, pk: int):
    report = _report(request, pk)
    return attachment(request, report, agency_docx.build(report), agency_docx.filename(report), DOCX)


# -------------------------------------------------------------------------------------------- consolidated


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _options(request) -> dict:
    g = request.POST if request.method == "POST" else request.GET
    return {"date": _date(g.get("ngay", ""), clock.today()), "chart": g.get("bieu_do", "1") != "0",
            "signer_name": g.get("nguoi_ky", "").strip()[:150],
            # "theo cơ cấu cũ": the agencies of a day before a hand-over (consolidated.structures); empty: the report's
            "structure_on": _date(g.get("co_cau", ""), None)}


@role_required(*access.CONSOLIDATED)
def consolidated_page(request, plan_id: int):
    plan = _published_plan(request.user, plan_id)
    period = _period(request, plan)
    options = _options(request)
    data = consolidated.gather(plan, period, structure_on=options["structure_on"])
    return render(request, "reports/consolidated.html", {
        "plan": plan, "period": period, "data": data, "options": _period_options(plan, period),
        "overview": consolidated.overview_sentences(data), "reports_sentence": consolidated.reports_sentence(data),
        "title_line": consolidated.title_line(data), "has_pdf": pdf.soffice() is not None, "form": options,
        "groups": data.groups, "query": request.GET.urlencode(),
        "structures": consolidated.structures(plan, data.as_of), "structure_sentence": consolidated.structure_sentence(data),
        "due_done_rate": documents.percent(data.summary["due_done_rate"]),  # written as the document writes it
        "implementation_sentence": consolidated.implementation_sentence(data),
    })


def _built(request, plan_id: int):
    plan = _published_plan(request.user, plan_id)
    period = _period(request, plan)
    options = _options(request)
    return consolidated.gather(plan, period, structure_on=options["structure_on"]), options


@role_required(*access.CONSOLIDATED)
def consolidated_docx(request, plan_id: int):
    data, o = _built(request, plan_id)
    content = consolidated.build_docx(data, date=o["date"], chart=o["chart"], signer_name=o["signer_name"])
    return attachment(request, data.plan, content, consolidated.filename(data, "docx"), DOCX)


@role_required(*access.CONSOLIDATED)
def consolidated_xlsx(request, plan_id: int):
    data, o = _built(request, plan_id)
    return attachment(request, data.plan, consolidated.build_xlsx(data, date=o["date"]), consolidated.filename(data, "xlsx"),
                     XLSX)


@require_POST
@role_required(*access.CONSOLIDATED)
def consolidated_pdf(request, plan_id: int):
    """Queue the report's conversion to PDF (a background job) and show its progress."""
    data, o = _built(request, plan_id)
    content = consolidated.build_docx(data, date=o["date"], chart=o["chart"], signer_name=o["signer_name"])
    outcome = attempt_for_page(pdf.do_request_pdf, data.plan, request.user, docx=content,
                               name=consolidated.filename(data, "pdf"), request=request)
    if outcome.error:
        messages.error(request, outcome.error)
        return redirect(f"{reverse('reports:consolidated', args=[data.plan.pk])}?{urlencode({'ky': data.period.id})}")
    return redirect("reports:pdf_job", pk=outcome.value.pk)


@role_required(*access.CONSOLIDATED)
def pdf_job(request, pk: int):
    job = pdf.job_for(request.user, pk)
    template = "reports/_pdf_job.html" if request.htmx else "reports/pdf_job.html"
    return render(request, template, {"job": job})


@role_required(*access.CONSOLIDATED)
def pdf_file(request, pk: int):
    job = pdf.job_for(request.user, pk)
    if job.state != JobState.DONE or not job.result:
        raise Http404
    with job.result.open("rb") as f:
        return attachment(request, job.plan, f.read(), job.result_name, PDF)
