import datetime as dt
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from dondoc.accounts.roles import OVERSIGHT_ROLES
from dondoc.audit import XLSX, attachment
from dondoc.core import clock
from dondoc.core.params import parse_int
from dondoc.core.permissions import attempt_for_page, login_required, role_required
from dondoc.dashboard.figures import task_ids
from dondoc.orgs.models import Agency
from dondoc.tracking.access import sees_assignment
from dondoc.tracking.state import annotate, with_records
from dondoc.tracking.status import Status, combine, lead_progress

from . import actions, amend, jobs
from .forms import PlanAmendForm, UploadForm
from .models import Assignment, Job, PlanStatus, Task
from .access import DRAFT_ROLES, Forbidden, plan_for_user_or_404, status_agency, visible_plans, visible_tasks
from .queries import (agencies_on, attach_assignments, filter_tasks, list_rows, plans_with_counts, section_subtrees,
                      with_assignments)

STATUS_CODES = {s.value for s in Status if s is not Status.CANCELLED}
# The status filter: the four official figures first, then the finer codes.
STATUS_CHOICES = [
    (("done_on_time",), "Đã hoàn thành đúng hạn"), (("done_late",), "Đã hoàn thành quá hạn"),
    (("open_in_time", "awaiting_confirmation", "ongoing"), "Chưa hoàn thành, trong hạn (cả chờ xác nhận, thường xuyên)"),
    (("overdue",), "Chưa hoàn thành, quá hạn"),
    (("awaiting_confirmation",), "Chờ xác nhận hoàn thành"), (("ongoing",), "Thường xuyên, định kỳ"),
]

PAGE_SIZE = 50


@login_required
def plan_list(request):
    plans = plans_with_counts(request.user)
    return render(request, "plans/list.html", {"plans": plans, "can_upload": request.user.role in DRAFT_ROLES})


@role_required(*DRAFT_ROLES)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                jobs.check_upload(f.name, f.size)  # before reading it into memory
                job = jobs.start_plan_import(request.user, f.name, f.read(), request=request)
            except jobs.UploadError as exc:
                form.add_error("file", str(exc))
                status = 400
            else:
                return redirect("plans:job", pk=job.pk)
        else:
            status = 400
    return render(request, "plans/upload.html", {"form": form}, status=status)


@role_required(*DRAFT_ROLES)
def job_status(request, pk: int):
    job = get_object_or_404(Job, pk=pk, kind=Job.PLAN_IMPORT)
    template = "plans/_job.html" if request.htmx else "plans/job.html"
    return render(request, template, {"job": job})


@require_POST
@role_required(*DRAFT_ROLES)
def job_restart(request, pk: int):
    job = get_object_or_404(Job, pk=pk, kind=Job.PLAN_IMPORT)
    try:
        jobs.do_restart_job(job, request.user, request=request)
    except jobs.JobError as exc:
        messages.error(request, str(exc))
    return redirect("plans:job", pk=job.pk)


def _options(pairs, selected):
    return mark_safe("".join(
        f'<option value="{escape(str(value))}"{" selected" if value == selected else ""}>{escape(label)}</option>'
        for value, label in pairs))


def _task_rows(tasks, day=None):
    """Row labels computed once in Python: template loops over assignments dominate a 50-row page otherwise."""
    rows = []
    for t in attach_assignments(list(tasks), day):
        leads = [a["label"] for a in t.assignment_list if a["role"] == "lead"]
        partners = [a["label"] for a in t.assignment_list if a["role"] != "lead"]
        rows.append((t, leads, partners))
    return rows


def _rows_html(rows, task_base: str) -> str:
    """The task table's rows, written in Python: on a 50-row page the template loop was half the page's CPU."""
    out = []
    for t, leads, partners in rows:
        flag = ' <span class="badge text-bg-danger">cần xác định đơn vị</span>' if t.needs_lead else ""
        if t.deadline_date:
            due = f"{t.deadline_date:%d/%m/%Y}"
        elif t.deadline_text:
            due = escape(t.deadline_text)
        else:
            due = '<span class="text-muted">theo hạn báo cáo của Kế hoạch</span>'
        out.append(
            f'<tr><td class="text-nowrap"><a href="{task_base}{t.pk}/">{escape(t.ref)}</a></td>'
            f"<td>{escape(t.text)}{flag}</td>"
            f'<td class="small">{"".join(f"<div>{escape(n)}</div>" for n in leads)}</td>'
            f'<td class="small">{"".join(f"<div>{escape(n)}</div>" for n in partners)}</td>'
            f'<td class="small text-nowrap">{due}</td></tr>')
    return mark_safe("".join(out))


