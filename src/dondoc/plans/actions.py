"""Plan actions: import a parsed structure or a task sheet as a draft, publish it as tasks and assignments."""

from __future__ import annotations

import datetime as dt
import re

from django.db import models, transaction
from django.utils import timezone

from dondoc.audit import record
from dondoc.core import clock, errors
from dondoc.orgs.models import Agency

from . import confidence, sheets
from .excel import SheetResult, read_task_sheet
from .models import Assignment, AssignmentRole, Plan, PlanStatus, Section, Task
from .outline import draft_outline, iso_date
from .resolve import Resolver
from .signals import plan_published


class PlanError(errors.ActionError):
    """A refused plan action, with a message for the user in Vietnamese."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or []


_COORDINATOR_WORDS = re.compile(r"theo dõi|đôn đốc|đơn đốc|tổng hợp", re.IGNORECASE)


def _report_dates(structure: dict, resolver: Resolver):
    """The coordinating agency and the plan's own report dates, from the organisation section.

    The coordinator is the last block whose tasks monitor, urge and aggregate ("theo dõi, đôn đốc, tổng hợp")
    and whose lead is one agency; its dated deadline is the coordinator's report date, and the other dated
    report deadline of that section is the date every agency reports by (Plan 78: 15/12 and 10/12/2024).
    """
    coordinator, coordinator_date, agency_date = None, None, None
    blocks = structure.get("assignments") or []
    for block in blocks:
        texts = " ".join(t.get("text", "") for t in block.get("tasks", []))
        leads = [resolver(name) for name in block.get("lead") or []]
        if len(leads) == 1 and leads[0].agency is not None and _COORDINATOR_WORDS.search(texts) and "báo cáo" in texts.lower():
            dates = [iso_date((t.get("deadline") or {}).get("date")) for t in block.get("tasks", [])]
            dates = [d for d in dates if d]
            if dates:
                coordinator, coordinator_date = leads[0].agency, max(dates)
    if coordinator_date:
        for block in blocks:
            for t in block.get("tasks", []):
                d = iso_date((t.get("deadline") or {}).get("date"))
                if d and d < coordinator_date and "báo cáo" in t.get("text", "").lower() and (agency_date is None or d > agency_date):
                    agency_date = d
    return coordinator, coordinator_date, agency_date


@transaction.atomic
def import_structure(structure: dict, *, user=None, source_name: str = "", source_file=None, text: str = "",
                     revision_of: Plan | None = None, request=None) -> Plan:
    """Create a draft plan from the parser's output (docs/parser-output.md). Nothing is assigned until publish.

    The draft revises `revision_of`, or else the published plan of its number."""
    doc = structure.get("document") or {}
    signer = doc.get("signer") or {}
    issued_on = iso_date(doc.get("date"))
    resolver = Resolver(issued_on)
    coordinator, coordinator_date, agency_date = _report_dates(structure, resolver)
    number = (doc.get("number") or "").strip()
    previous = revision_of
    if previous is None and number:
        previous = Plan.objects.filter(number=number, status=PlanStatus.PUBLISHED).first()
    plan = Plan.objects.create(
        number=number, doc_type=doc.get("type") or "KẾ HOẠCH", issuer=doc.get("issuer") or "",
        place=doc.get("place") or "", issued_on=issued_on, title=doc.get("title") or "",
        signer_name=signer.get("name") or "", signer_position=signer.get("position") or "",
        signer_on_behalf=signer.get("on_behalf_of") or "", based_on=doc.get("based_on") or [],
        recipients=doc.get("recipients") or [], coordinating_agency=coordinator,
        agency_report_date=agency_date, coordinator_report_date=coordinator_date, revision_of=previous,
        source_name=source_name[:255], source_text=text, parse_warnings=structure.get("warnings") or [], created_by=user,
    )
    if source_file is not None:
        plan.source_file.save(source_name or "plan", source_file, save=True)

    sections, tasks = draft_outline(structure, resolver)
    for section in sections:  # parents first: each child's parent is saved before it
        section.plan = plan
        section.save()
    for task in tasks:
        task.plan = plan
    Task.objects.bulk_create(tasks)
    record("plan.imported", actor=user, obj=plan, request=request,
           changes={"source": source_name, "tasks": len(tasks), "revision_of": previous.pk if previous else None})
    return plan


@transaction.atomic
def do_import_task_sheet(data, *, skip_errors: bool = False, filename: str = "", document: dict | None = None,
                         plan: Plan | None = None, user=None, request=None) -> tuple[Plan | None, SheetResult]:
    """Create a draft plan from a task sheet (.xlsx bytes or a file): all of it with its audit event, or nothing.

    Nothing is saved while a row has an error, unless `skip_errors`: then those rows are left out and listed in
    `result.skipped_rows`. A file that cannot be read is never imported. With `plan` (a published plan), the draft
    is its revision, keeps its number, date and coordinator, and a sheet from another plan is refused
    (plans.sheets.assess, as the preview decides).
    """
    if plan is not None and plan.status != PlanStatus.PUBLISHED:
        raise PlanError("Chỉ nhập lại danh mục từ Excel cho kế hoạch đang thực hiện (đã ban hành giao việc).")
    result = read_task_sheet(data)
    assessed = sheets.assess(result, plan=plan, document=document, filename=filename)
    if assessed.structure is None:
        return None, result
    if result.errors and not skip_errors:
        return None, result
    result.skipped_rows = sorted({e.row for e in result.errors if e.row})
    if not any(not r.errors for r in result.tasks):
        return None, result
    draft = import_structure(assessed.structure, user=user, source_name=filename or "danh-muc-nhiem-vu.xlsx",
                             revision_of=assessed.target, request=request)
    if plan is not None:  # a sheet has no organisation section: the revision keeps the plan's coordinator and dates
        for name in ("coordinating_agency", "agency_report_date", "coordinator_report_date", "signer_name",
                     "signer_position", "signer_on_behalf", "based_on", "recipients"):
            setattr(draft, name, getattr(plan, name))
        draft.save()
    elif draft.coordinating_agency_id is None and getattr(user, "agency_id", None):
        # A sheet has no organisation section naming the coordinator: the coordinator who imports it is.
        draft.coordinating_agency_id = user.agency_id
        draft.save(update_fields=["coordinating_agency"])
    diff = assessed.diff
    record("plan.imported_sheet", actor=user, obj=draft, request=request,
           changes={"rows": len(result.tasks), "skipped_rows": result.skipped_rows, "sheet": result.sheet_name,
                    "revision_of": assessed.target.pk if assessed.target else None,
                    "from_plan_page": plan is not None,
                    "added": len(diff.added) if diff else None, "removed": len(diff.removed) if diff else None,
                    "changed": len(diff.changed) if diff else None})
    return draft, result


def unresolved_names(plan: Plan) -> list[str]:
    """Names on the plan's tasks that match no agency and no known group, or name an agency (a group) that no
    longer existed on the plan's date: the reviewer must choose before publication."""
    return [r.name for r in unresolved(plan)]


