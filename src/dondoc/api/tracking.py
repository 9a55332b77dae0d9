from __future__ import annotations

import datetime as dt
import functools
from typing import Literal

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus
from pydantic import field_validator

from dondoc.accounts.roles import AGENCY_ROLES
from dondoc.audit.labels import label as action_label
from dondoc.core import clock
from dondoc.core.limits import LONG_TEXT
from dondoc.orgs.names import search_text
from dondoc.plans.due import Due, public_basis
from dondoc.plans.models import Assignment, Task
from dondoc.reports.periods import KINDS as PERIOD_KINDS, MAX_YEAR, MIN_YEAR
from dondoc.tracking import access, actions, handover, spans
from dondoc.tracking.models import DecisionState, Extension, StatusSpan
from dondoc.tracking.state import annotate, with_records
from dondoc.tracking.status import Status, status_on
from dondoc.tracking.status_sql import status_q

from .errors import run
from .dashboard import PlanRef
from .pagination import MAX_PAGE_SIZE, Page, Paging, bounds, page_response, paginate
from .params import Day, Id, Moment

router = Router(tags=["Theo dõi thực hiện"])




class Ref(Schema):
    id: int
    name: str


class TaskRef(Schema):
    id: int
    ref: str
    text: str


class AssignmentBrief(Schema):
    id: int
    task: TaskRef
    agency: Ref
    role: str
    status: str
    due_date: dt.date | None = Field(description="Ngày đến hạn của lượt giao (sau gia hạn đã duyệt)")
    due_basis: str = Field(description="Căn cứ của `due_date`: extended (đã gia hạn), hoặc căn cứ của nhiệm vụ: own, "
                                       "period_end, year_end, plan_report_date, recurring, none")


class AssignmentItem(AssignmentBrief):
    predecessor: int | None = Field(description="Mã lượt giao của cơ quan cũ mà lượt giao này tiếp nối (bàn giao khi tổ "
                                                 "chức lại bộ máy: GET /assignments/{id} cho chi tiết)")


def _due_basis(task_due: Due, effective: dt.date | None) -> str:
    return "extended" if effective != task_due.date else public_basis(task_due)


class UpdateOut(Schema):
    id: int
    author: str
    created_at: dt.datetime
    text: str
    percent: int | None
    difficulties: str
    proposals: str
    withdrawn: bool
    files: list[str]


class ExtensionOut(Schema):
    id: int
    original_due: dt.date | None
    new_deadline: dt.date
    reason: str
    state: str


class DirectionOut(Schema):
    id: int
    author: str
    created_at: dt.datetime
    text: str


class ClaimOut(Schema):
    id: int
    completed_on: dt.date
    output: str
    state: str
    reason: str


class HandedOver(Schema):
    assignment: int
    agency: Ref
    on: dt.date = Field(description="Từ ngày (bàn giao khi tổ chức lại bộ máy)")


class ImplementedBy(Schema):
    id: int
    ref: str
    text: str
    plan: int = Field(description="Kế hoạch thực hiện của cơ quan chứa nhiệm vụ này")


class AssignmentDetailOut(AssignmentBrief):
    updates: list[UpdateOut]
    claims: list[ClaimOut]
    extensions: list[ExtensionOut]
    directions: list[DirectionOut]
    predecessor: HandedOver | None = Field(description="Lượt giao của cơ quan cũ mà lượt giao này tiếp nối")
    successors: list[HandedOver] = Field(description="Lượt giao của cơ quan kế thừa tiếp nối lượt giao này")
    implemented_by: list[ImplementedBy] = Field(description="Nhiệm vụ trong kế hoạch thực hiện của cơ quan thực hiện "
                                                            "lượt giao này")


def _brief(a) -> dict:
    return {"id": a.pk, "task": {"id": a.task_id, "ref": a.task.ref, "text": a.task.text},
            "agency": {"id": a.agency_id, "name": a.agency.name}, "role": a.role, "status": a.status.value,
            "due_date": a.effective_due, "due_basis": _due_basis(a.due, a.effective_due)}


def _load(request, pk, *, with_status: bool = True) -> Assignment:
    """The assignment, 404 for another agency's; with its status unless the caller only acts on it (an action
    reads what it needs under its own row lock)."""
    try:  # without a queryset: with its task and agency
        a = access.assignment_or_404(request.user, pk, with_records(Assignment.objects.all()) if with_status else None)
    except Http404:
        raise HttpError(404, "Không tìm thấy.")
    return annotate([a])[0] if with_status else a


