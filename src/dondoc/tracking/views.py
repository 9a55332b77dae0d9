import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.audit import downloaded
from dondoc.core import clock
from dondoc.core.text import shorten
from dondoc.core.params import parse_int
from dondoc.core.permissions import attempt_for_page, login_required, role_required
from dondoc.plans.models import Assignment, Task

from . import access, actions, handover
from .forms import ClaimForm, DirectionForm, ExtensionForm, ReturnForm, UpdateForm
from .models import Claim, DecisionState, Extension, Update
from .status import Status, combine
from .state import annotate, with_records


def _guard(http_request, fn, /, *args, **kwargs):
    """Run an action; turn its refusals into a message (403 for a role that may not act)."""
    outcome = attempt_for_page(fn, *args, **kwargs)
    if outcome.error:
        messages.error(http_request, outcome.error)
    return outcome.value


SHOWN_PER_GROUP = 50


def _work_rows(items) -> str:
    """Rows written in Python: an agency can hold thousands of assignments (see work.py)."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    # reverse() once, not per row: "/giao-viec/0/" -> "/giao-viec/" + pk + "/".
    prefix = reverse("tracking:assignment", args=[0]).removesuffix("0/")
    out = []
    for i in items:
        text = shorten(i.text, 200)
        if i.effective_due:
            due = f"{i.effective_due:%d/%m/%Y}"
            if i.due.basis == "plan_report":
                due += '<div class="text-muted">theo hạn báo cáo của Kế hoạch</div>'
        else:
            due = escape(i.due.label)
        # Days late: under the badge in the table, beside it on a phone's card (.table-stack in dondoc.css).
        late = f' <div class="text-danger d-inline-block d-md-block">{i.days_late} ngày</div>' if i.days_late else ""
        # Marked in every group it appears in, not only under "Cần xử lý".
        if i.returned:
            late += '<div><span class="badge text-bg-warning">Bị trả lại</span></div>'
        if i.directed:
            late += '<div><span class="badge text-bg-info">Có ý kiến chỉ đạo mới</span></div>'
        source = f" · tiếp nhận từ {escape(i.received_from)}" if i.received_from else ""
        out.append(
            f'<tr><td class="stack-full"><a href="{prefix}{i.pk}/"><code>{escape(i.ref)}</code></a> {escape(text)}'
            f'<div class="small text-muted">{escape(i.plan_label)}{source}</div></td>'
            f'<td class="small text-nowrap">{"Chủ trì" if i.role == "lead" else "Phối hợp"}</td>'
            f'<td class="small text-nowrap" data-label="Thời hạn">{due}</td>'
            f'<td class="small"><span class="badge status-{i.status.value}">{escape(i.status.label)}</span>{late}</td></tr>')
    return mark_safe("".join(out))


@role_required(*AGENCY_ROLES)
def my_work(request):
    from django.core.paginator import Paginator

    from .work import GROUPS, WorkList

    from . import spans

    only = request.GET.get("nhom")
    if only not in {key for key, _, _ in GROUPS}:
        only = None
    day = clock.today()
    if only:
        work = WorkList(request.user.agency_id, day)
        counts = work.counts()
        page = Paginator(work.rows(only), SHOWN_PER_GROUP).get_page(request.GET.get("page"))
        first = {only: _work_rows(work.items(page.object_list))}
    else:
        page = None

        def compute():
            counts, items = WorkList(request.user.agency_id, day).first_of_each_group(SHOWN_PER_GROUP)
            return counts, {key: (len(shown), str(_work_rows(shown))) for key, shown in items.items()}

        # The same for everyone of the agency until a status, a task or a direction changes (the version).
        counts, rendered = spans.memoised("work", request.user.agency_id, day, compute=compute)
        first = {key: mark_safe(html) for key, (_, html) in rendered.items()}
        shown_counts = {key: n for key, (n, _) in rendered.items()}
    sections = []
    for key, title, css in GROUPS:
        if only and key != only:
            continue
        sections.append({"key": key, "title": title, "css": css, "count": counts[key], "rows": first[key],
                         "more": 0 if only else counts[key] - shown_counts[key], "page": page})
    return render(request, "tracking/my_work.html", {
        "sections": sections, "only": only, "today": day, "counts": counts,
        "query": f"nhom={only}" if only else ""})


def _assignment(request, pk):
    qs = with_records(Assignment.objects.all())
    assignment = access.assignment_or_404(request.user, pk, qs)
    return annotate([assignment])[0]


@login_required
def assignment_detail(request, pk: int):
    a = _assignment(request, pk)
    user = request.user
    is_member = user.role in AGENCY_ROLES and user.agency_id == a.agency_id
    updates = a.updates.select_related("author").prefetch_related("evidence")
    directions = list(access.directions_for(user, a).select_related("author", "agency").prefetch_related("acks"))
    for d in directions:
        d.acknowledged = any(ack.agency_id == a.agency_id for ack in d.acks.all())
    pending_claim = next((c for c in a.claims.all() if c.state == DecisionState.PENDING), None)
    pending_ext = next((e for e in a.extensions.all() if e.state == DecisionState.PENDING), None)
    rollup = _rollup(a)
    claim_form = ClaimForm(initial={"completed_on": clock.today(),
                                    "output": rollup["output"] if rollup and rollup["all_done"] else ""})
    context = {
        "a": a, "task": a.task, "updates": updates, "directions": directions, "pending_claim": pending_claim,
        "rollup": rollup,
        "pending_ext": pending_ext, "is_member": is_member, "is_lead_member": is_member and a.role == "lead",
        "is_coordinator": user.role in access.COORDINATORS, "can_decide_ext": user.role in access.DECIDE_EXTENSIONS,
        "can_direct": user.role in access.DIRECT, "is_head": user.role == Role.HEAD and is_member,
        "update_form": UpdateForm(), "claim_form": claim_form,
        "return_form": ReturnForm(), "ext_form": ExtensionForm(), "direction_form": DirectionForm(),
        "colleagues": a.agency.people.filter(is_active=True).order_by("username") if user.role == Role.HEAD else [],
        "history": access.visible_history(user, a.task, agency_id=a.agency_id) or [],
        "chain": handover.chain(a),
        # Work left with an agency that has ended (a claim returned after the hand-over, a row kept): to hand over.
        "to_hand_over": (user.role in access.COORDINATORS and a.ended_at is None and a.agency.valid_to is not None
                         and a.agency.valid_to < clock.today()
                         and a.status in (Status.OPEN_IN_TIME, Status.OVERDUE, Status.ONGOING)),
    }
    return render(request, "tracking/assignment.html", context)


def _rollup(a: Assignment) -> dict | None:
    """The tasks of the agency's implementation plan that carry this assignment out (issue 19), with their statuses;
    when all are done the agency is offered to report this one done, the children's outputs written in, never done
    for it. None when no published plan of the agency has a task linked here."""
    children = list(a.implemented_by.filter(plan__status="published", cancelled_at__isnull=True)
                    .select_related("plan").order_by("plan_id", "order"))
    if not children:
        return None
    leads = annotate(with_records(Assignment.objects.filter(task__in=children, role="lead", ended_at__isnull=True)))
    by_task: dict[int, list] = {}
    for lead in leads:
        by_task.setdefault(lead.task_id, []).append(lead)
    outputs = []
    for t in children:
        mine = by_task.get(t.pk, [])
        t.status = combine([x.status for x in mine]) if mine else None
        t.done = t.status in (Status.DONE_ON_TIME, Status.DONE_LATE)
        for x in mine:
            claim = next((c for c in reversed(list(x.claims.all())) if c.state == DecisionState.CONFIRMED), None)
            if claim and claim.output:
                outputs.append(f"{t.ref}: {claim.output}")
    return {"tasks": children, "done": sum(1 for t in children if t.done), "all_done": all(t.done for t in children),
            "output": "; ".join(outputs)[:500]}


@require_POST
@login_required
def post_update(request, pk: int):
    a = _assignment(request, pk)
    form = UpdateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("tracking:assignment", pk=a.pk)
    from .files import FileRefused

    try:
        done = _guard(request, actions.do_post_update, a, request.user, text=form.cleaned_data["text"],
                      percent=form.cleaned_data["percent"], difficulties=form.cleaned_data["difficulties"],
                      proposals=form.cleaned_data["proposals"], files=request.FILES.getlist("files"), request=request)
    except FileRefused as exc:
        messages.error(request, str(exc))
        done = None
    if done:
        messages.success(request, "Đã gửi báo cáo tiến độ.")
    return redirect("tracking:assignment", pk=a.pk)


@require_POST
@login_required
def claim(request, pk: int):
    a = _assignment(request, pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày hoàn thành không hợp lệ.")
    elif _guard(request, actions.do_claim, a, request.user, completed_on=form.cleaned_data["completed_on"],
                output=form.cleaned_data["output"], request=request):
        messages.success(request, "Đã báo cáo hoàn thành; chờ cơ quan tổng hợp xác nhận.")
    return redirect("tracking:assignment", pk=a.pk)


def _claim(request, pk):
    claim = get_object_or_404(Claim.objects.select_related("assignment"), pk=pk)
    access.assignment_or_404(request.user, claim.assignment_id)
    return claim


@require_POST
@login_required
def confirm(request, pk: int):
    c = _claim(request, pk)
    if _guard(request, actions.do_confirm, c, request.user, request=request):
        messages.success(request, "Đã xác nhận hoàn thành.")
    return redirect("tracking:assignment", pk=c.assignment_id)


@require_POST
@login_required
def return_claim(request, pk: int):
    c = _claim(request, pk)
    if _guard(request, actions.do_return, c, request.user, reason=request.POST.get("reason", ""), request=request):
        messages.success(request, "Đã trả lại báo cáo hoàn thành.")
    return redirect("tracking:assignment", pk=c.assignment_id)


@require_POST
@login_required
def request_extension(request, pk: int):
    a = _assignment(request, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy nhập thời hạn đề nghị và lý do.")
    elif _guard(request, actions.do_request_extension, a, request.user, new_deadline=form.cleaned_data["new_deadline"],
                reason=form.cleaned_data["reason"], request=request):
        messages.success(request, "Đã gửi đề nghị gia hạn.")
    return redirect("tracking:assignment", pk=a.pk)


@require_POST
@login_required
def decide_extension(request, pk: int):
    ext = get_object_or_404(Extension, pk=pk)
    access.assignment_or_404(request.user, ext.assignment_id)
    approve = request.POST.get("approve") == "1"
    if _guard(request, actions.do_decide_extension, ext, request.user, approve=approve,
              note=request.POST.get("note", ""), request=request):
        messages.success(request, "Đã quyết định gia hạn.")
    return redirect("tracking:assignment", pk=ext.assignment_id)


@require_POST
@login_required
def give_direction(request, pk: int):
    a = _assignment(request, pk)
    target = a.agency if request.POST.get("scope") == "agency" else None
    if _guard(request, actions.do_give_direction, a.task, request.user, text=request.POST.get("text", ""), agency=target,
              request=request):
        messages.success(request, "Đã gửi ý kiến chỉ đạo.")
    return redirect("tracking:assignment", pk=a.pk)


@require_POST
@login_required
def acknowledge(request, pk: int):
    d = get_object_or_404(access.visible_directions(request.user).select_related("task"), pk=pk)
    a = d.task.assignments.filter(agency_id=request.user.agency_id).first()
    if a is None:  # an oversight role: it sees the direction but acknowledges nothing
        raise PermissionDenied
    _guard(request, actions.do_acknowledge, d, request.user, request=request)
    return redirect("tracking:assignment", pk=a.pk)


@require_POST
@login_required
def withdraw_update(request, pk: int):
    u = get_object_or_404(Update.objects.select_related("assignment"), pk=pk)
    access.assignment_or_404(request.user, u.assignment_id)
    if _guard(request, actions.do_withdraw_update, u, request.user, reason=request.POST.get("reason", ""), request=request):
        messages.success(request, "Đã rút báo cáo (vẫn được lưu trong lịch sử).")
    return redirect("tracking:assignment", pk=u.assignment_id)


@require_POST
@login_required
def assign_person(request, pk: int):
    a = _assignment(request, pk)
    person = a.agency.people.filter(pk=parse_int(request.POST.get("person")) or 0).first()
    if _guard(request, actions.do_assign_person, a, request.user, person, request=request):
        messages.success(request, "Đã phân công người phụ trách.")
    return redirect("tracking:assignment", pk=a.pk)


@role_required(*access.DECIDE_EXTENSIONS)
def pending(request):
    """Every completion claim (or extension request) waiting for a decision: the home page's card, in full."""
    from django.core.paginator import Paginator

    from .models import Claim, Extension
    from .waiting import PENDING_LABELS
    from .waiting import pending as pending_of

    kind = request.GET.get("loai", "hoan-thanh")
    if kind not in PENDING_LABELS or (kind == "hoan-thanh" and request.user.role not in access.COORDINATORS):
        raise Http404
    rows = pending_of(Claim if kind == "hoan-thanh" else Extension, request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "tracking/pending.html", {"kind": kind, "title": PENDING_LABELS[kind], "page": page,
                                                     "query": f"loai={kind}"})


