from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from dondoc.audit import XLSX, attachment
from dondoc.plans import actions, jobs
from dondoc.plans.access import DRAFT_ROLES, plan_for_user_or_404, require_role, visible_plans
from dondoc.plans.due import public_basis
from dondoc.plans.models import Job, PlanStatus
from dondoc.plans.queries import attach_assignments, filter_tasks, list_rows, plans_with_counts

from .errors import run
from .etag import varies_with
from .pagination import Page, Paging, bounds, page_response, paginate
from .params import Id

router = Router(tags=["Kế hoạch"])


class PlanOut(Schema):
    id: int
    number: str
    title: str
    date: dt.date | None
    status: str
    task_count: int


class SectionOut(Schema):
    ref: str
    title: str
    parent: str | None


class AgencyRef(Schema):
    id: int
    name: str


class PlanDetailOut(PlanOut):
    issuer: str
    coordinating_agency: AgencyRef | None
    agency_report_date: dt.date | None
    coordinator_report_date: dt.date | None
    revision_of: int | None
    parent: int | None = Field(description="Kế hoạch cấp trên mà kế hoạch này thực hiện (kế hoạch thực hiện của một cơ quan)")
    owner: AgencyRef | None = Field(description="Cơ quan ban hành kế hoạch thực hiện (null: kế hoạch của tỉnh)")
    children: list[PlanOut] = Field(description="Kế hoạch thực hiện của các cơ quan đối với kế hoạch này")
    sections: list[SectionOut]


class DeadlineOut(Schema):
    date: dt.date | None = Field(description="Ngày đến hạn dùng để tính tình trạng (kể cả khi văn bản không ghi ngày: "
                                             "hạn báo cáo của kế hoạch, hết quý, hết năm); null với nhiệm vụ định kỳ")
    text: str = Field(description="Thời hạn như văn bản ghi")
    recurrence: str | None
    basis: str = Field(description="Căn cứ của `date`: own (văn bản ghi ngày), period_end (hết kỳ ghi trong văn bản), "
                                   "year_end (hết năm), plan_report_date (hạn báo cáo của kế hoạch), recurring, none")


class TaskAssignmentOut(Schema):
    id: int
    agency: AgencyRef
    role: str


class TaskOut(Schema):
    id: int
    ref: str
    text: str
    section: str | None
    deadline: DeadlineOut
    needs_lead: bool
    assignments: list[TaskAssignmentOut]


class JobOut(Schema):
    id: int
    state: str
    progress: int
    plan_id: int | None
    error: str | None
    message: str


class JobCreated(Schema):
    job_id: int


class TaskFilter(Paging):
    section: str = Field("", max_length=32)
    agency: Id | None = None
    q: str = Field("", max_length=200)


def _plan_out(plan) -> dict:
    return {"id": plan.pk, "number": plan.number, "title": plan.title, "date": plan.issued_on, "status": plan.status,
            "task_count": plan.task_count if hasattr(plan, "task_count") else plan.tasks.count()}


@router.get("/plans", response=Page[PlanOut], summary="Danh sách kế hoạch")
def list_plans(request, paging: Query[Paging]):
    result = paginate(plans_with_counts(request.user), paging)
    return {"count": result["count"], "items": [_plan_out(p) for p in result["items"]]}


@router.get("/plans/{int:plan_id}", response=PlanDetailOut, summary="Một kế hoạch và các mục của nó")
def get_plan(request, plan_id: int):
    plan = plan_for_user_or_404(request.user, plan_id)
    sections = [{"ref": s.ref, "title": s.title, "parent": s.parent.ref if s.parent else None}
                for s in plan.sections.select_related("parent").order_by("order")]
    agency, owner = plan.coordinating_agency, plan.owner
    children = visible_plans(request.user, plan.children.all()).order_by("issued_on", "pk")
    return {**_plan_out(plan), "issuer": plan.issuer, "agency_report_date": plan.agency_report_date,
            "coordinator_report_date": plan.coordinator_report_date, "revision_of": plan.revision_of_id,
            "coordinating_agency": {"id": agency.pk, "name": agency.name} if agency else None, "sections": sections,
            "parent": plan.parent_id, "owner": {"id": owner.pk, "name": owner.name} if owner else None,
            "children": [_plan_out(c) for c in children]}