@router.get("/me/assignments", response=Page[AssignmentItem], summary="Việc của cơ quan tôi (quá hạn trước, rồi theo thời hạn)")
def my_assignments(request, paging: Query[Paging]):
    if request.user.role not in AGENCY_ROLES:
        return {"count": 0, "items": []}
    from dondoc.tracking.work import WorkList

    work = WorkList(request.user.agency_id)
    counts = work.counts()
    count = work.total(counts)
    window = bounds(paging, count)
    if window is None:
        return {"count": count, "items": []}
    agency = request.user.agency

    def items():
        return [{"id": i.pk, "task": {"id": i.task_id, "ref": i.ref, "text": i.text},
                 "agency": {"id": agency.pk, "name": agency.name}, "role": i.role, "status": i.status.value,
                 "due_date": i.effective_due, "due_basis": _due_basis(i.due, i.effective_due),
                 "predecessor": i.predecessor_id}
                for i in work.page(*window, counts)]

    # The agency's page changes only with its spans, its tasks or its name, all of which move the status version
    # (tracking/spans.py): read once per change and per page, as the work list page is (tracking/views.my_work).
    return page_response(count, spans.memoised("me-assignments", work.agency_id, work.day, window, at=work.version,
                                               compute=items))


STATUS_CODES = tuple(s.value for s in Status if s is not Status.CANCELLED)
SORT_DESCRIPTION = ("due: thời hạn gần nhất trước; -due: xa nhất trước; updated: cập nhật gần đây nhất trước; "
                    "plan: theo kế hoạch rồi thứ tự trong kế hoạch")


class ListFilters(Paging):
    """The filters the lists across plans share (GET /assignments, GET /tasks): one definition, one validation."""

    plan: Id | None = Field(None, description="Chỉ kế hoạch này")
    agency: Id | None = Field(None, description="Chỉ lượt giao của cơ quan này")
    role: Literal["lead", "coordinating"] | None = Field(None, description="lead: chủ trì; coordinating: phối hợp")
    status: str | None = Field(None, description="Tình trạng vào ngày `on`, nhiều mã cách nhau bởi dấu phẩy: "
                                                  + ", ".join(STATUS_CODES),
                               pattern=f"^({'|'.join(STATUS_CODES)})(,({'|'.join(STATUS_CODES)}))*$")
    on: Day | None = Field(None, description="Ngày xem tình trạng (YYYY-MM-DD), mặc định hôm nay; từ 2000 đến hôm nay")
    due_from: Day | None = Field(None, description="Thời hạn từ ngày")
    due_to: Day | None = Field(None, description="Thời hạn đến ngày")
    assignee: Id | None = Field(None, description="Chỉ lượt giao do người này phụ trách (mã người dùng)")
    q: str = Field("", max_length=200, description="Tìm trong nội dung nhiệm vụ, không cần dấu (một đoạn liền: "
                                                   "\"benh an dien tu\")")
    updated_since: Moment | None = Field(None, description="Chỉ những gì cập nhật từ thời điểm này (ISO 8601, ví dụ "
                                                           "2024-10-05T08:30:00+07:00; không ghi múi giờ: giờ Việt Nam): "
                                                           "chính nó hoặc báo cáo, hoàn thành, gia hạn, chỉ đạo của nó")
    sort: Literal["due", "-due", "updated", "plan"] = Field("due", description=SORT_DESCRIPTION)

    @field_validator("status", mode="before")  # before the pattern: the reason said in Vietnamese
    @classmethod
    def _codes(cls, value):
        if value is None:
            return value
        codes = [c.strip() for c in value.split(",") if c.strip()]
        unknown = [c for c in codes if c not in STATUS_CODES]
        if unknown or not codes:
            raise ValueError(f"mã tình trạng không hợp lệ: {', '.join(unknown) or '(trống)'}; dùng {', '.join(STATUS_CODES)}")
        return ",".join(codes)

    @field_validator("on")  # the schema cannot say "not after today": the same 422 as a malformed day
    @classmethod
    def _day_with_figures(cls, value):
        if value is not None and not dt.date(2000, 1, 1) <= value <= clock.today():
            raise ValueError("phải từ 01/01/2000 đến hôm nay (số liệu chỉ có đến hôm nay)")
        return value

    def day(self) -> dt.date:
        return self.on or clock.today()

    def words(self) -> str:
        """The query as the search column is written (accent-free, abbreviations expanded: orgs.names)."""
        return search_text(self.q)

    def codes(self) -> list[str]:
        return self.status.split(",") if self.status else []