def _parse_date(value: str):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def plan_detail(request, pk: int):
    return _detail_page(request, plan_for_user_or_404(request.user, pk))


def _detail_page(request, plan, amend_form=None, amend_error: str = "", status: int = 200):
    """The plan's page; for the drafting roles on a published plan, with the amendment form (`amend_form` and
    `amend_error` when a posted one is shown again)."""
    sections = list(plan.sections.order_by("order"))
    counts = Counter(plan.tasks.values_list("section_id", flat=True))
    subtrees = section_subtrees(plan)
    for section in sections:  # a part counts the tasks of its shortcomings too, as its link lists them
        section.task_count = sum(counts[pk] for pk in subtrees[section.pk][1])
    flagged = plan.tasks.filter(needs_lead=True).count()
    can_amend = request.user.role in DRAFT_ROLES and plan.status == PlanStatus.PUBLISHED
    children = list(visible_plans(request.user, plan.children.select_related("owner")).order_by("issued_on", "pk"))
    return render(request, "plans/detail.html", {
        "plan": plan, "sections": sections, "task_count": sum(counts.values()), "flagged": flagged, "children": children,
        "can_review": request.user.role in DRAFT_ROLES and plan.status == PlanStatus.DRAFT,
        "can_reimport": request.user.role in DRAFT_ROLES and plan.status == PlanStatus.PUBLISHED,
        "can_follow": request.user.role in OVERSIGHT_ROLES,
        "amendments": amend.amendments(plan) if plan.status != PlanStatus.DRAFT else [],
        "can_amend": can_amend, "amend_error": amend_error,
        "amend_form": (amend_form or PlanAmendForm.for_plan(plan, clock.today())) if can_amend else None,
        "agencies": agencies_on(plan) if can_amend else [],
    }, status=status)


@require_POST
@role_required(*DRAFT_ROLES)
def amend_header(request, pk: int):
    """A published plan's header amended, dated, on its basis (plans/amend.py); a draft is corrected in review."""
    plan = plan_for_user_or_404(request.user, pk)
    if plan.status == PlanStatus.DRAFT:
        messages.error(request, amend.DRAFT_REFUSAL)
        return redirect("plans:review", pk=plan.pk)
    form = PlanAmendForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, plan, form, "Thông tin sửa đổi chưa hợp lệ: " + form.errors_text(), 400)
    data = form.cleaned_data
    agency = Agency.objects.filter(pk=data["coordinating_agency"]).first() if data["coordinating_agency"] else None
    if data["coordinating_agency"] and agency is None:
        return _detail_page(request, plan, form, "Không tìm thấy cơ quan theo dõi, tổng hợp đã chọn.", 400)
    changes = {name: data[name] for name in PlanAmendForm.HEADER} | {"coordinating_agency": agency}
    outcome = attempt_for_page(amend.do_amend_plan_header, plan, changes, amended_on=data["amended_on"],
                               basis=data["basis"], reason=data["reason"], user=request.user, request=request)
    if outcome.error:
        return _detail_page(request, plan, form, outcome.error, outcome.status)
    messages.success(request, f"Đã ghi sửa đổi thông tin kế hoạch ngày {data['amended_on']:%d/%m/%Y}.")
    if agency is not None and plan.coordinating_agency_id not in (None, agency.pk):
        # Tasks with no known lead were given to the coordinator of the day: they stay with it until reassigned.
        left = Assignment.objects.filter(task__plan=plan, agency_id=plan.coordinating_agency_id, provisional=True,
                                         ended_at__isnull=True).count()
        if left:
            messages.warning(request, f"{left} nhiệm vụ cần xác định đơn vị vẫn đang tạm giao "
                                      f"{plan.coordinating_agency}; hãy giao lại ở từng nhiệm vụ nếu cần.")
    return redirect("plans:detail", pk=plan.pk)


