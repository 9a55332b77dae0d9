"""The review screen of a draft: the tasks beside the source text, the names panel, the outline, and every
correction a reviewer makes before publication (each a small view over one action of plans/actions or plans/draft)."""

import re
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from dondoc.core.params import parse_int
from dondoc.core.permissions import attempt_for_page, role_required
from dondoc.orgs.lookup import lookup
from dondoc.orgs.models import Agency, AgencyKind

from . import actions, confidence, draft, naming, review_cards
from .access import DRAFT_ROLES, plan_for_user_or_404
from .changes import revision_diff
from .forms import PlanHeaderForm, TaskEditForm
from .models import PlanStatus, Section, Task
from .queries import agencies_on
from .resolve import Resolver


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


def _outline(sections, tasks):
    """The document order: the tasks as printed, under the heading of their section each time it changes, and the
    sections without tasks of their own (a part, a new section to fill) where the outline puts them; rows are
    (section, depth, tasks, first) — a section met again later is a continuation, without its tools."""
    depth, index = {}, {}
    for i, s in enumerate(sections):
        depth[s.pk] = depth.get(s.parent_id, -1) + 1 if s.parent_id else 0
        index[s.pk] = i
    runs = []
    for t in tasks:
        if runs and runs[-1][0] == t.section_id:
            runs[-1][1].append(t)
        else:
            runs.append((t.section_id, [t]))
    by_pk = {s.pk: s for s in sections}
    rows, seen = [], set()
    for section_id, run in runs:
        rows.append([by_pk.get(section_id), depth.get(section_id, 0), run, section_id not in seen])
        seen.add(section_id)
    for s in sections:  # the empty ones, after the last row the outline puts before them
        if s.pk in seen:
            continue
        at = 0
        for k, row in enumerate(rows):
            if row[0] is not None and index[row[0].pk] < index[s.pk]:
                at = k + 1
        rows.insert(at, [s, depth[s.pk], [], True])
        seen.add(s.pk)
    return rows


@role_required(*DRAFT_ROLES)
def review(request, pk: int):
    plan = _draft_or_404(request.user, pk)
    tasks = list(plan.tasks.select_related("section").order_by("order"))
    resolver = Resolver(plan.issued_on)
    _annotate_names(tasks, resolver)
    sections = draft.outline(plan)
    unknown = actions.unresolved(plan, tasks, resolver)  # with the successors of a dissolved agency
    unknown_rows = [(r, *naming.proposal(r.name)) for r in unknown]  # and what "Tạo cơ quan mới" proposes
    has_confidence = any(t.parse_confidence is not None for t in tasks)
    order = _review_order(request, has_confidence)
    urls = review_cards.Urls(plan)
    agencies = agencies_on(plan)
    bands = confidence.working_order(tasks) if order == BY_CONFIDENCE else None
    for band in bands or []:
        for block in band.blocks:
            for task in block.tasks:
                task.card = review_cards.card(task, urls, basis_above=bool(block.basis))
    if bands is None:
        for task in tasks:
            task.card = review_cards.card(task, urls)
    return render(request, "plans/review.html", {
        "plan": plan, "tasks": tasks, "unknown": unknown, "unknown_rows": unknown_rows, "agency_kinds": AgencyKind.choices,
        "previous": plan.revision_of,
        "agencies": agencies, "coordinator_options": _coordinator_options(plan, agencies), "sections": sections, "undo": draft.last_step(plan),
        "reviewed_count": sum(1 for t in tasks if t.reviewed_at),
        "source_html": _source_html(plan, tasks), "diff": revision_diff(plan),
        "order": order, "by_confidence": BY_CONFIDENCE, "by_document": BY_DOCUMENT,
        "bands": bands,
        "outline": _outline(sections, tasks) if order == BY_DOCUMENT else None,
        "flagged_count": sum(1 for t in tasks if confidence.is_flagged(t.parse_confidence)),
        "has_confidence": has_confidence, "legend": confidence.LEGEND,
    })


# A plain-text plan's tables are drawn with "|" and runs of "-", "=", "+" or "_": shown as spaces, never as debris.
# Same length, so the task spans (offsets into the stored text) still fall on their sentences.
_TABLE_RULES = re.compile(r"\||[-=+_]{4,}")