class AssignmentFilters(ListFilters):
    plan: Id | None = Field(None, description="Chỉ lượt giao của kế hoạch này")
    due_from: Day | None = Field(None, description="Thời hạn (sau gia hạn) từ ngày")
    due_to: Day | None = Field(None, description="Thời hạn (sau gia hạn) đến ngày")


ASSIGNMENT_SORTS = {"due": (F("due").asc(nulls_last=True), "order", "assignment_id"),
                    "-due": (F("due").desc(nulls_last=True), "order", "assignment_id"),
                    "updated": ("-assignment__updated_at", "-assignment_id"),
                    "plan": ("plan_id", "order", "assignment_id")}


@router.get("/assignments", response=Page[AssignmentItem],
            summary="Lượt giao việc trên mọi kế hoạch (lọc theo kế hoạch, cơ quan, vai trò, tình trạng, thời hạn, nội dung, "
                    "thời điểm cập nhật)")
def list_assignments(request, filters: Query[AssignmentFilters]):
    """Read from the status cache, as the work list and the figures are: a status on a day is a column of the span
    that holds on that day, so filtering and counting by it is one indexed query, whatever the number of plans."""
    day, plans = filters.day(), spans.published_plans()
    on_spans = {"plan_id": filters.plan, "agency_id": filters.agency, "role": filters.role,
                "due__gte": filters.due_from, "due__lte": filters.due_to}
    beyond = {"assignment__assignee_id": filters.assignee, "task__search_text__contains": filters.words() or None,
              "assignment__updated_at__gte": filters.updated_since}
    beyond = {k: v for k, v in beyond.items() if v is not None}

    @functools.cache
    def query():  # built only when the count or the page is not memoised
        qs = spans.on(day, access.visible_assignments(request.user, StatusSpan.objects.exclude(state=Status.CANCELLED.value)),
                      plans=plans)
        qs = qs.filter(**{k: v for k, v in on_spans.items() if v is not None})
        if filters.status:
            qs = qs.filter(status_q(day, filters.codes()))
        return qs.filter(**beyond) if beyond else qs

    if beyond:
        count = query().count()
    else:
        # Only columns of the status cache decide the count: memoised under its version, which every change of
        # them moves (tracking/spans.py), so a busy list is counted once per change, not once per request.
        count = spans.memoised("assignments", access.assignment_scope(request.user), day, tuple(plans),
                               sorted(on_spans.items()), filters.status, compute=lambda: query().count())
    window = bounds(filters, count)
    if window is None:
        return {"count": count, "items": []}

    def page():
        rows = query().order_by(*ASSIGNMENT_SORTS[filters.sort])[window[0]:window[1]].values_list(
            "assignment_id", "task_id", "task__ref", "task__text", "agency_id", "agency__name", "role", "state", "due",
            "task__due_date", "task__due_basis", "task__due_label", "assignment__predecessor_id")
        return [{"id": a_id, "task": {"id": task_id, "ref": ref, "text": text}, "agency": {"id": agency_id, "name": agency},
                 "role": role, "status": status_on(state, due, day).value, "due_date": due,
                 "due_basis": _due_basis(Due(*task_due), due), "predecessor": predecessor}
                for a_id, task_id, ref, text, agency_id, agency, role, state, due, *task_due, predecessor in rows]

    if beyond or filters.sort == "updated":
        return page_response(count, page())  # what decides it (updated_at, assignee) moves no status version
    # Everything the page holds and its order are the status cache's and what moves its version (tasks' texts,
    # agencies' names: tracking/spans.py), as for its count: paged once per change, as an agency's own list is.
    return page_response(count, spans.memoised("assignments-page", access.assignment_scope(request.user), day,
                                               tuple(plans), sorted(on_spans.items()), filters.status, filters.sort,
                                               window, compute=page))