def unresolved(plan: Plan) -> list:
    """The Resolutions behind unresolved_names, in the order the plan first names them, each with `tasks`: how many
    tasks carry the name."""
    resolver = Resolver(plan.issued_on)
    found: dict[str, object] = {}
    counts: dict[str, int] = {}
    for task in plan.tasks.order_by("order"):
        for name in dict.fromkeys([*task.lead_names, *task.coordinating_names]):
            res = resolver(name)
            if res.kind in ("unknown", "dissolved"):
                found.setdefault(name, res)
                counts[name] = counts.get(name, 0) + 1
    for name, res in found.items():
        res.tasks = counts[name]
    return list(found.values())


def _require_existing(agency: Agency, on: dt.date) -> None:
    """A plan's work goes only to an agency in existence on the plan's date; a dissolved one is refused with its
    successors named."""
    if not agency.is_active_on(on):
        heirs = ", ".join(a.name for a in agency.successors_on(on))
        raise PlanError(f"{agency.name} không hoạt động vào ngày {on:%d/%m/%Y} của kế hoạch"
                        + (f"; hãy chọn cơ quan kế thừa: {heirs}." if heirs else "."))


HEADER_FIELDS = ("number", "issued_on", "issuer", "place", "title", "coordinating_agency", "agency_report_date",
                 "coordinator_report_date")