def _source_html(plan, tasks) -> str:
    """The normalised text with each task's sentence marked, so it can be highlighted beside the task (built here:
    a template loop over a 500-task plan's pieces was a third of the page)."""
    text = _TABLE_RULES.sub(lambda m: " " * len(m.group(0)), plan.source_text or "")
    parts, pos = [], 0
    for task in sorted((t for t in tasks if t.span_start is not None and t.span_end), key=lambda t: t.span_start):
        if task.span_start < pos or task.span_end > len(text):
            continue  # overlapping or stale spans are shown as plain text
        parts.append(escape(text[pos:task.span_start]))
        parts.append(f'<mark class="src" id="src-{task.pk}">{escape(text[task.span_start:task.span_end])}</mark>')
        pos = task.span_end
    parts.append(escape(text[pos:]))
    return mark_safe("".join(parts))


def _coordinator_options(plan, agencies) -> str:
    """The header's choice of coordinating agency: those in existence on the plan's date, and the one now set even
    if it is not (so the reviewer sees what to change)."""
    chosen = plan.coordinating_agency
    out = ['<option value="">— chưa có —</option>']
    if chosen is not None and chosen not in agencies:
        out.append(f'<option value="{chosen.pk}" selected>{escape(chosen.name)} (không còn hoạt động vào ngày của kế '
                   f'hoạch)</option>')
    out += [f'<option value="{a.pk}"{" selected" if a.pk == plan.coordinating_agency_id else ""}>{escape(a.name)}</option>'
            for a in agencies]
    return mark_safe("".join(out))


def _card(request, plan, task, saved=False):
    """One card for HTMX, with the page's "reviewed" counter brought up to date beside it."""
    _annotate_names([task], Resolver(plan.issued_on))
    reviewed = plan.tasks.filter(reviewed_at__isnull=False).count()
    return render(request, "plans/_review_task.html", {
        "card": review_cards.card(task, review_cards.Urls(plan), saved=saved),
        "reviewed_count": reviewed, "task_count": plan.tasks.count()})


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
                task = draft.do_edit_draft_task(task, version=data["version"], changes=changes, user=request.user,
                                                request=request)
            except draft.ConflictError as exc:
                task.refresh_from_db()
                form = _task_form(task)
                form.conflict = str(exc)
                status = 409
            else:
                return _card(request, plan, task, saved=True)
        else:
            status = 400
    elif request.GET.get("the") == "card":  # the editor closed without saving
        return _card(request, plan, task)
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


def _picked_agency(request, plan, field: str) -> tuple[Agency | None, str]:
    """What one agency picker of the names panel sent: the suggestion picked (`field`, its id), else the text typed
    in its search box (`<field>_q`) and sent without a pick (or without script), looked up on the plan's date.
    Returns the agency (None when nothing names one) and the text typed."""
    agency = Agency.objects.filter(pk=parse_int(request.POST.get(field)) or 0).first()
    typed = " ".join(request.POST.get(f"{field}_q", "").split())[:255]
    if agency is None and typed:
        found = lookup(typed, on=plan.issued_on)
        agency = found if isinstance(found, Agency) else None
    return agency, typed


@require_POST
@role_required(*DRAFT_ROLES)
def map_name(request, pk: int):
    """One unmatched name -> one agency, on every task of the draft (the panel above the review)."""
    plan = _draft_or_404(request.user, pk)
    agency, typed = _picked_agency(request, plan, "agency")
    if agency is None and typed:
        messages.error(request, f"Không tìm thấy cơ quan “{typed}”: hãy chọn trong danh sách gợi ý, "
                                "hoặc tạo cơ quan mới.")
        return redirect("plans:review", pk=plan.pk)
    if agency is None:
        messages.error(request, "Hãy chọn một cơ quan.")
        return redirect("plans:review", pk=plan.pk)
    outcome = attempt_for_page(naming.do_map_name, plan, request.POST.get("name", "")[:255], agency,
                               remember=request.POST.get("nho") == "1", user=request.user, request=request)
    if outcome.error:
        messages.error(request, outcome.error)
    else:
        messages.success(request, f"Đã giao {outcome.value} nhiệm vụ mang tên “{request.POST.get('name', '')[:255]}” "
                                  f"cho {agency.name}.")
    return redirect("plans:review", pk=plan.pk)