class TaskFilters(ListFilters):
    agency: Id | None = Field(None, description="Chỉ nhiệm vụ giao cho cơ quan này (chủ trì hoặc phối hợp, vào ngày `on`)")
    role: Literal["lead", "coordinating"] | None = Field(
        None, description="Với `agency`: chỉ nhiệm vụ cơ quan đó chủ trì (lead) hoặc phối hợp (coordinating)")
    status: str | None = Field(
        None, description="Tình trạng của nhiệm vụ vào ngày `on` (gộp các cơ quan chủ trì: hoàn thành khi mọi cơ quan "
                          "chủ trì hoàn thành, quá hạn khi một cơ quan quá hạn), nhiều mã cách nhau bởi dấu phẩy: "
                          + ", ".join(STATUS_CODES) + ". Cán bộ của cơ quan: chỉ trong các nhiệm vụ giao cho cơ quan mình",
        pattern=f"^({'|'.join(STATUS_CODES)})(,({'|'.join(STATUS_CODES)}))*$")
    due_from: Day | None = Field(None, description="Thời hạn của nhiệm vụ từ ngày")
    due_to: Day | None = Field(None, description="Thời hạn của nhiệm vụ đến ngày")
    assignee: Id | None = Field(None, description="Chỉ nhiệm vụ có lượt giao do người này phụ trách (mã người dùng)")


class TaskItem(Schema):
    id: int
    plan: PlanRef
    ref: str
    text: str
    status: str | None = Field(description="Tình trạng vào ngày `on`, gộp các cơ quan chủ trì: một mã như bộ lọc "
                                           "`status`, cancelled (đã hủy), hoặc null khi chưa có cơ quan chủ trì vào ngày đó")
    due_date: dt.date | None = Field(description="Thời hạn của nhiệm vụ (gia hạn là của từng lượt giao: GET /assignments)")
    due_basis: str = Field(description="Căn cứ của `due_date`: own, period_end, year_end, plan_report_date, recurring, none")
    leads: list[Ref] = Field(description="Cơ quan chủ trì vào ngày `on`")
    coordinating: list[Ref] = Field(description="Cơ quan phối hợp vào ngày `on`")


TASK_SORTS = {"due": (F("due_date").asc(nulls_last=True), "plan_id", "order", "id"),
              "-due": (F("due_date").desc(nulls_last=True), "plan_id", "order", "id"),
              "updated": ("-updated_at", "-id"),
              "plan": ("plan_id", "order", "id")}


@router.get("/tasks", response=Page[TaskItem],
            summary="Nhiệm vụ trên mọi kế hoạch đã ban hành (lọc theo kế hoạch, cơ quan, tình trạng, thời hạn, nội dung, "
                    "thời điểm cập nhật)")
def list_all_tasks(request, filters: Query[TaskFilters]):
    """Tasks of the published plans the user sees (plans/access.visible_tasks), their status read from the status
    cache as the figures count it: grouped by task in SQL over the lead spans holding on the day
    (spans.task_statuses), so filtering and counting by status is one query, whatever the number of tasks."""
    from dondoc.plans.access import status_agency, visible_tasks

    day, plans = filters.day(), spans.published_plans()
    qs = visible_tasks(request.user, Task.objects.filter(plan_id__in=plans))
    wanted = {"plan_id": filters.plan, "due_date__gte": filters.due_from, "due_date__lte": filters.due_to,
              "search_text__contains": filters.words() or None, "updated_at__gte": filters.updated_since}
    qs = qs.filter(**{k: v for k, v in wanted.items() if v is not None})
    agency = filters.agency
    if filters.status:
        # A status is a follow-up figure: an agency's people read it over their own agency's tasks only, as on the
        # task list page (plans/access.status_agency; another agency's answers 403).
        agency = run(status_agency, request.user, agency)
        qs = qs.filter(pk__in=spans.task_statuses(day, plans=plans).filter(status__in=filters.codes()).values("task_id"))
    given = {"agency_id": agency, "role": filters.role, "assignment__assignee_id": filters.assignee}
    given = {k: v for k, v in given.items() if v is not None}
    if given:  # tasks with such an assignment, on the day: as GET /assignments lists them
        qs = qs.filter(pk__in=spans.on(day, StatusSpan.objects.exclude(state=Status.CANCELLED.value).filter(**given),
                                       plans=plans).values("task_id"))
    count = qs.count()
    window = bounds(filters, count)
    if window is None:
        return {"count": count, "items": []}
    rows = list(qs.order_by(*TASK_SORTS[filters.sort])[window[0]:window[1]].values_list(
        "pk", "plan_id", "plan__number", "plan__title", "ref", "text", "due_date", "due_basis", "due_label"))
    ids = [row[0] for row in rows]
    statuses = dict(spans.task_statuses(day, StatusSpan.objects.filter(task_id__in=ids), plans=plans)
                    .values_list("task_id", "status"))
    agencies: dict[int, dict[str, list]] = {pk: {"lead": [], "coordinating": []} for pk in ids}
    for task_id, role, agency_id, name in (
            spans.on(day, StatusSpan.objects.filter(task_id__in=ids).exclude(state=Status.CANCELLED.value), plans=plans)
            .order_by("agency__sort_key", "agency_id").values_list("task_id", "role", "agency_id", "agency__name")):
        agencies[task_id][role].append({"id": agency_id, "name": name})
    return page_response(count, [
        {"id": pk, "plan": {"id": plan_id, "number": number, "title": title}, "ref": ref, "text": text,
         "status": statuses.get(pk), "due_date": due_date, "due_basis": _due_basis(Due(due_date, *due), due_date),
         "leads": agencies[pk]["lead"], "coordinating": agencies[pk]["coordinating"]}
        for pk, plan_id, number, title, ref, text, due_date, *due in rows])


