import datetime as dt
import re

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
from dondoc.tracking.status import Status, combine

from . import actions, confidence, jobs
from .changes import revision_diff
from .forms import PlanHeaderForm, TaskEditForm, UploadForm
from .models import Job, PlanStatus, Task
from .access import DRAFT_ROLES, Forbidden, plan_for_user_or_404, status_agency, visible_tasks
from .queries import attach_assignments, filter_tasks, list_rows, plans_with_counts, with_assignments
from .resolve import Resolver

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


def _task_rows(tasks):
    """Row labels computed once in Python: template loops over assignments dominate a 50-row page otherwise."""
    rows = []
    for t in attach_assignments(list(tasks)):
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
    plan = plan_for_user_or_404(request.user, pk)
    sections = list(plan.sections.order_by("order"))
    counts = {}
    for task in plan.tasks.only("section_id", "needs_lead"):
        counts[task.section_id] = counts.get(task.section_id, 0) + 1
    for section in sections:
        section.task_count = counts.get(section.pk, 0)
    flagged = plan.tasks.filter(needs_lead=True).count()
    return render(request, "plans/detail.html", {
        "plan": plan, "sections": sections, "task_count": sum(counts.values()), "flagged": flagged,
        "can_review": request.user.role in DRAFT_ROLES and plan.status == PlanStatus.DRAFT,
        "can_reimport": request.user.role in DRAFT_ROLES and plan.status == PlanStatus.PUBLISHED,
        "can_follow": request.user.role in OVERSIGHT_ROLES,
    })


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
        only = task_ids(plan.pk, filters["as_of"], filters["status"], agency_id=filters["agency"])
    chosen = {k: v for k, v in filters.items() if k not in ("status", "as_of")}
    page = Paginator(list_rows(filter_tasks(plan, **chosen, only=only)), PAGE_SIZE).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    rows = _task_rows(page.object_list)
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
    assignments = annotate(with_records(task.assignments.filter(ended_at__isnull=True).order_by("role", "agency__sort_key")))
    for a in assignments:
        a.visible = sees_assignment(request.user, a)
    leads = [a.status for a in assignments if a.role == "lead"]
    can_amend = request.user.role in ("admin", "coordinator") and plan.status == "published"
    return render(request, "plans/task.html", {"plan": plan, "task": task, "source": source, "assignments": assignments,
                                               "status": combine(leads) if leads and plan.status != "draft" else None,
                                               "can_amend": can_amend,
                                               "agency_options": Agency.objects.order_by("sort_key").values_list("pk", "name")
                                               if can_amend else []})


def _agencies_on(plan) -> list:
    """The agencies a name can be given to: those in existence on the plan's date, in Vietnamese order."""
    on = plan.issued_on or clock.today()
    return [a for a in Agency.objects.order_by("sort_key") if a.is_active_on(on)]


def _draft_or_404(user, pk):
    plan = plan_for_user_or_404(user, pk)
    if plan.status != PlanStatus.DRAFT:
        raise Http404
    return plan


def _annotate_names(tasks, resolver):
    for task in tasks:
        task.lead_resolutions = [resolver(n) for n in task.lead_names]
        task.coordinating_resolutions = [resolver(n) for n in task.coordinating_names]


# The review screen's two orders (?sap-xep=): the least certain first, or as printed.
BY_CONFIDENCE, BY_DOCUMENT = "tin-cay", "van-ban"


def _review_order(request, has_confidence: bool) -> str:
    """The order asked for; by default the least certain first, unless no task has a parser confidence (Excel)."""
    order = request.GET.get("sap-xep", "")
    if order in (BY_CONFIDENCE, BY_DOCUMENT):
        return order
    return BY_CONFIDENCE if has_confidence else BY_DOCUMENT


@role_required(*DRAFT_ROLES)
def review(request, pk: int):
    plan = _draft_or_404(request.user, pk)
    tasks = list(plan.tasks.select_related("section").order_by("order"))
    _annotate_names(tasks, Resolver(plan.issued_on))
    unknown = actions.unresolved(plan)  # with the successors of a dissolved agency
    has_confidence = any(t.parse_confidence is not None for t in tasks)
    order = _review_order(request, has_confidence)
    return render(request, "plans/review.html", {
        "plan": plan, "tasks": tasks, "unknown": unknown, "previous": plan.revision_of,
        "agencies": _agencies_on(plan),
        "segments": _segments(plan, tasks), "diff": revision_diff(plan),
        "order": order, "by_confidence": BY_CONFIDENCE, "by_document": BY_DOCUMENT,
        "bands": confidence.working_order(tasks) if order == BY_CONFIDENCE else None,
        "flagged_count": sum(1 for t in tasks if confidence.is_flagged(t.parse_confidence)),
        "has_confidence": has_confidence, "legend": confidence.LEGEND,
    })