@require_POST
@role_required(*DRAFT_ROLES)
def create_agency_for_name(request, pk: int):
    """One unmatched name is an agency the organisation data lacks: create it (under the agency picked in its
    optional "Trực thuộc" picker), give it every task with the name."""
    name = request.POST.get("name", "")[:255]

    def create(plan):
        parent, typed = _picked_agency(request, plan, "parent")
        if parent is None and typed:
            raise actions.PlanError(f"Không tìm thấy cơ quan cấp trên “{typed}”: hãy chọn trong danh sách gợi ý, "
                                    "hoặc để trống ô Trực thuộc.")
        agency, count = naming.do_create_agency_for_name(
            plan, name, agency_name=request.POST.get("agency_name", "")[:1000], kind=request.POST.get("kind", ""),
            parent=parent, user=request.user, request=request)
        under = f" (trực thuộc {parent.name})" if parent is not None else ""
        return (f"Đã thêm {agency.name}{under} vào danh sách cơ quan và giao {count} nhiệm vụ mang tên "
                f"“{name.strip()}” cho cơ quan này.")

    return _edit(request, pk, create)


@require_POST
@role_required(*DRAFT_ROLES)
def drop_name(request, pk: int):
    """One unmatched name is no agency (a phrase): it leaves every task of the draft."""
    name = request.POST.get("name", "")[:255]
    return _edit(request, pk, lambda plan: f"Đã bỏ “{name.strip()}” khỏi "
                                           f"{naming.do_drop_name(plan, name, user=request.user, request=request)} "
                                           f"nhiệm vụ (không phải tên cơ quan).")


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
    draft.do_delete_draft_task(task, user=request.user, request=request)
    if request.htmx:
        return render(request, "plans/_deleted.html", {"task": task})
    return redirect("plans:review", pk=plan.pk)


def _back_to_review(request, plan, anchor: str = ""):
    # Back to the order the reviewer was working in (the page HTMX posted from, or the page's own field).
    current = request.htmx.current_url_abs_path if request.htmx else None
    order = parse_qs(urlsplit(current or "").query).get("sap-xep", [request.POST.get("sap-xep", "")])[0]
    query = f"?sap-xep={order}" if order in (BY_CONFIDENCE, BY_DOCUMENT) else ""
    url = reverse("plans:review", args=[plan.pk]) + query + (f"#{anchor}" if anchor else "")
    if not request.htmx:
        return redirect(url)
    response = HttpResponseClientRedirect(url)
    response["HX-Refresh"] = "true"  # htmx then reloads: a URL differing only by its #anchor would not load again
    return response


def _version(request):
    return parse_int(request.POST.get("version"))


def _edit(request, pk, action, anchor=lambda result: ""):
    """Run one review action on the draft; its refusal is shown on the page, and the page opens where it acted."""
    plan = _draft_or_404(request.user, pk)
    outcome = attempt_for_page(action, plan)
    if outcome.error:
        messages.error(request, outcome.error)
        return _back_to_review(request, plan)
    if isinstance(outcome.value, str) and outcome.value:
        messages.success(request, outcome.value)
    return _back_to_review(request, plan, anchor(outcome.value))


def _task_anchor(result):
    return f"task-{result.pk}" if isinstance(result, Task) else ""


def _task(plan, task_pk):
    return get_object_or_404(Task, plan=plan, pk=task_pk)


def _section(plan, value):
    section = Section.objects.filter(plan=plan, pk=parse_int(value) or 0).first()
    if section is None:
        raise actions.PlanError("Hãy chọn một mục của kế hoạch này.")
    return section


def _ids(request) -> list[int]:
    return [i for i in (parse_int(v) for v in request.POST.getlist("ids")[:2000]) if i]


@require_POST
@role_required(*DRAFT_ROLES)
def split_task(request, pk: int, task_pk: int):
    """At the cursor (`at`, an offset in the edited text), or at the blank lines the reviewer left."""
    parts = draft.split_parts(request.POST.get("text", ""), parse_int(request.POST.get("at")))
    return _edit(request, pk, lambda plan: draft.do_split_task(
        _task(plan, task_pk), parts, version=_version(request), user=request.user, request=request)[0], _task_anchor)


