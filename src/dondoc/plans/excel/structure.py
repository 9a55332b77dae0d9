"""Rows of a task sheet as the parser's structure (plan78/SCHEMA.md): sections, and tasks in assignment blocks."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.db import transaction

from dondoc.audit import record

from ..models import Plan, Task
from ..resolve import Resolver
from .read import SheetResult, read_task_sheet

_ROMAN_REF = re.compile(r"^[IVXLC]+$")


def _section_level(ref: str) -> int:
    if _ROMAN_REF.match(ref):
        return 0
    if re.fullmatch(r"[A-Za-z]", ref):
        return 1
    return 1 + ref.count(".")


def _split_heading(stt: str, text: str) -> tuple[str, str]:
    """A section's ref and title, from the STT cell or from a title printed as "2.1. Về du lịch"."""
    ref = stt.strip().rstrip(".)").strip()
    if not ref:
        match = re.match(r"^(?:Phần\s+)?([IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+(.+)$", text)
        if match:
            return match.group(1), match.group(2).strip()
    return ref, text


def sheet_to_structure(result: SheetResult, *, document: dict | None = None, resolver: Resolver | None = None) -> dict:
    """The rows without errors as a parser structure (plan78/SCHEMA.md) that import_structure() turns into a draft.

    Sections come from section rows (parents from their numbering: "2.1" under "2", Arabic under Roman).
    Tasks are grouped into assignment blocks: rows of one section that share the block of their kept ref
    ("1.2#3" -> "1.2"), or, in a sheet typed by hand, consecutive rows with the same lead.
    """
    doc = {**(result.document or {}), **(document or {})}
    if resolver is None:
        resolver = Resolver(dt.date.fromisoformat(doc["date"]) if doc.get("date") else None)
    sections: list[dict] = []
    refs: set[str] = set()
    stack: list[tuple[int, str]] = []
    blocks: list[dict] = []
    current_section: str | None = None
    block_counts: dict[str | None, int] = defaultdict(int)
    block_key = None
    # Blocks named by kept refs; a block of rows added by hand gets a fresh ref beside them, never the same.
    used_blocks = {r.ref.split("#")[0] for r in result.rows if r.kind == "task" and "#" in r.ref}
    for row in result.rows:
        if row.kind == "section":
            ref, title = _split_heading(row.stt, row.text)
            level = _section_level(ref) if ref else (stack[-1][0] + 1 if stack else 0)
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else None
            if not ref:
                ref = f"{parent}.{len(sections) + 1}" if parent else str(len(sections) + 1)
            if ref in refs:  # part III restarts at "1.": prefix its parent, as the parser does
                ref = f"{parent}.{ref}" if parent else f"{ref}-{row.row}"
            refs.add(ref)
            sections.append({"ref": ref, "title": title, "parent": parent})
            stack.append((level, ref))
            current_section, block_key = ref, None
            continue
        if row.errors:
            continue
        kept = row.ref.split("#")[0] if "#" in row.ref else ""
        key = (current_section, kept) if kept else (current_section, tuple(row.lead))
        if key != block_key:
            block_key = key
            block_counts[current_section] += 1
            if kept:
                block_ref = kept
            else:
                while True:
                    n = block_counts[current_section]
                    block_ref = f"{current_section}.{n}" if current_section else str(n)
                    if block_ref not in used_blocks:
                        break
                    block_counts[current_section] += 1
                used_blocks.add(block_ref)
            kinds = [resolver(n).kind for n in row.lead]
            blocks.append({
                "ref": block_ref, "section": current_section, "heading": ", ".join(row.lead) or None,
                "lead": list(row.lead),
                "lead_kind": "group" if kinds and all(k in ("group", "vague") for k in kinds) else "agency",
                "span": None, "tasks": [],
            })
        block = blocks[-1]
        d = row.deadline
        block["tasks"].append({
            "text": row.text,
            "lead_override": list(row.lead) if row.lead != block["lead"] else None,
            "coordinating": list(row.coordinating),
            "deadline": {"text": d.text, "date": d.date.isoformat() if d.date else None, "recurrence": d.recurrence or None},
            "targets": [], "refs": [], "span": None,
            # Not in SCHEMA.md: read back by import_task_sheet, ignored by import_structure.
            "expected_output": row.output, "sheet_ref": row.ref, "sheet_row": row.row,
        })
    return {
        "document": {"number": doc.get("number") or "", "type": doc.get("type") or "KẾ HOẠCH",
                     "issuer": doc.get("issuer") or "", "place": doc.get("place") or "", "date": doc.get("date"),
                     "title": doc.get("title") or "", "signer": None, "based_on": [], "recipients": []},
        "sections": sections,
        "assignments": blocks,
        "warnings": [],
    }


def import_task_sheet(data, *, user, skip_errors: bool = False, request=None, filename: str = "",
                      document: dict | None = None) -> tuple[Plan | None, SheetResult]:
    """Create a draft plan from a task sheet, in one transaction.

    Nothing is saved while a row has an error, unless `skip_errors`: then those rows are left out and listed in
    `result.skipped_rows`. A file that cannot be read is never imported.
    """
    result = read_task_sheet(data)
    if not result.readable:
        return None, result
    if result.errors and not skip_errors:
        return None, result
    result.skipped_rows = sorted({e.row for e in result.errors if e.row})
    if not any(not r.errors for r in result.tasks):
        return None, result
    from ..actions import import_structure

    structure = sheet_to_structure(result, document=document)
    if not structure["document"]["title"]:
        structure["document"]["title"] = f"Danh mục nhiệm vụ {filename}".strip()
    with transaction.atomic():
        plan = import_structure(structure, user=user, source_name=filename or "danh-muc-nhiem-vu.xlsx", request=request)
        sheet_tasks = [t for block in structure["assignments"] for t in block["tasks"]]
        tasks = list(plan.tasks.order_by("order"))
        kept = [t["sheet_ref"] for t in sheet_tasks if t["sheet_ref"]]
        keep_refs = len(kept) == len(set(kept))  # a ref copied onto two rows identifies neither
        changed = []
        for task, item in zip(tasks, sheet_tasks):
            if keep_refs and item["sheet_ref"]:
                task.ref = item["sheet_ref"][:48]
            task.expected_output = item["expected_output"][:500]
            task.fill_search_text()
            changed.append(task)
        Task.objects.bulk_update(changed, ["ref", "expected_output", "search_text"], batch_size=500)
        if plan.coordinating_agency_id is None and getattr(user, "agency_id", None):
            # A sheet has no organisation section naming the coordinator: the coordinator who imports it is.
            plan.coordinating_agency_id = user.agency_id
            plan.save(update_fields=["coordinating_agency"])
        record("plan.imported_sheet", actor=user, obj=plan, request=request,
               changes={"rows": len(result.tasks), "skipped_rows": result.skipped_rows, "sheet": result.sheet_name})
    return plan, result