@transaction.atomic
def do_edit_draft_header(plan: Plan, changes: dict, *, user=None, request=None) -> Plan:
    """Correct the draft's own facts; the coordinating agency must exist on the plan's date. After publication
    the plan changes only by a new revision (upload again)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Kế hoạch đã ban hành: thông tin kế hoạch chỉ sửa được bằng bản sửa đổi.")
    new = {f: changes[f] for f in HEADER_FIELDS if f in changes}
    for name in ("number", "issuer", "place", "title"):
        if name in new:
            new[name] = " ".join((new[name] or "").split())
    on = new.get("issued_on", plan.issued_on) or clock.today()
    agency = new.get("coordinating_agency", plan.coordinating_agency)
    if agency is not None:
        _require_existing(agency, on)
    diff = {}
    for name, value in new.items():
        if getattr(plan, name) != value:
            diff[name] = [str(getattr(plan, name) or ""), str(value or "")]
            setattr(plan, name, value)
    if diff:
        plan.save(update_fields=list(diff))
        record("plan.header_edited", actor=user, obj=plan, request=request, changes=diff)
    return plan


@transaction.atomic
def do_discard_draft(plan: Plan, *, user=None, request=None) -> None:
    """Throw a draft away (a wrong upload): its tasks and sections go; the uploaded file stays in storage and the
    audit trail keeps what it was."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Chỉ bản nháp mới bỏ được; kế hoạch đã ban hành được thay bằng bản sửa đổi.")
    record("plan.discarded", actor=user, obj=plan, request=request,
           changes={"number": plan.number, "title": plan.title[:200], "tasks": plan.tasks.count(),
                    "file": plan.source_file.name if plan.source_file else plan.source_name})
    plan.delete()


@transaction.atomic
def do_map_name(plan: Plan, name: str, agency: Agency, *, remember: bool = True, user=None, request=None) -> int:
    """The reviewer says a printed name is this agency: every task of the draft that carries it, as lead or as
    partner, gets the agency instead, in one step; the number of tasks changed is returned.

    The agency must exist on the plan's date (a dissolved one is refused, its successors named). With `remember`,
    a name that matched nothing becomes one of the agency's aliases, so later plans of this installation read it
    at once; a dissolved agency's own name is never made another agency's alias (older plans still mean it)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Chỉ sửa được tên cơ quan trên bản nháp.")
    name = (name or "").strip()
    on = plan.issued_on or clock.today()
    _require_existing(agency, on)
    was = Resolver(on)(name).kind
    changed = []
    for task in plan.tasks.select_for_update().order_by("order"):
        leads = _replaced(task.lead_names, name, agency.name)
        partners = [n for n in _replaced(task.coordinating_names, name, agency.name) if n not in leads]
        if leads != task.lead_names or partners != task.coordinating_names:
            task.lead_names, task.coordinating_names = leads, partners
            task.version += 1
            changed.append(task)
    if not changed:
        raise PlanError(f"Không có nhiệm vụ nào của bản nháp mang tên “{name}”.")
    Task.objects.bulk_update(changed, ["lead_names", "coordinating_names", "version"])
    remembered = remember and was == "unknown" and name.casefold() not in {n.casefold() for n in agency.all_names()}
    if remembered:
        agency.aliases = "\n".join([*agency.alias_list(), name])
        agency.save()
        record("agency.alias_added", actor=user, obj=agency, request=request, changes={"alias": name, "plan": plan.pk})
    record("plan.name_mapped", actor=user, obj=plan, request=request,
           changes={"name": name, "agency": agency.code, "tasks": len(changed), "remembered": remembered})
    return len(changed)


def _replaced(names: list[str], name: str, by: str) -> list[str]:
    out: list[str] = []
    for n in names:
        n = by if n.strip() == name else n
        if n not in out:  # "Sở Tài chính" mapped where it was already named: once
            out.append(n)
    return out


@transaction.atomic
def do_publish_plan(plan: Plan, *, user=None, allow_unresolved: bool = False, request=None) -> Plan:
    """Create every assignment in one transaction.

    A group lead becomes one assignment per member (remembering the group); a lead that is a group with no
    members, or (with `allow_unresolved`, the demo loader) a name matching nothing, goes to the plan's
    coordinating agency, flagged "cần xác định đơn vị". Otherwise unmatched names refuse the publication.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Chỉ bản nháp mới được ban hành giao việc.")
    if not plan.tasks.exists():
        raise PlanError("Bản nháp không có nhiệm vụ nào (không đọc được nhiệm vụ trong văn bản): không thể ban hành "
                        "giao việc. Hãy thêm nhiệm vụ khi rà soát, hoặc tải lên văn bản khác.")
    resolver = Resolver(plan.issued_on)
    unknown = unresolved(plan)
    if unknown and not allow_unresolved:
        raise PlanError("Có tên cơ quan chưa xác định được hoặc không còn hoạt động vào ngày của kế hoạch; hãy chọn "
                        "cơ quan cho từng tên trước khi ban hành.", [r.explain() for r in unknown])
    fallback = plan.coordinating_agency
    assignments: list[Assignment] = []
    flagged: list[Task] = []
    for task in plan.tasks.all():
        seen: set[tuple[int, str]] = set()

        def add(agency: Agency, role: str, group=None, provisional=False):
            if (agency.pk, role) not in seen:
                seen.add((agency.pk, role))
                assignments.append(Assignment(task=task, agency=agency, role=role, via_group=group, provisional=provisional))

        for name in task.lead_names:
            res = resolver(name)
            if res.agency is not None:
                add(res.agency, AssignmentRole.LEAD)
            for member in res.members:
                add(member, AssignmentRole.LEAD, group=res.group)
        has_lead = any(role == AssignmentRole.LEAD for _, role in seen)
        if not has_lead:
            if fallback is None:
                raise PlanError("Kế hoạch chưa có cơ quan theo dõi, tổng hợp để tạm giao các nhiệm vụ chưa rõ đơn vị chủ trì.")
            add(fallback, AssignmentRole.LEAD, provisional=True)
        if task.needs_lead != (not has_lead):
            task.needs_lead = not has_lead
            flagged.append(task)
        for name in task.coordinating_names:
            res = resolver(name)
            if res.agency is not None:
                add(res.agency, AssignmentRole.COORDINATING)
            for member in res.members:
                add(member, AssignmentRole.COORDINATING, group=res.group)
    Assignment.objects.bulk_create(assignments)
    Task.objects.bulk_update(flagged, ["needs_lead"])
    if plan.revision_of_id:
        Plan.objects.filter(pk=plan.revision_of_id, status=PlanStatus.PUBLISHED).update(status=PlanStatus.SUPERSEDED)
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    plan_published.send(sender=Plan, plan=plan, assignments=assignments, user=user, request=request)
    record("plan.published", actor=user, obj=plan, request=request,
           changes={"assignments": len(assignments), "needs_lead": sum(1 for a in assignments if a.provisional),
                    "replaces": plan.revision_of_id})
    return plan