@router.get("/assignments/{int:assignment_id}", response=AssignmentDetailOut, summary="Một lượt giao việc với báo cáo, gia hạn, chỉ đạo")
def get_assignment(request, assignment_id: int):
    a = _load(request, assignment_id)
    updates = [{"id": u.pk, "author": u.author.display_name, "created_at": u.created_at, "text": u.text, "percent": u.percent,
                "difficulties": u.difficulties, "proposals": u.proposals, "withdrawn": u.withdrawn_at is not None,
                "files": [e.name for e in u.evidence.all()]}
               for u in a.updates.select_related("author").prefetch_related("evidence")]
    directions = [{"id": d.pk, "author": d.author.display_name, "created_at": d.created_at, "text": d.text}
                  for d in access.directions_for(request.user, a).select_related("author")]
    return {**_brief(a), "updates": updates,
            "claims": [{"id": c.pk, "completed_on": c.completed_on, "output": c.output, "state": c.state, "reason": c.reason}
                       for c in a.claims.all()],
            "extensions": [{"id": e.pk, "original_due": e.original_due, "new_deadline": e.new_deadline, "reason": e.reason,
                            "state": e.state} for e in a.extensions.all()],
            "directions": directions, **handover.chain(a),
            "implemented_by": [{"id": t.pk, "ref": t.ref, "text": t.text, "plan": t.plan_id} for t in
                               a.implemented_by.filter(plan__status__in=("published", "closed"), cancelled_at__isnull=True)
                               .order_by("plan_id", "order")]}


class UpdateIn(Schema):
    text: str = Field(max_length=LONG_TEXT)
    percent: int | None = Field(None, description="Tỷ lệ hoàn thành, 0–100 (chỉ cơ quan chủ trì)")
    difficulties: str = Field("", max_length=LONG_TEXT)
    proposals: str = Field("", max_length=LONG_TEXT)


class Created(Schema):
    id: int


UPDATE_FIELDS = {
    "text": {"type": "string", "maxLength": LONG_TEXT, "description": "Kết quả thực hiện"},
    "difficulties": {"type": "string", "maxLength": LONG_TEXT, "default": ""},
    "proposals": {"type": "string", "maxLength": LONG_TEXT, "default": ""},
}
# The body is read by hand (JSON or multipart), so it is documented here: the same fields either way, files in multipart.
UPDATE_BODY = {
    "content": {
        "application/json": {"schema": {
            "type": "object", "required": ["text"],
            "properties": {**UPDATE_FIELDS, "percent": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None,
                                                        "description": "Tỷ lệ hoàn thành, 0–100 (chỉ cơ quan chủ trì)"}}}},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["text"],
            "properties": {**UPDATE_FIELDS, "percent": {"type": "string", "description": "Tỷ lệ hoàn thành, 0–100"},
                           "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                                     "description": "Tệp minh chứng"}}}},
    },
    "required": True,
}


@router.post("/assignments/{int:assignment_id}/updates", response={201: Created}, summary="Gửi báo cáo tiến độ (JSON hoặc multipart với tệp)",
             openapi_extra={"requestBody": UPDATE_BODY})
