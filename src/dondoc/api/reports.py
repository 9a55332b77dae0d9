"""Agency reports and the consolidated report over the API: the same actions and visibility as the pages
(reports/access.py). Refusals: 403 for a role that may not act, 404 for another agency's report, 409 for a
transition the report's state does not allow (an accepted report refuses every change), 400 for bad input."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from dondoc.accounts.roles import AGENCY_ROLES
from dondoc.audit import DOCX, XLSX, attachment
from dondoc.core import clock
from dondoc.core.limits import LONG_TEXT
from dondoc.plans.access import published_plan_or_404
from dondoc.plans.models import Plan
from dondoc.reports import access, actions, agency_docx, consolidated, deadlines, periods, queries
from dondoc.reports.models import AgencyReport

from .errors import run
from .pagination import Page, Paging, paginate
from .params import Day, Id, Version

router = Router(tags=["Báo cáo"])

NOT_FOUND = "Không tìm thấy."




def _plan(request, plan_id: int) -> Plan:
    try:
        return published_plan_or_404(request.user, plan_id)
    except Http404:
        raise HttpError(404, NOT_FOUND)


def _report(request, report_id: int) -> AgencyReport:
    try:
        return access.report_or_404(request.user, report_id, AgencyReport.objects.select_related("plan", "agency"))
    except Http404:
        raise HttpError(404, NOT_FOUND)


class AgencyRef(Schema):
    id: int
    name: str


class ReportOut(Schema):
    id: int
    agency: AgencyRef
    period: str
    period_label: str
    state: str  # draft | submitted | approved | accepted | returned
    late: bool  # submitted after the deadline
    deadline: dt.date
    submitted_at: dt.datetime | None
    version: int


class ItemOut(Schema):
    id: int
    task_id: int
    task_ref: str
    role: str
    results: str
    difficulties: str
    proposals: str
    percent: int | None
    status: str


class ReportDetail(ReportOut):
    plan_id: int
    summary: str
    difficulties: str
    proposals: str
    return_reason: str
    items: list[ItemOut]


def _out(r: AgencyReport) -> dict:
    return {"id": r.pk, "agency": {"id": r.agency_id, "name": r.agency.name}, "period": r.period,
            "period_label": periods.parse_period(r.period).label, "state": r.state, "late": r.late,
            "deadline": r.deadline, "submitted_at": r.submitted_at, "version": r.version}


def _detail(r: AgencyReport) -> dict:
    items = [{"id": i.pk, "task_id": i.task_id, "task_ref": i.task.ref, "role": i.role, "results": i.results,
              "difficulties": i.difficulties, "proposals": i.proposals, "percent": i.percent, "status": i.status}
             for i in r.items.select_related("task").order_by("order", "pk")]
    return {**_out(r), "plan_id": r.plan_id, "summary": r.summary, "difficulties": r.difficulties,
            "proposals": r.proposals, "return_reason": r.return_reason, "items": items}


class ReportFilter(Paging):
    period: str = Field("", max_length=16, description="Mã kỳ báo cáo, ví dụ 2024-Q3; để trống: mọi kỳ")


@router.get("/plans/{int:plan_id}/reports", response=Page[ReportOut], summary="Báo cáo định kỳ của các cơ quan về một kế hoạch")
def list_reports(request, plan_id: int, filters: Query[ReportFilter]):
    plan = _plan(request, plan_id)
    result = paginate(queries.plan_reports(plan, request.user, filters.period or None), filters)
    return {"count": result["count"], "items": [_out(r) for r in result["items"]]}


class CreateIn(Schema):
    period: str = Field(max_length=16)


@router.post("/plans/{int:plan_id}/reports", response={201: ReportDetail},
             summary="Lập báo cáo của đơn vị cho một kỳ (lấy sẵn nội dung từ báo cáo tiến độ)")
def create_report(request, plan_id: int, body: CreateIn):
    plan = _plan(request, plan_id)
    if request.user.role not in AGENCY_ROLES:
        raise HttpError(403, "Chỉ thủ trưởng hoặc cán bộ đầu mối của đơn vị mới lập báo cáo của đơn vị.")
    report = run(actions.do_create_report, plan, request.user, period=body.period, request=request)
    return HttpStatus(201, _detail(report))


@router.get("/reports/{int:report_id}", response=ReportDetail, summary="Một báo cáo định kỳ với nội dung từng nhiệm vụ")
def get_report(request, report_id: int):
    return _detail(_report(request, report_id))


class ItemIn(Schema):
    id: Id
    results: str | None = Field(None, max_length=LONG_TEXT)
    difficulties: str | None = Field(None, max_length=LONG_TEXT)
    proposals: str | None = Field(None, max_length=LONG_TEXT)


class EditIn(Schema):
    version: Version
    summary: str | None = Field(None, max_length=LONG_TEXT)
    difficulties: str | None = Field(None, max_length=LONG_TEXT)
    proposals: str | None = Field(None, max_length=LONG_TEXT)
    items: list[ItemIn] = []


@router.put("/reports/{int:report_id}", response=ReportDetail,
            summary="Sửa báo cáo (bản nháp hoặc bị trả lại); `version` chống ghi đè lẫn nhau")
def edit_report(request, report_id: int, body: EditIn):
    report = _report(request, report_id)
    items = {i.id: {"results": i.results, "difficulties": i.difficulties, "proposals": i.proposals} for i in body.items}
    report = run(actions.do_edit_report, report, request.user, version=body.version, items=items,
                 summary=body.summary, difficulties=body.difficulties, proposals=body.proposals, request=request)
    return _detail(report)


@router.post("/reports/{int:report_id}/submit", response=ReportOut, summary="Gửi thủ trưởng duyệt (quá hạn vẫn nhận, ghi là gửi muộn)")
def submit_report(request, report_id: int):
    return _out(run(actions.do_submit, _report(request, report_id), request.user, request=request))


@router.post("/reports/{int:report_id}/approve", response=ReportOut, summary="Thủ trưởng duyệt, gửi cơ quan tổng hợp")
def approve_report(request, report_id: int):
    return _out(run(actions.do_approve, _report(request, report_id), request.user, request=request))


@router.post("/reports/{int:report_id}/accept", response=ReportOut, summary="Cơ quan tổng hợp tiếp nhận (báo cáo bị khóa)")
def accept_report(request, report_id: int):
    return _out(run(actions.do_accept, _report(request, report_id), request.user, request=request))


class ReturnIn(Schema):
    reason: str = Field(max_length=LONG_TEXT)


@router.post("/reports/{int:report_id}/return", response=ReportOut,
             summary="Trả lại kèm lý do: thủ trưởng trả báo cáo chờ duyệt, cơ quan tổng hợp trả báo cáo đã nhận")
def return_report(request, report_id: int, body: ReturnIn):
    return _out(run(actions.do_return, _report(request, report_id), request.user, reason=body.reason, request=request))


@router.get("/reports/{int:report_id}/report.docx", summary="Báo cáo của đơn vị (.docx, Nghị định 30/2020)")
def report_docx(request, report_id: int):
    report = _report(request, report_id)
    return attachment(request, report, agency_docx.build(report), agency_docx.filename(report), DOCX)


def _consolidated(request, plan_id: int, period: str, structure_on: dt.date | None = None):
    if request.user.role not in access.CONSOLIDATED:
        raise HttpError(403, "Chỉ cơ quan tổng hợp, lãnh đạo và người được xem toàn bộ mới tải báo cáo tổng hợp.")
    plan = _plan(request, plan_id)
    try:
        chosen = periods.parse_period(period) if period else deadlines.default_period(plan, clock.today())
    except ValueError as exc:
        raise HttpError(400, str(exc))
    return consolidated.gather(plan, chosen, structure_on=structure_on)


@router.get("/plans/{int:plan_id}/consolidated.docx", summary="Báo cáo tổng hợp (.docx, Nghị định 30/2020), kèm Phụ lục")
def consolidated_docx(request, plan_id: int, period: str = "", date: Day | None = None, chart: bool = True,
                      structure_on: Day | None = None):
    """`structure_on`: name the agencies of that day ("theo cơ cấu cũ", before a hand-over); default the report's."""
    data = _consolidated(request, plan_id, period, structure_on)
    content = consolidated.build_docx(data, date=date, chart=chart)
    return attachment(request, data.plan, content, consolidated.filename(data, "docx"), DOCX)


@router.get("/plans/{int:plan_id}/consolidated.xlsx", summary="Phụ lục của báo cáo tổng hợp (.xlsx): mỗi nhiệm vụ một dòng")
def consolidated_xlsx(request, plan_id: int, period: str = "", date: Day | None = None,
                      structure_on: Day | None = None):
    data = _consolidated(request, plan_id, period, structure_on)
    return attachment(request, data.plan, consolidated.build_xlsx(data, date=date), consolidated.filename(data, "xlsx"), XLSX)
