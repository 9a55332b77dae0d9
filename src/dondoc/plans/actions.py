"""Plan actions: import a parsed structure or a task sheet as a draft, publish it as tasks and assignments."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from dondoc.audit import record
from dondoc.core import clock, errors
from dondoc.orgs.models import Agency

from . import sheets
from .due import fill as fill_due
from .due import store_dues
from .excel import SheetResult, read_task_sheet
from .models import Assignment, AssignmentRole, Plan, PlanStatus, Task
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
        fill_due(task, plan.agency_report_date)  # bulk_create skips Task.save()
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


def unresolved(plan: Plan, tasks=None, resolver: Resolver | None = None) -> list:
    """The Resolutions behind unresolved_names, in the order the plan first names them, each with `tasks`: how many
    tasks carry the name (`tasks` and `resolver`: those a page already loaded, in the plan's order)."""
    resolver = resolver or Resolver(plan.issued_on)
    found: dict[str, object] = {}
    counts: dict[str, int] = {}
    for task in plan.tasks.order_by("order") if tasks is None else tasks:
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


def apply_header_changes(plan: Plan, changes: dict, fields=HEADER_FIELDS) -> dict:
    """Set the header `changes` (of `fields`) on `plan`, unsaved, and return what differs: {field: [old, new]}.

    Texts are read as a person means them (spaces collapsed); the coordinating agency must exist on the plan's
    date. A refusal leaves `plan` untouched. The one rule for a draft's correction and a published plan's
    amendment (plans/amend.py)."""
    new = {f: changes[f] for f in fields if f in changes}
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
    return diff


@transaction.atomic
def do_edit_draft_header(plan: Plan, changes: dict, *, user=None, request=None) -> Plan:
    """Correct the draft's own facts; the coordinating agency must exist on the plan's date. After publication
    they change by a dated amendment (plans/amend.py) or a new revision (upload again)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Kế hoạch đã ban hành: thông tin kế hoạch chỉ sửa được bằng bản sửa đổi.")
    diff = apply_header_changes(plan, changes)
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
    store_dues(plan)  # a draft's undo restores rows without save(): the stored dues are made true once more
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