@login_required
def task_list(request, pk: int):
    plan = plan_for_user_or_404(request.user, pk)
    g = request.GET
    agency_id = g.get("agency") or ""
    filters = {
        "section": g.get("section", "")[:32], "agency": parse_int(agency_id),
        "lead_kind": g.get("lead_kind", ""), "q": g.get("q", "")[:200], "due_from": _parse_date(g.get("due_from", "")),
        "due_to": _parse_date(g.get("due_to", "")), "needs_lead": g.get("needs_lead") == "1", "sort": g.get("sort", "order"),
        "status": tuple(code for code in g.get("trang_thai", "").split(",") if code in STATUS_CODES),
        "as_of": min(_parse_date(g.get("ngay", "")) or clock.today(), clock.today()),
    }
    if filters["status"]:
        try:
            filters["agency"] = status_agency(request.user, filters["agency"])
        except Forbidden:
            raise PermissionDenied
    only = None
    if filters["status"]:
        # A status on a day, as the dashboard counts it: the task's own (its leads combined), or, with an agency,
        # that agency's lead assignment's.
        only = task_ids(plan.pk, filters["as_of"], filters["status"], agency_id=filters["agency"],
                        due_from=filters["due_from"], due_to=filters["due_to"])
    chosen = {k: v for k, v in filters.items() if k != "status"}
    # The agencies shown and filtered by are those holding the work on the day asked (after a hand-over: the
    # successor today, the old agency on a day before).
    day = filters["as_of"] if filters["as_of"] != clock.today() else None
    chosen["as_of"] = day
    page = Paginator(list_rows(filter_tasks(plan, **chosen, only=only)), PAGE_SIZE).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    rows = _task_rows(page.object_list, day)
    context = {"plan": plan, "page": page, "rows_html": _rows_html(rows, reverse("plans:tasks", args=[plan.pk])),
               "empty": not rows, "filters": filters, "query": query.urlencode(),
               "status_label": ", ".join(Status(code).label for code in filters["status"]),
               "status_options": _options([(",".join(codes), label) for codes, label in STATUS_CHOICES],
                                          ",".join(filters["status"]))}
    if not request.htmx:  # the filter form is not part of the HTMX fragment
        # Options joined in Python: a template loop over every agency was a third of the page's time.
        context["section_options"] = _options(((ref, f"{ref}. {Truncator(title).chars(50)}")
                                               for ref, title in plan.sections.order_by("order").values_list("ref", "title")),
                                              filters["section"])
        context["agency_options"] = _options(Agency.objects.order_by("sort_key").values_list("pk", "name"), filters["agency"])
    return render(request, "plans/_tasks.html" if request.htmx else "plans/tasks.html", context)


@login_required
def task_detail(request, pk: int, task_pk: int):
    plan = plan_for_user_or_404(request.user, pk)
    task = get_object_or_404(with_assignments(visible_tasks(request.user, Task.objects.filter(plan=plan))), pk=task_pk)
    source = ""
    if plan.source_text and task.span_start is not None and task.span_end is not None:
        source = plan.source_text[task.span_start:task.span_end]
    assignments = annotate(with_records(task.assignments.filter(ended_at__isnull=True).select_related("predecessor__agency")
                                        .order_by("role", "agency__sort_key")))
    for a in assignments:
        a.visible = sees_assignment(request.user, a)
    leads = [a.status for a in assignments if a.role == "lead"]
    can_amend = request.user.role in ("admin", "coordinator") and plan.status == "published"
    # Who had a part and no longer has (a lead replaced, an agency that handed its work over): said, not hidden.
    ended = list(task.assignments.filter(ended_at__isnull=False).select_related("agency")
                 .order_by("ended_at", "agency__sort_key"))
    if ended:
        from dondoc.tracking.models import HandOverItem

        given: dict[int, list[str]] = {}
        for old_id, name in (HandOverItem.objects.filter(old__in=ended, handover__state="applied")
                             .order_by("successor__sort_key").values_list("old_id", "successor__name")):
            given.setdefault(old_id, []).append(name)
        for a in ended:  # an end is the first moment without it (plans.models.held_on): the day before is the last
            a.last_day = a.ended_at.astimezone(clock.LOCAL_TZ).date() - dt.timedelta(days=1)
            a.handed_to = given.get(a.pk, [])
    return render(request, "plans/task.html", {"plan": plan, "task": task, "source": source, "assignments": assignments,
                                               "ended": ended,
                                               "status": combine(leads) if leads and plan.status != "draft" else None,
                                               "lead_progress": lead_progress(leads),
                                               "can_amend": can_amend,
                                               "agency_options": Agency.objects.order_by("sort_key").values_list("pk", "name")
                                               if can_amend else []})


@login_required
def export_xlsx(request, pk: int):
    from .excel import export_tasks_xlsx

    plan = plan_for_user_or_404(request.user, pk)
    name = f"danh-muc-nhiem-vu-{(plan.number or str(plan.pk)).replace('/', '-')}.xlsx"
    return attachment(request, plan, export_tasks_xlsx(plan), name, XLSX, "tasks.xlsx")


