"""Rows of a task sheet as the parser's structure (docs/parser-output.md): sections, and tasks in assignment blocks."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from dondoc.parsing.targets import from_lines as target_lines

from ..resolve import Resolver
from .read import SheetResult

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


def sheet_to_structure(result: SheetResult, *, document: dict | None = None, resolver: Resolver | None = None,
                       taken_blocks=()) -> dict:
    """The rows without errors as a parser structure (docs/parser-output.md) that import_structure() turns into a draft.

    Sections come from section rows (parents from their numbering: "2.1" under "2", Arabic under Roman).
    Tasks are grouped into assignment blocks: rows of one section that share the block of their kept ref
    ("1.2#3" -> "1.2"), or, in a sheet typed by hand, consecutive rows with the same lead. A block of rows
    without kept refs gets a ref no kept ref uses, nor any of `taken_blocks` (the block refs of the plan the sheet
    revises, so that a row added by hand is never taken for a task that was there).
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
    used_blocks = {r.ref.split("#")[0] for r in result.rows if r.kind == "task" and "#" in r.ref} | set(taken_blocks)
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
            "targets": target_lines(row.targets), "refs": [], "span": None,
            # Not in docs/parser-output.md: read back by do_import_task_sheet, ignored by import_structure.
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