# A plain-text plan's tables are drawn with "|" and runs of "-", "=", "+" or "_": shown as spaces, never as debris.
# Same length, so the task spans (offsets into the stored text) still fall on their sentences.
_TABLE_RULES = re.compile(r"\||[-=+_]{4,}")


def _segments(plan, tasks):
    """The normalised text cut at task spans, so each task's sentence can be highlighted beside it."""
    text = _TABLE_RULES.sub(lambda m: " " * len(m.group(0)), plan.source_text or "")
    parts, pos = [], 0
    for task in sorted((t for t in tasks if t.span_start is not None and t.span_end), key=lambda t: t.span_start):
        if task.span_start < pos or task.span_end > len(text):
            continue  # overlapping or stale spans are shown as plain text
        parts.append((None, text[pos:task.span_start]))
        parts.append((task.pk, text[task.span_start:task.span_end]))
        pos = task.span_end
    parts.append((None, text[pos:]))
    return parts


@role_required(*DRAFT_ROLES)
def review_task(request, pk: int, task_pk: int):
    """GET: the task's edit form (HTMX); POST: save it, or answer 409 with the latest version."""
    plan = _draft_or_404(request.user, pk)
    task = get_object_or_404(Task, plan=plan, pk=task_pk)
    status = 200
    if request.method == "POST":
        form = TaskEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            changes = {"text": data["text"], "lead_names": form.lines(data["lead_names"]),
                       "coordinating_names": form.lines(data["coordinating_names"]), "deadline_date": data["deadline_date"],
                       "deadline_text": data["deadline_text"], "recurrence": data["recurrence"] or "",
                       "expected_output": data["expected_output"], "targets": form.parse_targets(data["targets"])}
            try:
                task = actions.do_edit_draft_task(task, version=data["version"], changes=changes, user=request.user,
                                                  request=request)
            except actions.ConflictError as exc:
                task.refresh_from_db()
                form = _task_form(task)
                form.conflict = str(exc)
                status = 409
            else:
                _annotate_names([task], Resolver(plan.issued_on))
                return render(request, "plans/_review_task.html", {"plan": plan, "task": task, "saved": True})
        else:
            status = 400
    else:
        form = _task_form(task)
    sections = plan.sections.order_by("order")
    return render(request, "plans/_task_form.html", {"plan": plan, "task": task, "form": form, "sections": sections},
                  status=status)


def _task_form(task):
    return TaskEditForm(initial={
        "version": task.version, "text": task.text, "lead_names": "\n".join(task.lead_names),
        "coordinating_names": "\n".join(task.coordinating_names), "deadline_date": task.deadline_date,
        "deadline_text": task.deadline_text, "recurrence": task.recurrence, "expected_output": task.expected_output,
        "targets": "\n".join(t.get("text", "") for t in task.targets)})


@require_POST
@role_required(*DRAFT_ROLES)
def edit_header(request, pk: int):
    plan = _draft_or_404(request.user, pk)
    form = PlanHeaderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Thông tin kế hoạch chưa hợp lệ: " + "; ".join(
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
        return redirect("plans:review", pk=plan.pk)
    changes = dict(form.cleaned_data)
    agency_id = changes.pop("coordinating_agency")
    changes["coordinating_agency"] = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    outcome = attempt_for_page(actions.do_edit_draft_header, plan, changes, user=request.user, request=request)
    if outcome.error:
        messages.error(request, outcome.error)
    else:
        messages.success(request, "Đã lưu thông tin kế hoạch.")
    return redirect("plans:review", pk=plan.pk)


@require_POST
@role_required(*DRAFT_ROLES)
def discard(request, pk: int):
    plan = _draft_or_404(request.user, pk)
    outcome = attempt_for_page(actions.do_discard_draft, plan, user=request.user, request=request)
    if outcome.error:
        messages.error(request, outcome.error)
        return redirect("plans:review", pk=plan.pk)
    messages.success(request, "Đã bỏ bản nháp.")
    return redirect("plans:list")