class ConflictError(PlanError, errors.Conflict):
    """The task changed since the editor loaded it."""


EDITABLE_FIELDS = ("text", "lead_names", "coordinating_names", "deadline_date", "deadline_text", "recurrence",
                   "expected_output", "targets")


@transaction.atomic
def do_edit_draft_task(task: Task, *, version: int, changes: dict, user=None, request=None) -> Task:
    """Save a reviewer's correction; refused if someone saved the task since `version` was read (no silent loss)."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if task.plan.status != PlanStatus.DRAFT:
        raise PlanError("Kế hoạch đã ban hành: sửa nhiệm vụ bằng chức năng điều chỉnh.")
    if task.version != version:
        raise ConflictError("Nhiệm vụ này vừa được người khác sửa. Nội dung mới nhất đã được tải lại; hãy kiểm tra rồi lưu lại.")
    diff = {}
    for field in EDITABLE_FIELDS:
        if field in changes and getattr(task, field) != changes[field]:
            diff[field] = [str(getattr(task, field)), str(changes[field])]
            setattr(task, field, changes[field])
    if diff:
        resolver = Resolver(task.plan.issued_on)
        task.needs_lead = not any(resolver(n).kind in ("agency", "group") for n in task.lead_names)
        task.version += 1
        task.save()
        record("task.draft_edited", actor=user, obj=task, request=request, changes=diff)
    return task


@transaction.atomic
def do_delete_draft_task(task: Task, *, user=None, request=None) -> None:
    plan = Plan.objects.select_for_update().get(pk=task.plan_id)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Chỉ xóa được nhiệm vụ của bản nháp.")
    record("task.draft_deleted", actor=user, obj=task, request=request, changes={"text": task.text})
    task.delete()


def _renumber_block(plan: Plan, block_ref: str) -> None:
    """Refs are the block's ref and the place in the block (`1.2#3`): renumber after a split, merge or add."""
    tasks = list(Task.objects.filter(plan=plan, block_ref=block_ref).order_by("order"))
    for i, task in enumerate(tasks, start=1):
        task.ref = f"{block_ref}#{i}" if block_ref else f"#{i}"
        task.fill_search_text()
    Task.objects.bulk_update(tasks, ["ref", "search_text"])


def _locked_draft_task(task: Task, version: int | None) -> Task:
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if task.plan.status != PlanStatus.DRAFT:
        raise PlanError("Chỉ sửa được nhiệm vụ của bản nháp.")
    if version is not None and task.version != version:
        raise ConflictError("Nhiệm vụ này vừa được người khác sửa; hãy tải lại trang rồi làm lại.")
    return task


