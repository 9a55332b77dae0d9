"""A parser structure (docs/parser-output.md) as the sections and tasks of a draft, unsaved.

The one place that says what a draft's task holds for each task of a structure: actions.import_structure saves
these objects, and the preview of a task sheet (plans.sheets) compares them with a plan's tasks without saving
anything, so that the preview shows what the import will write.
"""

from __future__ import annotations

import datetime as dt

from . import confidence
from .models import LeadKind, Section, Task
from .resolve import Resolver


def iso_date(value) -> dt.date | None:
    """An ISO date of the structure, or None for a missing or malformed one."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def draft_outline(structure: dict, resolver: Resolver) -> tuple[list[Section], list[Task]]:
    """Unsaved sections (parents before children) and tasks, with no plan yet; a task's section is one of the
    sections. A task of the structure may carry its own `ref` (a task sheet keeps the refs it was exported with) and
    its `expected_output`; otherwise its ref is its block's and its place in the block (`1.2#3`)."""
    sections: dict[str, Section] = {}
    for order, item in enumerate(structure.get("sections") or []):
        ref = str(item.get("ref") or order)
        if ref in sections:
            continue
        sections[ref] = Section(ref=ref, title=item.get("title") or "", order=order, parent=sections.get(item.get("parent")))
    tasks = []
    order = 0
    for block in structure.get("assignments") or []:
        block_ref = str(block.get("ref") or "")
        parse_confidence, parse_basis = confidence.from_block(block)
        for i, t in enumerate(block.get("tasks") or [], start=1):
            order += 1
            deadline = t.get("deadline") or {}
            span = t.get("span") or [None, None]
            lead_names = list(t.get("lead_override") or block.get("lead") or [])
            task = Task(
                section=sections.get(block.get("section")), block_ref=block_ref,
                block_heading=block.get("heading") or "", ref=(t.get("ref") or f"{block_ref}#{i}")[:48], order=order,
                text=t.get("text") or "", lead_names=lead_names,
                lead_kind=LeadKind.GROUP if block.get("lead_kind") == "group" else LeadKind.AGENCY,
                coordinating_names=list(t.get("coordinating") or []), deadline_date=iso_date(deadline.get("date")),
                deadline_text=(deadline.get("text") or "")[:255], recurrence=deadline.get("recurrence") or "",
                targets=t.get("targets") or [], cited_documents=t.get("refs") or [],
                expected_output=(t.get("expected_output") or "")[:500],
                span_start=span[0], span_end=span[1], parse_confidence=parse_confidence, parse_basis=parse_basis,
            )
            task.needs_lead = resolver.needs_lead(lead_names)
            task.fill_search_text()
            tasks.append(task)
    return list(sections.values()), tasks