@router.get("/plans/{int:plan_id}/tasks", response=Page[TaskOut], summary="Nhiệm vụ của kế hoạch (lọc, tìm không dấu)")
def list_tasks(request, plan_id: int, filters: Query[TaskFilter]):
    plan = plan_for_user_or_404(request.user, plan_id)
    tasks = list_rows(filter_tasks(plan, section=filters.section, agency=filters.agency, q=filters.q))
    if filters.agency and not (filters.section or filters.q) and plan.status != PlanStatus.DRAFT:
        # An agency's tasks in a plan being carried out change only with what moves the status version: its
        # assignments, the tasks themselves, agencies' names, sections (tracking/spans.py). Counted and paged once
        # per change, not on every request. (A draft is edited in bulk, without those signals: never memoised.)
        from dondoc.tracking import spans

        count = spans.memoised("plan-tasks-of", plan.pk, plan.status, filters.agency, compute=tasks.count)
        window = bounds(filters, count)
        items = [] if window is None else spans.memoised(
            "plan-tasks-page", plan.pk, plan.status, filters.agency, window,
            compute=lambda: _task_items(list(tasks[window[0]:window[1]])))
        return page_response(count, items)
    result = paginate(tasks, filters)
    return page_response(result["count"], _task_items(result["items"]))


def _task_items(tasks) -> list[dict]:
    return [{
        "id": t.pk, "ref": t.ref, "text": t.text, "section": t.section.ref if t.section else None,
        "needs_lead": t.needs_lead,
        "deadline": {"date": t.due_date, "text": t.deadline_text, "recurrence": t.recurrence or None,
                     "basis": public_basis(t.due)},
        "assignments": [{"id": a["id"], "agency": a["agency"], "role": a["role"]} for a in t.assignment_list],
    } for t in attach_assignments(tasks)]


@router.post("/plans/import", response={202: JobCreated}, summary="Tải lên văn bản kế hoạch để đọc (chạy nền)")
def import_plan(request, file: File[UploadedFile] = None):
    # Optional in the signature so that a role without the right gets 403 before any validation of the body.
    run(require_role, request.user, DRAFT_ROLES)
    if file is None:
        raise HttpError(400, "Thiếu tệp kế hoạch (trường multipart «file»).")
    try:
        jobs.check_upload(file.name, file.size)
        job = jobs.start_plan_import(request.user, file.name, file.read(), request=request)
    except jobs.UploadError as exc:
        raise HttpError(400, str(exc))
    return Status(202, {"job_id": job.pk})


def _job_columns(request, job_id):
    # The worker writes a job's progress as it goes, with no audit event: the ETag reads what this answer shows.
    job = Job.objects.filter(pk=job_id)
    return [job.values(column) for column in ("state", "progress", "message", "error", "plan_id", "attempts")]


@router.get("/jobs/{int:job_id}", response=JobOut, summary="Tiến độ một công việc nền")
@varies_with(_job_columns)
def get_job(request, job_id: int):
    run(require_role, request.user, DRAFT_ROLES)
    return _job_out(get_object_or_404(Job, pk=job_id, kind=Job.PLAN_IMPORT))


def _job_out(job) -> dict:
    return {"id": job.pk, "state": job.state, "progress": job.progress, "plan_id": job.plan_id,
            "error": job.error or None, "message": job.message}


@router.post("/jobs/{int:job_id}/restart", response={202: JobOut}, summary="Chạy lại một công việc nền đã lỗi")
def restart_job(request, job_id: int):
    run(require_role, request.user, DRAFT_ROLES)
    job = run(jobs.do_restart_job, get_object_or_404(Job, pk=job_id, kind=Job.PLAN_IMPORT), request.user, request=request)
    return Status(202, _job_out(job))


@router.post("/plans/{int:plan_id}/publish", response=PlanOut, summary="Ban hành giao việc từ bản nháp")
def publish_plan(request, plan_id: int):
    run(require_role, request.user, DRAFT_ROLES)
    plan = plan_for_user_or_404(request.user, plan_id)
    try:
        plan = actions.do_publish_plan(plan, user=request.user, request=request)
    except actions.PlanError as exc:
        raise HttpError(409, f"{exc} {'; '.join(exc.details)}".strip())
    return _plan_out(plan)


@router.get("/plans/{int:plan_id}/tasks.xlsx", summary="Danh mục nhiệm vụ (Excel)", response={200: None})
def tasks_xlsx(request, plan_id: int):
    from dondoc.plans.excel import export_tasks_xlsx

    plan = plan_for_user_or_404(request.user, plan_id)
    return attachment(request, plan, export_tasks_xlsx(plan), f"danh-muc-nhiem-vu-{plan.pk}.xlsx", XLSX, "tasks.xlsx")