@transaction.atomic
def do_split_task(task: Task, parts: list[str], *, version: int | None = None, user=None, request=None) -> list[Task]:
    """One task becomes several: the first keeps its place and fields, the others follow it with the same leads
    and the same parser confidence."""
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) < 2:
        raise PlanError("Cần ít nhất hai phần để tách nhiệm vụ (ngăn cách bằng một dòng trống).")
    task = _locked_draft_task(task, version)
    Task.objects.filter(plan=task.plan, order__gt=task.order).update(order=models.F("order") + len(parts) - 1)
    original = task.text
    task.text, task.version = parts[0], task.version + 1
    task.save()
    created = []
    for i, text in enumerate(parts[1:], start=1):
        new = Task(plan=task.plan, section=task.section, block_ref=task.block_ref, block_heading=task.block_heading,
                   ref=f"{task.ref}-{i}", order=task.order + i, text=text, lead_names=task.lead_names,
                   lead_kind=task.lead_kind, coordinating_names=task.coordinating_names, needs_lead=task.needs_lead,
                   parse_confidence=task.parse_confidence, parse_basis=task.parse_basis)
        new.save()
        created.append(new)
    _renumber_block(task.plan, task.block_ref)
    record("task.draft_split", actor=user, obj=task, request=request, changes={"text": original, "parts": parts})
    return [task, *created]


@transaction.atomic
def do_merge_with_next(task: Task, *, version: int | None = None, user=None, request=None) -> Task:
    """Join a task with the next one of its block (text joined by "; ", leads and partners united, the lower
    confidence kept)."""
    task = _locked_draft_task(task, version)
    following = (Task.objects.select_for_update().filter(plan=task.plan, block_ref=task.block_ref, order__gt=task.order)
                 .order_by("order").first())
    if following is None:
        raise PlanError("Đây là nhiệm vụ cuối của khối, không có nhiệm vụ sau để gộp.")
    task.text = f"{task.text.rstrip(' ;.')}; {following.text}"
    task.lead_names = list(dict.fromkeys([*task.lead_names, *following.lead_names]))
    task.coordinating_names = list(dict.fromkeys([*task.coordinating_names, *following.coordinating_names]))
    task.targets = [*task.targets, *following.targets]
    task.cited_documents = list(dict.fromkeys([*task.cited_documents, *following.cited_documents]))
    if task.deadline_date is None and not task.deadline_text:
        task.deadline_date, task.deadline_text, task.recurrence = following.deadline_date, following.deadline_text, following.recurrence
    if task.span_end is not None and following.span_end is not None:
        task.span_end = max(task.span_end, following.span_end)
    task.parse_confidence, task.parse_basis = confidence.least_certain(
        (task.parse_confidence, task.parse_basis), (following.parse_confidence, following.parse_basis))
    task.version += 1
    task.save()
    record("task.draft_merged", actor=user, obj=task, request=request, changes={"merged": following.text})
    following.delete()
    _renumber_block(task.plan, task.block_ref)
    return task


@transaction.atomic
def do_add_task(plan: Plan, *, text: str, lead_names: list[str], section=None, after: Task | None = None, user=None,
                request=None) -> Task:
    """A task the reviewer writes: no parser read it, so it has no parse confidence."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Chỉ thêm được nhiệm vụ vào bản nháp.")
    if not text.strip():
        raise PlanError("Nội dung nhiệm vụ không được để trống.")
    if after is not None:
        order, block_ref, section = after.order + 1, after.block_ref, after.section
        Task.objects.filter(plan=plan, order__gt=after.order).update(order=models.F("order") + 1)
    else:
        last = plan.tasks.order_by("-order").first()
        order, block_ref = (last.order + 1 if last else 1), (section.ref if section else "")
    resolver = Resolver(plan.issued_on)
    task = Task(plan=plan, section=section, block_ref=block_ref, ref=f"{block_ref}#new", order=order, text=text.strip(),
                lead_names=lead_names, needs_lead=not any(resolver(n).kind in ("agency", "group") for n in lead_names))
    task.save()
    _renumber_block(plan, block_ref)
    task.refresh_from_db()
    record("task.draft_added", actor=user, obj=task, request=request, changes={"text": task.text})
    return task


@transaction.atomic
def do_move_task(task: Task, section: Section, *, version: int | None = None, user=None, request=None) -> Task:
    task = _locked_draft_task(task, version)
    if section.plan_id != task.plan_id:
        raise PlanError("Mục không thuộc kế hoạch này.")
    old = task.section.ref if task.section else None
    task.section = section
    task.version += 1
    task.save()
    record("task.draft_moved", actor=user, obj=task, request=request, changes={"section": [old, section.ref]})
    return task