def post_update(request, assignment_id: int):
    a = _load(request, assignment_id, with_status=False)  # the most frequent write: no status to compute
    if request.content_type and request.content_type.startswith("multipart/"):
        data, files = request.POST, request.FILES.getlist("files")
    else:
        import json

        try:
            data = UpdateIn(**json.loads(request.body or b"{}")).dict()
        except Exception:
            raise HttpError(400, "Dữ liệu không hợp lệ: cần JSON {text, percent, difficulties, proposals}.")
        files = []
    update = run(actions.do_post_update, a, request.user, text=data.get("text", ""), percent=data.get("percent"),
                 difficulties=data.get("difficulties", ""), proposals=data.get("proposals", ""), files=files, request=request)
    return HttpStatus(201, {"id": update.pk})


class ClaimIn(Schema):
    completed_on: Day
    output: str = Field("", max_length=500)


@router.post("/assignments/{int:assignment_id}/claim", response={201: Created}, summary="Báo cáo hoàn thành (cơ quan chủ trì)")
def claim(request, assignment_id: int, body: ClaimIn):
    a = _load(request, assignment_id)
    c = run(actions.do_claim, a, request.user, completed_on=body.completed_on, output=body.output, request=request)
    return HttpStatus(201, {"id": c.pk})


def _pending_claim(a):
    claim = next((c for c in a.claims.all() if c.state == DecisionState.PENDING), None)
    if claim is None:
        raise HttpError(409, "Không có báo cáo hoàn thành nào đang chờ xác nhận.")
    return claim


@router.post("/assignments/{int:assignment_id}/confirm", response=ClaimOut, summary="Xác nhận hoàn thành (cơ quan tổng hợp)")
def confirm(request, assignment_id: int):
    a = _load(request, assignment_id)
    run(access.require_role, request.user, access.COORDINATORS,
        "Chỉ cơ quan theo dõi, tổng hợp xác nhận hoặc trả lại báo cáo hoàn thành.")
    c = run(actions.do_confirm, _pending_claim(a), request.user, request=request)
    return {"id": c.pk, "completed_on": c.completed_on, "output": c.output, "state": c.state, "reason": c.reason}


class ReturnIn(Schema):
    reason: str = Field(max_length=LONG_TEXT)


@router.post("/assignments/{int:assignment_id}/return", response=ClaimOut, summary="Trả lại báo cáo hoàn thành")
def return_claim(request, assignment_id: int, body: ReturnIn):
    a = _load(request, assignment_id)
    run(access.require_role, request.user, access.COORDINATORS,
        "Chỉ cơ quan theo dõi, tổng hợp xác nhận hoặc trả lại báo cáo hoàn thành.")
    c = run(actions.do_return, _pending_claim(a), request.user, reason=body.reason, request=request)
    return {"id": c.pk, "completed_on": c.completed_on, "output": c.output, "state": c.state, "reason": c.reason}


class ExtensionIn(Schema):
    new_deadline: Day
    reason: str = Field(max_length=LONG_TEXT)


@router.post("/assignments/{int:assignment_id}/extensions", response={201: Created}, summary="Đề nghị gia hạn")
def request_extension(request, assignment_id: int, body: ExtensionIn):
    a = _load(request, assignment_id)
    e = run(actions.do_request_extension, a, request.user, new_deadline=body.new_deadline, reason=body.reason, request=request)
    return HttpStatus(201, {"id": e.pk})


class DecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=LONG_TEXT)


@router.post("/extensions/{int:extension_id}/decide", response=ExtensionOut, summary="Quyết định gia hạn")
def decide(request, extension_id: int, body: DecideIn):
    ext = get_object_or_404(Extension, pk=extension_id)
    _load(request, ext.assignment_id)
    e = run(actions.do_decide_extension, ext, request.user, approve=body.approve, note=body.note, request=request)
    return {"id": e.pk, "original_due": e.original_due, "new_deadline": e.new_deadline, "reason": e.reason, "state": e.state}


class DirectionItem(Schema):
    id: int
    author: str = Field(description="Họ và tên người cho ý kiến chỉ đạo")
    created_at: dt.datetime
    text: str
    to_agency: Ref | None = Field(description="Chỉ gửi cơ quan này; null: mọi cơ quan được giao nhiệm vụ")
    acknowledged: bool = Field(description="Cơ quan của lượt giao này đã xác nhận đã nhận")


class DirectionIn(Schema):
    text: str = Field(max_length=LONG_TEXT)
    only_this_agency: bool = Field(False, description="true: chỉ gửi cơ quan của lượt giao này; false: mọi cơ quan được "
                                                      "giao nhiệm vụ")