@require_POST
@role_required(*DRAFT_ROLES)
def map_name(request, pk: int):
    """One unmatched name -> one agency, on every task of the draft (the panel above the review)."""
    plan = _draft_or_404(request.user, pk)
    agency = Agency.objects.filter(pk=parse_int(request.POST.get("agency")) or 0).first()
    if agency is None:
        messages.error(request, "Hãy chọn một cơ quan.")
        return redirect("plans:review", pk=plan.pk)
    outcome = attempt_for_page(actions.do_map_name, plan, request.POST.get("name", "")[:255], agency,
                               remember=request.POST.get("nho") == "1", user=request.user, request=request)
    if outcome.error:
        messages.error(request, outcome.error)
    else:
        messages.success(request, f"Đã giao {outcome.value} nhiệm vụ mang tên “{request.POST.get('name', '')[:255]}” "
                                  f"cho {agency.name}.")
    return redirect("plans:review", pk=plan.pk)


@require_POST
@role_required(*DRAFT_ROLES)
def publish(request, pk: int):
    plan = _draft_or_404(request.user, pk)
    try:
        actions.do_publish_plan(plan, user=request.user, request=request)
    except actions.PlanError as exc:
        messages.error(request, f"{exc} {'; '.join(exc.details)}")
        return redirect("plans:review", pk=plan.pk)
    messages.success(request, "Đã ban hành giao việc: các cơ quan đã nhận nhiệm vụ.")
    return redirect("plans:detail", pk=plan.pk)


@require_POST
@role_required(*DRAFT_ROLES)
def delete_task(request, pk: int, task_pk: int):
    plan = _draft_or_404(request.user, pk)
    task = get_object_or_404(Task, plan=plan, pk=task_pk)
    actions.do_delete_draft_task(task, user=request.user, request=request)
    if request.htmx:
        return render(request, "plans/_deleted.html", {"task": task})
    return redirect("plans:review", pk=plan.pk)


def _back_to_review(request, plan, task_pk=None):
    from urllib.parse import parse_qs, urlsplit

    from django_htmx.http import HttpResponseClientRedirect

    # Back to the order the reviewer was working in (the page HTMX posted from).
    current = request.htmx.current_url_abs_path if request.htmx else None
    order = parse_qs(urlsplit(current or "").query).get("sap-xep", [""])[0]
    query = f"?sap-xep={order}" if order in (BY_CONFIDENCE, BY_DOCUMENT) else ""
    url = reverse("plans:review", args=[plan.pk]) + query + (f"#task-{task_pk}" if task_pk else "")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _version(request):
    return parse_int(request.POST.get("version"))


def _structural_edit(request, pk, task_pk, action):
    plan = _draft_or_404(request.user, pk)
    task = get_object_or_404(Task, plan=plan, pk=task_pk)
    try:
        result = action(plan, task)
    except actions.PlanError as exc:
        messages.error(request, str(exc))
        return _back_to_review(request, plan, task.pk)
    return _back_to_review(request, plan, getattr(result, "pk", task.pk))


@require_POST
@role_required(*DRAFT_ROLES)
def split_task(request, pk: int, task_pk: int):
    """The reviewer leaves a blank line where the text should be cut."""
    parts = request.POST.get("text", "").replace("\r\n", "\n").split("\n\n")
    return _structural_edit(request, pk, task_pk, lambda plan, task: actions.do_split_task(
        task, parts, version=_version(request), user=request.user, request=request)[0])


@require_POST
@role_required(*DRAFT_ROLES)
def merge_task(request, pk: int, task_pk: int):
    return _structural_edit(request, pk, task_pk, lambda plan, task: actions.do_merge_with_next(
        task, version=_version(request), user=request.user, request=request))


@require_POST
@role_required(*DRAFT_ROLES)
def add_task(request, pk: int, task_pk: int):
    return _structural_edit(request, pk, task_pk, lambda plan, task: actions.do_add_task(
        plan, text=request.POST.get("new_text") or "Nhiệm vụ mới (sửa nội dung)", lead_names=task.lead_names, after=task,
        user=request.user, request=request))


@require_POST
@role_required(*DRAFT_ROLES)
def move_task(request, pk: int, task_pk: int):
    def move(plan, task):
        section = plan.sections.filter(pk=parse_int(request.POST.get("section")) or 0).first()
        if section is None:
            raise actions.PlanError("Hãy chọn mục để chuyển nhiệm vụ đến.")
        return actions.do_move_task(task, section, version=_version(request), user=request.user, request=request)

    return _structural_edit(request, pk, task_pk, move)




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