@role_required(*DRAFT_ROLES)
def import_xlsx(request):
    """Excel task list -> preview with row-level errors and what it changes -> import as a draft (nothing saved until
    confirmed and clean)."""
    return _import_xlsx(request, None)


@role_required(*DRAFT_ROLES)
def reimport_xlsx(request, pk: int):
    """The task list of a published plan, edited in Excel and sent back: a revision of that plan, refused for a
    sheet of another plan."""
    plan = plan_for_user_or_404(request.user, pk)
    if plan.status != PlanStatus.PUBLISHED:
        raise Http404
    return _import_xlsx(request, plan)


def _import_xlsx(request, plan):
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from .sheets import preview_task_sheet

    context, status = {"plan": plan}, 200
    if request.method == "POST":
        token = request.POST.get("token", "")
        if "file" in request.FILES:
            f = request.FILES["file"]
            if not f.name.lower().endswith(".xlsx") or f.size > 20 * 1024 * 1024:
                context["error"] = "Chỉ nhận bảng tính Excel .xlsx, tối đa 20 MB."
                status = 400
            else:
                token = uuid.uuid4().hex
                default_storage.save(f"imports/{token}.xlsx", ContentFile(f.read()))
        path = f"imports/{token}.xlsx" if token.isalnum() and len(token) == 32 else None
        if path and default_storage.exists(path):
            with default_storage.open(path, "rb") as fh:
                data = fh.read()
            if request.POST.get("confirm"):
                draft, _ = actions.do_import_task_sheet(data, skip_errors=bool(request.POST.get("skip_errors")),
                                                        filename="danh-muc.xlsx", plan=plan, user=request.user,
                                                        request=request)
                if draft is not None:
                    default_storage.delete(path)
                    messages.success(request, f"Đã nhập {draft.tasks.count()} nhiệm vụ thành bản nháp"
                                              + (f" sửa đổi {plan}." if plan is not None else "."))
                    return redirect("plans:review", pk=draft.pk)
            sheet = preview_task_sheet(data, plan=plan)
            result = sheet.result
            context.update(result=result, sheet=sheet, diff=sheet.diff, token=token,
                           refused=sheet.structure is None, tasks=[r for r in result.rows if r.kind == "task"])
            status = 200 if not result.errors else 422
        elif "error" not in context:
            context["error"] = "Hãy chọn tệp Excel."
            status = 400
    return render(request, "plans/import_xlsx.html", context, status=status)


@login_required
def plan_links(request, pk: int):
    """An implementation plan's links to the plan above (issue 19): each task with the parent assignment it carries
    out, proposed with a score or chosen by a person; its agency and the coordinator change any of them."""
    from . import cascade

    plan = plan_for_user_or_404(request.user, pk)
    if plan.parent_id is None:
        raise Http404
    may_edit = True
    try:
        cascade.require_manager(request.user, plan.owner)
    except Forbidden:
        may_edit = False
    choices = {a.pk: a for a in cascade.candidates(plan).order_by("task__order", "role")}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        task = get_object_or_404(plan.tasks, pk=parse_int(request.POST.get("task", "")) or 0)
        raw = request.POST.get("implements", "")
        target = None
        if raw:
            target = Assignment.objects.select_related("task").filter(pk=parse_int(raw) or 0).first()
            if target is None:
                messages.error(request, "Nhiệm vụ cấp trên đã chọn không còn.")
                return redirect("plans:links", pk=plan.pk)
        outcome = attempt_for_page(cascade.do_link, task, target, user=request.user, request=request)
        if outcome.error:
            messages.error(request, outcome.error)
        else:
            messages.success(request, f"Đã lưu liên kết của nhiệm vụ {task.ref}.")
        return redirect(reverse("plans:links", args=[plan.pk]) + f"#link-{task.pk}")
    tasks = list(plan.tasks.filter(cancelled_at__isnull=True).select_related("implements__task").order_by("order"))
    proposals = cascade.propose(plan) if may_edit else {}
    for t in tasks:
        found = proposals.get(t.pk)
        t.runner_up = choices.get(found.runner_up) if found and found.runner_up != t.implements_id else None
    return render(request, "plans/links.html", {
        "plan": plan, "tasks": tasks, "choices": list(choices.values()), "may_edit": may_edit,
        "linked": sum(1 for t in tasks if t.implements_id)})