def _direction(d, agency_id: int) -> dict:
    return {"id": d.pk, "author": d.author.display_name, "created_at": d.created_at, "text": d.text,
            "to_agency": {"id": d.agency_id, "name": d.agency.name} if d.agency_id else None,
            "acknowledged": any(ack.agency_id == agency_id for ack in d.acks.all())}


@router.get("/assignments/{int:assignment_id}/directions", response=Page[DirectionItem],
            summary="Ý kiến chỉ đạo về một lượt giao việc (gửi mọi cơ quan của nhiệm vụ hoặc riêng cơ quan này)")
def list_directions(request, assignment_id: int, paging: Query[Paging]):
    a = _load(request, assignment_id, with_status=False)
    found = paginate(access.directions_for(request.user, a).select_related("author", "agency")
                     .prefetch_related("acks").order_by("created_at", "pk"), paging)
    return {"count": found["count"], "items": [_direction(d, a.agency_id) for d in found["items"]]}


@router.post("/assignments/{int:assignment_id}/directions", response={201: DirectionItem},
             summary="Cho ý kiến chỉ đạo (lãnh đạo UBND)")
def give_direction(request, assignment_id: int, body: DirectionIn):
    a = _load(request, assignment_id, with_status=False)
    d = run(actions.do_give_direction, a.task, request.user, text=body.text,
            agency=a.agency if body.only_this_agency else None, request=request)
    return HttpStatus(201, _direction(d, a.agency_id))


@router.post("/directions/{int:direction_id}/acknowledge", response=DirectionItem,
             summary="Xác nhận cơ quan đã nhận ý kiến chỉ đạo (cán bộ của cơ quan được giao)")
def acknowledge(request, direction_id: int):
    d = access.visible_directions(request.user).select_related("task", "author", "agency").filter(pk=direction_id).first()
    if d is None:
        raise HttpError(404, "Không tìm thấy.")
    run(actions.do_acknowledge, d, request.user, request=request)
    return _direction(d, request.user.agency_id)


class EventOut(Schema):
    at: dt.datetime
    actor: str = Field(description="Tên đăng nhập của người thực hiện")
    actor_display_name: str = Field(description="Họ và tên người thực hiện, như trang lịch sử hiển thị")
    action: str
    label: str = Field(description="Hành động, bằng lời (như trang lịch sử hiển thị)")
    changes: dict


class HistoryPaging(Paging):
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE, description=f"Số mục mỗi trang, từ 1 đến {MAX_PAGE_SIZE}")


@router.get("/tasks/{int:task_id}/history", response=Page[EventOut], summary="Lịch sử của một nhiệm vụ")
def history(request, task_id: int, paging: Query[HistoryPaging]):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=task_id)
    events = access.visible_history(request.user, task)
    if events is None:
        raise HttpError(404, "Không tìm thấy.")
    result = paginate(events, paging)
    return {"count": result["count"], "items": [{"at": e.at, "actor": e.actor_name, "actor_display_name": e.who, "action": e.action,
                                                 "label": action_label(e.action), "changes": e.changes}
                                                for e in result["items"]]}


class PeriodOut(Schema):
    id: str
    kind: str
    label: str
    start: dt.date
    end: dt.date
    deadline: dt.date  # agencies' report deadline: the plan's own date when `plan` is given and applies


@router.get("/periods", response=Page[PeriodOut], summary="Kỳ báo cáo (thời gian chốt số liệu theo Nghị định 09/2019) và hạn báo cáo")
def list_periods(request, kind: Literal[PERIOD_KINDS] = "quarterly",
                 year: int | None = Query(None, ge=MIN_YEAR, le=MAX_YEAR), plan: Id | None = None):
    from dondoc.core import clock
    from dondoc.plans.queries import plan_for_user_or_404
    from dondoc.reports import deadlines, periods

    try:
        items = periods.periods(kind, year or clock.today().year)
    except ValueError as exc:
        raise HttpError(400, str(exc))
    chosen = None
    if plan is not None:
        try:
            chosen = plan_for_user_or_404(request.user, plan)
        except Http404:
            raise HttpError(404, "Không tìm thấy.")
    off = deadlines.holidays()
    return {"count": len(items), "items": [{"id": p.id, "kind": p.kind, "label": p.label, "start": p.start, "end": p.end,
                                            "deadline": deadlines.report_deadline_for(chosen, p, holidays=off)}
                                           for p in items]}