@login_required
def notifications(request):
    mine = access.visible_notifications(request.user)
    items = list(mine[:100])
    mine.filter(read_at__isnull=True).update(read_at=clock.now())
    return render(request, "tracking/notifications.html", {"items": items})


@login_required
def evidence_file(request, pk: int):
    from django.http import FileResponse

    ev = get_object_or_404(access.visible_evidence(request.user), pk=pk)
    if not ev.file.storage.exists(ev.file.name):  # e.g. a database restored without its files (dondoc restore has both)
        return render(request, "errors/404.html", {"message": "Tệp minh chứng không còn trên máy chủ."}, status=404)
    downloaded(request, ev, "evidence", ev.name)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.name)


def _task_for_amendment(request, task_pk):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=task_pk, plan__status="published")
    return task


def _back_to_task(task):
    return redirect("plans:task", pk=task.plan_id, task_pk=task.pk)


@require_POST
@login_required
def amend_task(request, task_pk: int):
    task = _task_for_amendment(request, task_pk)
    date_text = request.POST.get("deadline_date", "")
    try:
        deadline = dt.date.fromisoformat(date_text) if date_text else None
    except ValueError:
        messages.error(request, "Thời hạn không hợp lệ.")
        return _back_to_task(task)
    version = parse_int(request.POST.get("version"))
    if _guard(request, actions.do_amend_task, task, request.user, version=-1 if version is None else version,
              text=request.POST.get("text"), deadline_date=deadline, deadline_text=request.POST.get("deadline_text"),
              request=request):
        messages.success(request, "Đã điều chỉnh nhiệm vụ.")
    return _back_to_task(task)


@require_POST
@login_required
def cancel_task(request, task_pk: int):
    task = _task_for_amendment(request, task_pk)
    if _guard(request, actions.do_cancel_task, task, request.user, reason=request.POST.get("reason", ""), request=request):
        messages.success(request, "Đã hủy nhiệm vụ; nhiệm vụ không còn được tính trong số liệu.")
    return _back_to_task(task)


@require_POST
@login_required
def set_agency(request, task_pk: int):
    from dondoc.orgs.models import Agency

    task = _task_for_amendment(request, task_pk)
    agency = Agency.objects.filter(pk=parse_int(request.POST.get("agency")) or 0).first()
    role = request.POST.get("role")
    if agency is None or role not in ("lead", "coordinating"):
        if request.user.role not in access.COORDINATORS:
            raise PermissionDenied
        messages.error(request, "Hãy chọn cơ quan và vai trò.")
        return _back_to_task(task)
    _guard(request, actions.do_set_agency, task, request.user, agency=agency, role=role,
           add=request.POST.get("add") == "1", request=request)
    return _back_to_task(task)
