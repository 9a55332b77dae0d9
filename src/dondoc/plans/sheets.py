"""A task sheet sent back, against the plans: which plan it lists, whether it may go where it is imported, what
the import would write and what that changes. Nothing here writes (actions.do_import_task_sheet does, through
`assess`, so that the preview and the import decide alike).

Which plan a sheet lists: the plan of the id that export_tasks_xlsx wrote in its properties, when that plan has the
number the sheet names (a sheet from another installation names some other plan by the same id); otherwise the
number, from the properties or from the line "(Kèm theo Kế hoạch số ...)" above the table.

"From another plan": imported from plan X's page ("Nhập lại danh mục từ Excel", a revision of X), a sheet that
names a plan outside X's line of versions (X, the versions it replaces, the drafts that replace it), or a number
other than X's, is refused with both plans named. A sheet that names no plan is taken as X's, as the user said.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dondoc.core.text import fold

from .changes import Diff, TaskList, compare, task_list
from .excel import RowError, SheetResult, read_task_sheet, sheet_to_structure
from .models import Plan, PlanStatus
from .outline import draft_outline
from .resolve import Resolver


@dataclass
class SheetImport:
    """What importing a sheet would be: the rows read, the published plan the draft would replace (`target`, the
    plan compared with), the structure that would be saved and what it changes. `structure` is None when the sheet
    cannot be imported at all (it was not read, or it was refused: the reason is in `result.errors`)."""

    result: SheetResult
    target: Plan | None = None
    structure: dict | None = None
    diff: Diff | None = None


def _same_number(a: str, b: str) -> bool:
    return bool(a) and fold(a).replace(" ", "") == fold(b or "").replace(" ", "")


def named_number(result: SheetResult) -> str:
    """The plan number the sheet names: its properties' or its attachment line's."""
    return result.source.get("number") or (result.document or {}).get("number") or ""


def identified_plan(result: SheetResult) -> Plan | None:
    """The plan of this installation the sheet was exported from, when its properties say so and agree with it."""
    plan_id = result.source.get("plan_id")
    if plan_id is None:
        return None
    plan = Plan.objects.filter(pk=plan_id).first()
    number = named_number(result)
    if plan is None or (number and not _same_number(number, plan.number)):
        return None
    return plan


def _older(plan: Plan) -> list[Plan]:
    """The plan and the versions it replaces, newest first."""
    chain, seen = [plan], {plan.pk}
    while chain[-1].revision_of_id and chain[-1].revision_of_id not in seen:
        chain.append(chain[-1].revision_of)
        seen.add(chain[-1].pk)
    return chain


def _current(plan: Plan) -> Plan | None:
    """The published version of the plan's line: itself, or the revision that replaced it (and so on)."""
    seen = set()
    while plan is not None and plan.pk not in seen:
        if plan.status == PlanStatus.PUBLISHED:
            return plan
        seen.add(plan.pk)
        plan = plan.revisions.exclude(status=PlanStatus.DRAFT).order_by("-pk").first()
    return None


def revision_target(result: SheetResult) -> Plan | None:
    """The published plan a draft made from the sheet replaces: the current version of the plan the sheet was
    exported from; else, as for an uploaded document (actions.import_structure), the published plan of its number."""
    plan = identified_plan(result)
    current = _current(plan) if plan is not None else None
    if current is not None:
        return current
    number = named_number(result)
    return Plan.objects.filter(number=number, status=PlanStatus.PUBLISHED).first() if number else None


def _named(plan: Plan) -> str:
    return plan.reference() if (plan.number or plan.issued_on) else str(plan)


def other_plan(result: SheetResult, plan: Plan) -> str:
    """Why the sheet is not the task list of `plan` (a message naming both plans), or "" when it may be."""
    source = identified_plan(result)
    if source is not None:
        if plan.pk in {p.pk for p in _older(source)} or source.pk in {p.pk for p in _older(plan)}:
            return ""
        sheet_plan = _named(source)
    else:
        number = named_number(result)
        if not number or _same_number(number, plan.number):
            return ""
        kind = ((result.document or {}).get("type") or "Kế hoạch").strip().capitalize()
        sheet_plan = f"{kind} số {number}"
    return (f"Bảng tính này là danh mục nhiệm vụ của {sheet_plan}, không phải của {_named(plan)}: không nhập lại "
            "vào kế hoạch này được. Hãy tải danh mục của kế hoạch này, sửa rồi tải lên lại. Chưa có gì được lưu.")


def revision_document(plan: Plan) -> dict:
    """The facts a revision of `plan` keeps from it, whatever the sheet's header lines say."""
    return {"number": plan.number, "type": plan.doc_type, "issuer": plan.issuer, "place": plan.place,
            "date": plan.issued_on.isoformat() if plan.issued_on else None, "title": plan.title}


def assess(result: SheetResult, *, plan: Plan | None = None, document: dict | None = None,
           filename: str = "") -> SheetImport:
    """What importing the read sheet would write, and what it changes; `plan`: imported from that published plan's
    page, as its revision (a sheet from another plan is refused: the reason joins `result.errors`)."""
    if not result.readable:
        return SheetImport(result)
    if plan is not None:
        reason = other_plan(result, plan)
        if reason:
            result.errors.insert(0, RowError(None, reason))
            return SheetImport(result)
        document = {**revision_document(plan), **(document or {})}
    target = plan if plan is not None else revision_target(result)
    taken = set(target.tasks.values_list("block_ref", flat=True)) if target is not None else set()
    structure = sheet_to_structure(result, document=document, taken_blocks=taken)
    if not structure["document"]["title"]:
        structure["document"]["title"] = f"Danh mục nhiệm vụ {filename}".strip()
    sheet_tasks = [t for block in structure["assignments"] for t in block["tasks"]]
    kept = [t["sheet_ref"] for t in sheet_tasks if t["sheet_ref"]]
    if len(kept) == len(set(kept)):  # a ref copied onto two rows identifies neither
        for t in sheet_tasks:
            if t["sheet_ref"]:
                t["ref"] = t["sheet_ref"]
    diff = None
    if target is not None:
        day = structure["document"].get("date")
        sections, tasks = draft_outline(structure, Resolver(dt.date.fromisoformat(day) if day else None))
        diff = compare(task_list(target), TaskList(tasks, sections))
    return SheetImport(result, target, structure, diff)


def preview_task_sheet(data, *, plan: Plan | None = None, filename: str = "") -> SheetImport:
    """Read a sheet and say what its import would change; nothing is written."""
    return assess(read_task_sheet(data), plan=plan, filename=filename)