@require_POST
@role_required(*DRAFT_ROLES)
def merge_task(request, pk: int, task_pk: int):
    return _edit(request, pk, lambda plan: draft.do_merge_with_next(
        _task(plan, task_pk), version=_version(request), user=request.user, request=request), _task_anchor)


@require_POST
@role_required(*DRAFT_ROLES)
def merge_selected(request, pk: int):
    def merge(plan):
        return draft.do_merge_tasks(list(Task.objects.filter(plan=plan, pk__in=_ids(request))), user=request.user,
                                    request=request)

    return _edit(request, pk, merge, _task_anchor)


@require_POST
@role_required(*DRAFT_ROLES)
def mark_reviewed(request, pk: int):
    """The "đã rà soát" mark (or its removal) on the chosen tasks; from the keyboard, one card comes back."""
    plan = _draft_or_404(request.user, pk)
    ids, reviewed = _ids(request), request.POST.get("reviewed", "1") == "1"
    outcome = attempt_for_page(draft.do_mark_reviewed, plan, ids, reviewed=reviewed, user=request.user, request=request)
    if outcome.error:
        messages.error(request, outcome.error)
    elif request.htmx and len(ids) == 1:
        return _card(request, plan, get_object_or_404(Task, plan=plan, pk=ids[0]))
    return _back_to_review(request, plan)


@require_POST
@role_required(*DRAFT_ROLES)
def add_task(request, pk: int, task_pk: int):
    def add(plan):
        after = _task(plan, task_pk)
        return draft.do_add_task(plan, text=request.POST.get("new_text", ""), lead_names=after.lead_names,
                                 after=after, user=request.user, request=request)

    return _edit(request, pk, add, _task_anchor)


@require_POST
@role_required(*DRAFT_ROLES)
def add_from_source(request, pk: int):
    """A sentence selected in the source pane becomes a task at its place (`start`, `end`: offsets in the text)."""
    start, end = parse_int(request.POST.get("start")), parse_int(request.POST.get("end"))
    return _edit(request, pk, lambda plan: draft.do_add_task_from_source(
        plan, start if start is not None else -1, end or 0, user=request.user, request=request), _task_anchor)


@require_POST
@role_required(*DRAFT_ROLES)
def move_task(request, pk: int, task_pk: int):
    return _edit(request, pk, lambda plan: draft.do_move_task(
        _task(plan, task_pk), _section(plan, request.POST.get("section")), version=_version(request),
        user=request.user, request=request), _task_anchor)


@require_POST
@role_required(*DRAFT_ROLES)
def undo(request, pk: int):
    return _edit(request, pk, lambda plan: "Đã hoàn tác: " + draft.do_undo(plan, user=request.user, request=request))


def _section_anchor(result):
    return f"section-{result.pk}" if isinstance(result, Section) else ""


@require_POST
@role_required(*DRAFT_ROLES)
def add_section(request, pk: int):
    def add(plan):
        after = _section(plan, request.POST["after"]) if request.POST.get("after") else None
        return draft.do_add_section(plan, ref=request.POST.get("ref", ""), title=request.POST.get("title", ""),
                                    after=after, user=request.user, request=request)

    return _edit(request, pk, add, _section_anchor)


@require_POST
@role_required(*DRAFT_ROLES)
def edit_section(request, pk: int, section_pk: int):
    """Rename (`ref`, `title`), move (`after_ref`, empty for the top) or delete (`delete`) one section."""
    def edit(plan):
        section = _section(plan, section_pk)
        if request.POST.get("delete"):
            draft.do_delete_section(section, user=request.user, request=request)
            return f"Đã xóa mục {section.ref}; các nhiệm vụ của mục được chuyển lên mục trên."
        if "after_ref" in request.POST:  # the number of the section it goes after; empty: the top of the plan
            ref = " ".join(request.POST["after_ref"].split())
            after = Section.objects.filter(plan=plan, ref=ref).first() if ref else None
            if ref and after is None:
                raise actions.PlanError(f"Kế hoạch không có mục số {ref}.")
            return draft.do_move_section(section, after=after, user=request.user, request=request)
        return draft.do_rename_section(section, ref=request.POST.get("ref", ""), title=request.POST.get("title", ""),
                                       user=request.user, request=request)

    return _edit(request, pk, edit, _section_anchor)
