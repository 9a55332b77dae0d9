"""Editing a draft before publication: its tasks, its outline, the "reviewed" marks and the undo of review steps.

Every structural change goes through `_step()`: it locks the draft, refuses a published plan, and keeps the draft's
tasks and sections as they were before the change (a DraftStep), so `do_undo` can put them back. A task's own edit
checks its version, so two coordinators reviewing one draft never overwrite each other silently.
"""

from __future__ import annotations

import contextlib
import re

from django.db import models, transaction
from django.utils import timezone

from dondoc.audit import record
from dondoc.core import errors

from . import confidence
from .actions import PlanError
from .models import DraftStep, Plan, PlanStatus, Section, Task
from .resolve import Resolver

UNDO_DEPTH = 30  # review steps kept per draft


class ConflictError(PlanError, errors.Conflict):
    """The task changed since the editor loaded it."""


# ---------------------------------------------------------------------------------------------------- undo stack

_TASK_FIELDS = [f for f in Task._meta.concrete_fields]
_SECTION_FIELDS = [f for f in Section._meta.concrete_fields]


_DATES = ("DateField", "DateTimeField")


def _dump(fields, obj) -> dict:
    out = {}
    for f in fields:
        value = getattr(obj, f.attname)
        out[f.attname] = value.isoformat() if value is not None and f.get_internal_type() in _DATES else value
    return out


def _load(model, fields, row: dict):
    values = {}
    for f in fields:
        if f.attname not in row:  # a field added after the step was kept (a later migration)
            values[f.attname] = f.get_default()
            continue
        value = row[f.attname]
        values[f.attname] = f.to_python(value) if value is not None and f.get_internal_type() in _DATES else value
    return model(**values)


def _snapshot(plan: Plan) -> dict:
    return {"tasks": [_dump(_TASK_FIELDS, t) for t in Task.objects.filter(plan=plan).order_by("order")],
            "sections": [_dump(_SECTION_FIELDS, s) for s in Section.objects.filter(plan=plan).order_by("order")]}


def _locked_draft(plan: Plan | int) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=getattr(plan, "pk", plan))
    if plan.status != PlanStatus.DRAFT:
        raise PlanError("Kế hoạch đã ban hành: chỉ sửa được bản nháp (sau ban hành, dùng chức năng điều chỉnh).")
    return plan


@contextlib.contextmanager
def _step(plan: Plan | int, label: str, user=None):
    """Lock the draft and remember how it was before the change inside the block (for do_undo)."""
    with transaction.atomic():
        plan = _locked_draft(plan)
        DraftStep.objects.create(plan=plan, label=label[:255], state=_snapshot(plan),
                                 actor=user if getattr(user, "pk", None) else None)
        yield plan
        stale = DraftStep.objects.filter(plan=plan).order_by("-id").values_list("pk", flat=True)[UNDO_DEPTH:]
        DraftStep.objects.filter(pk__in=list(stale)).delete()


def last_step(plan: Plan) -> DraftStep | None:
    return DraftStep.objects.filter(plan=plan).only("label", "at", "plan_id").order_by("-id").first()


def _restore(model, fields, current, rows: list[dict], keep: tuple[str, ...]) -> None:
    """Make the rows of `current` what `rows` say, touching only those that differ (a step changes a few tasks
    of a draft, not 500); the `keep` fields stay as they are now, except that a changed row gets a new version.
    Rows the step created go first (a section's number is free again before the old section comes back)."""
    now = {obj.pk: obj for obj in current}
    snapshot = {row["id"] for row in rows}
    gone = [pk for pk in now if pk not in snapshot]
    model.objects.filter(pk__in=gone).delete()
    compared = [f for f in fields if f.attname not in keep and not f.primary_key]
    create, update = [], []
    for row in rows:
        obj = now.pop(row["id"], None)
        if obj is None:
            create.append(_load(model, fields, row))
            continue
        old = _dump(fields, obj)
        if any(f.attname in row and old[f.attname] != row[f.attname] for f in compared):
            restored = _load(model, fields, {**old, **row})
            for name in keep:
                setattr(restored, name, getattr(obj, name))
            if hasattr(restored, "version"):
                restored.version = max(obj.version, row.get("version") or 0) + 1
            update.append(restored)
    if create:
        model.objects.bulk_create(create)  # keys kept; foreign keys are checked at commit
    if update:
        model.objects.bulk_update(update, [f.attname for f in compared] + (["version"] if "version" in keep else []))


@transaction.atomic
def do_undo(plan: Plan, *, user=None, request=None) -> str:
    """Put the draft's tasks and sections back as they were before its last review step; returns that step's label.

    Task keys are kept, so links and open editors still point at the same tasks; every task the undo changes gets
    a new version (an editor opened before the undo cannot save over it); only the rows that differ are written. "Reviewed" marks are not steps: a task that is
    still there keeps the mark it has now."""
    plan = _locked_draft(plan)
    step = DraftStep.objects.select_for_update().filter(plan=plan).order_by("-id").first()
    if step is None:
        raise PlanError("Không còn thao tác nào để hoàn tác.")
    _restore(Section, _SECTION_FIELDS, Section.objects.filter(plan=plan), step.state["sections"], keep=())
    # after the sections: a section the step created has gone, and its tasks are compared as they are now
    _restore(Task, _TASK_FIELDS, Task.objects.filter(plan=plan), step.state["tasks"], keep=("reviewed_at", "version"))
    label = step.label
    step.delete()
    record("plan.draft_undone", actor=user, obj=plan, request=request, changes={"step": label})
    return label


# --------------------------------------------------------------------------------------------------------- tasks

EDITABLE_FIELDS = ("text", "lead_names", "coordinating_names", "deadline_date", "deadline_text", "recurrence",
                   "expected_output", "targets")


def _locked_task(task: Task, version: int | None) -> Task:
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if version is not None and task.version != version:
        raise ConflictError("Nhiệm vụ này vừa được người khác sửa. Nội dung mới nhất đã được tải lại; hãy kiểm tra "
                            "rồi làm lại.")
    return task


def do_edit_draft_task(task: Task, *, version: int, changes: dict, user=None, request=None) -> Task:
    """Save a reviewer's correction (and mark the task reviewed: it has been looked at); refused if someone saved
    the task since `version` was read (no silent loss)."""
    current = Task.objects.get(pk=task.pk)
    if not any(f in changes and getattr(current, f) != changes[f] for f in EDITABLE_FIELDS):
        if current.version != version:
            raise ConflictError("Nhiệm vụ này vừa được người khác sửa. Nội dung mới nhất đã được tải lại; hãy kiểm tra "
                                "rồi làm lại.")
        do_mark_reviewed(current.plan, [current.pk], user=user, request=request)  # looked at, nothing to change
        return Task.objects.get(pk=task.pk)
    with _step(task.plan_id, f"Sửa nhiệm vụ {task.ref}", user) as plan:
        task = _locked_task(task, version)
        diff = {}
        for field in EDITABLE_FIELDS:
            if field in changes and getattr(task, field) != changes[field]:
                diff[field] = [str(getattr(task, field)), str(changes[field])]
                setattr(task, field, changes[field])
        if diff:
            task.needs_lead = Resolver(plan.issued_on).needs_lead(task.lead_names)
            task.version += 1
            task.reviewed_at = task.reviewed_at or timezone.now()
            task.save()
            record("task.draft_edited", actor=user, obj=task, request=request, changes=diff)
    return task


def do_delete_draft_task(task: Task, *, user=None, request=None) -> None:
    with _step(task.plan_id, f"Xóa nhiệm vụ {task.ref}", user):
        record("task.draft_deleted", actor=user, obj=task, request=request, changes={"text": task.text})
        Task.objects.filter(pk=task.pk).delete()
        _renumber_block(task.plan_id, task.block_ref)


def _renumber_block(plan_id: int, block_ref: str) -> None:
    """Refs are the block's ref and the place in the block (`1.2#3`): renumber after a split, merge or add."""
    tasks = list(Task.objects.filter(plan_id=plan_id, block_ref=block_ref).order_by("order"))
    for i, task in enumerate(tasks, start=1):
        task.ref = f"{block_ref}#{i}" if block_ref else f"#{i}"
        task.fill_search_text()
    Task.objects.bulk_update(tasks, ["ref", "search_text"])


def _span_of(source: str, part: str, start: int | None, end: int | None) -> tuple[int | None, int | None]:
    """Where a piece of a task's text stands in the plan's text, looked for inside the task's own span."""
    if start is None or end is None or not part:
        return None, None
    probe = " ".join(part.split()[:6])
    window = source[start:end]
    at = " ".join(window.split()).find(probe) if probe else -1
    if at < 0:
        return None, None
    # map the offset in the whitespace-collapsed window back to the stored text
    seen, pos = 0, start
    for m in re.finditer(r"\S+", window):
        if seen >= at:
            pos = start + m.start()
            break
        seen += len(m.group(0)) + 1
    return pos, end


def split_parts(text: str, at: int | None) -> list[str]:
    """The reviewer's cut: at a point of the text (the cursor), or, without one, at blank lines."""
    text = (text or "").replace("\r\n", "\n")
    if at is not None and 0 < at < len(text):
        return [text[:at], text[at:]]
    return text.split("\n\n")


def do_split_task(task: Task, parts: list[str], *, version: int | None = None, user=None, request=None) -> list[Task]:
    """One task becomes several: the first keeps its place and fields, the others follow it with the same leads
    and the same parser confidence; each part keeps its place in the source text where it can be found."""
    parts = [" ".join(p.split()) for p in parts if p.strip()]
    if len(parts) < 2:
        raise PlanError("Cần chọn chỗ tách: đặt con trỏ vào giữa nội dung (hoặc để một dòng trống) rồi bấm Tách.")
    with _step(task.plan_id, f"Tách nhiệm vụ {task.ref}", user) as plan:
        task = _locked_task(task, version)
        Task.objects.filter(plan=plan, order__gt=task.order).update(order=models.F("order") + len(parts) - 1)
        original, source, start, end = task.text, plan.source_text or "", task.span_start, task.span_end
        starts = [_span_of(source, p, start, end)[0] for p in parts]
        task.text, task.version = parts[0], task.version + 1
        if starts[1] is not None:
            task.span_end = starts[1]
        task.save()
        created = []
        for i, text in enumerate(parts[1:], start=1):
            following = next((s for s in starts[i + 1:] if s is not None), end)
            new = Task(plan=plan, section=task.section, block_ref=task.block_ref, block_heading=task.block_heading,
                       ref=f"{task.ref}-{i}", order=task.order + i, text=text, lead_names=task.lead_names,
                       lead_kind=task.lead_kind, coordinating_names=task.coordinating_names, needs_lead=task.needs_lead,
                       parse_confidence=task.parse_confidence, parse_basis=task.parse_basis,
                       span_start=starts[i], span_end=following if starts[i] is not None else None)
            new.save()
            created.append(new)
        _renumber_block(plan.pk, task.block_ref)
        record("task.draft_split", actor=user, obj=task, request=request, changes={"text": original, "parts": parts})
    return [Task.objects.get(pk=t.pk) for t in [task, *created]]


def as_sentence(text: str) -> str:
    """A task's text as one sentence of a longer one: first letter capital, ends with a full stop."""
    text = " ".join(text.split()).rstrip(" ;,.:")
    return (text[:1].upper() + text[1:] + ".") if text else ""


def do_merge_tasks(tasks: list[Task], *, versions: dict[int, int] | None = None, user=None, request=None) -> Task:
    """Several tasks of a draft become one, in the place of the first (in the plan's order): texts joined as
    sentences, leads, partners, targets and cited documents united, the first deadline kept, the lower parser
    confidence kept, the source span covering them all."""
    if len({t.pk for t in tasks}) < 2:
        raise PlanError("Hãy chọn ít nhất hai nhiệm vụ để gộp.")
    plan_ids = {t.plan_id for t in tasks}
    if len(plan_ids) != 1:
        raise PlanError("Các nhiệm vụ gộp phải thuộc cùng một kế hoạch.")
    versions = versions or {}
    with _step(plan_ids.pop(), f"Gộp {len(tasks)} nhiệm vụ", user) as plan:
        locked = sorted((_locked_task(t, versions.get(t.pk)) for t in tasks), key=lambda t: t.order)
        first, rest = locked[0], locked[1:]
        first.text = " ".join(as_sentence(t.text) for t in locked)
        first.lead_names = list(dict.fromkeys(n for t in locked for n in t.lead_names))
        first.coordinating_names = [n for n in dict.fromkeys(n for t in locked for n in t.coordinating_names)
                                    if n not in first.lead_names]
        first.targets = [x for t in locked for x in t.targets]
        first.cited_documents = list(dict.fromkeys(x for t in locked for x in t.cited_documents))
        if first.deadline_date is None and not first.deadline_text:
            dated = next((t for t in rest if t.deadline_date or t.deadline_text), None)
            if dated:
                first.deadline_date, first.deadline_text, first.recurrence = dated.deadline_date, dated.deadline_text, dated.recurrence
        starts = [t.span_start for t in locked if t.span_start is not None]
        ends = [t.span_end for t in locked if t.span_end is not None]
        if starts and ends:
            first.span_start, first.span_end = min(starts), max(ends)
        first.parse_confidence, first.parse_basis = confidence.least_certain(
            *((t.parse_confidence, t.parse_basis) for t in locked))
        first.needs_lead = Resolver(plan.issued_on).needs_lead(first.lead_names)
        first.version += 1
        first.save()
        record("task.draft_merged", actor=user, obj=first, request=request,
               changes={"merged": [t.text for t in rest], "refs": [t.ref for t in locked]})
        Task.objects.filter(pk__in=[t.pk for t in rest]).delete()
        for block_ref in dict.fromkeys(t.block_ref for t in locked):
            _renumber_block(plan.pk, block_ref)
    return Task.objects.get(pk=first.pk)


def do_merge_with_next(task: Task, *, version: int | None = None, user=None, request=None) -> Task:
    """Join a task with the next one of its block."""
    following = Task.objects.filter(plan_id=task.plan_id, block_ref=task.block_ref, order__gt=task.order).order_by("order").first()
    if following is None:
        raise PlanError("Đây là nhiệm vụ cuối của khối, không có nhiệm vụ sau để gộp.")
    return do_merge_tasks([task, following], versions={task.pk: version} if version is not None else None, user=user,
                          request=request)


def do_add_task(plan: Plan, *, text: str, lead_names: list[str], section=None, after: Task | None = None,
                coordinating_names: list[str] | None = None, span: tuple[int, int] | None = None, user=None,
                request=None) -> Task:
    """A task the reviewer writes (or selects in the source text): no parser read it, so it has no parse confidence;
    it is reviewed by the one who adds it."""
    text = " ".join((text or "").split())
    if not text:
        raise PlanError("Nội dung nhiệm vụ không được để trống.")
    with _step(plan, "Thêm nhiệm vụ", user) as plan:
        if after is not None:
            after = Task.objects.get(pk=after.pk)
            order, block_ref, section, heading = after.order + 1, after.block_ref, after.section, after.block_heading
            Task.objects.filter(plan=plan, order__gt=after.order).update(order=models.F("order") + 1)
        else:
            first = plan.tasks.order_by("order").first() if span else None
            if first is not None:  # selected before every task: it opens the plan
                order, block_ref, section, heading = first.order, first.block_ref, first.section, first.block_heading
                Task.objects.filter(plan=plan).update(order=models.F("order") + 1)
            else:
                last = plan.tasks.order_by("-order").first()
                order, block_ref, heading = (last.order + 1 if last else 1), (section.ref if section else ""), ""
        names = list(dict.fromkeys(lead_names))
        task = Task(plan=plan, section=section, block_ref=block_ref, block_heading=heading, ref=f"{block_ref}#new",
                    order=order, text=text, lead_names=names,
                    coordinating_names=[n for n in dict.fromkeys(coordinating_names or []) if n not in names],
                    needs_lead=Resolver(plan.issued_on).needs_lead(names), reviewed_at=timezone.now(),
                    span_start=span[0] if span else None, span_end=span[1] if span else None)
        task.save()
        _renumber_block(plan.pk, block_ref)
        task.refresh_from_db()
        record("task.draft_added", actor=user, obj=task, request=request, changes={"text": task.text})
    return task


# A selection often starts on the item's own label: "a)", "-", "+", "3.", "•".
_LABEL = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d+(?:\.\d+)*[.)]|[IVXLC]+\.)\s+")


def do_add_task_from_source(plan: Plan, start: int, end: int, *, user=None, request=None) -> Task:
    """The reviewer selects a sentence in the source pane that the parser missed: it becomes a task at its place in
    the plan's order (after the last task read before it), its lead the agency the sentence names, or else the
    lead of the task before it (the same block's lead)."""
    from dondoc.parsing.blocks.leads import coordinating, inline_lead

    source = plan.source_text or ""
    if not (0 <= start < end <= len(source)):
        raise PlanError("Đoạn đã chọn không nằm trong văn bản gốc; hãy chọn lại.")
    if end - start > 5000:
        raise PlanError("Đoạn đã chọn quá dài cho một nhiệm vụ (tối đa 5.000 ký tự).")
    raw = source[start:end]
    skip = len(raw) - len(raw.lstrip())
    label = _LABEL.match(raw[skip:])
    offset = skip + (label.end() if label else 0)
    text = " ".join(raw[offset:].split())
    if not text:
        raise PlanError("Đoạn đã chọn không có nội dung.")
    before = (plan.tasks.filter(span_start__isnull=False, span_start__lte=start).order_by("-span_start", "-order").first())
    lead = inline_lead(text)
    lead_names = lead[0] if lead else (before.lead_names if before else [])
    return do_add_task(plan, text=text, lead_names=lead_names, coordinating_names=coordinating(text), after=before,
                       span=(start + offset, end), user=user, request=request)


def do_move_task(task: Task, section: Section, *, version: int | None = None, user=None, request=None) -> Task:
    with _step(task.plan_id, f"Chuyển nhiệm vụ {task.ref} sang mục {section.ref}", user):
        task = _locked_task(task, version)
        if section.plan_id != task.plan_id:
            raise PlanError("Mục không thuộc kế hoạch này.")
        old = task.section.ref if task.section else None
        task.section = section
        task.version += 1
        task.save()
        record("task.draft_moved", actor=user, obj=task, request=request, changes={"section": [old, section.ref]})
    return task


def do_mark_reviewed(plan: Plan, task_ids: list[int], *, reviewed: bool = True, user=None, request=None) -> int:
    """The reviewer's "đã rà soát" mark on tasks of a draft (not an undo step: it changes no content)."""
    with transaction.atomic():
        plan = _locked_draft(plan)
        tasks = Task.objects.filter(plan=plan, pk__in=task_ids)
        changed = (tasks.filter(reviewed_at__isnull=True).update(reviewed_at=timezone.now()) if reviewed
                   else tasks.filter(reviewed_at__isnull=False).update(reviewed_at=None))
        if changed:
            record("plan.tasks_reviewed" if reviewed else "plan.tasks_unreviewed", actor=user, obj=plan, request=request,
                   changes={"tasks": changed})
    return changed


# ------------------------------------------------------------------------------------------------------ sections

def outline(plan: Plan) -> list[Section]:
    """The draft's sections depth first, each after its parent and before the next sibling."""
    sections = list(Section.objects.filter(plan=plan).order_by("order", "pk"))
    children: dict[int | None, list[Section]] = {}
    for s in sections:
        children.setdefault(s.parent_id, []).append(s)
    out: list[Section] = []

    def walk(parent_id):
        for s in children.get(parent_id, []):
            out.append(s)
            walk(s.pk)

    walk(None)
    seen = {s.pk for s in out}
    return out + [s for s in sections if s.pk not in seen]  # a broken parent chain is kept, at the end


def _renumber_sections(ordered: list[Section]) -> None:
    for i, s in enumerate(ordered):
        s.order = i
    Section.objects.bulk_update(ordered, ["order", "parent"])


def _clean_section(plan: Plan, ref: str, title: str, exclude: int | None = None) -> tuple[str, str]:
    ref, title = " ".join((ref or "").split())[:32], " ".join((title or "").split())
    if not ref or not title:
        raise PlanError("Mục cần có số thứ tự (ví dụ II hoặc 2.3) và tiêu đề.")
    if Section.objects.filter(plan=plan, ref=ref).exclude(pk=exclude).exists():
        raise PlanError(f"Kế hoạch đã có mục số {ref}; hãy chọn số thứ tự khác.")
    return ref, title


def do_add_section(plan: Plan, *, ref: str, title: str, after: Section | None = None, user=None, request=None) -> Section:
    """A new section right after `after` (as its sibling), or at the end of the outline."""
    with _step(plan, f"Thêm mục {ref}", user) as plan:
        ref, title = _clean_section(plan, ref, title)
        ordered = outline(plan)
        section = Section(plan=plan, ref=ref, title=title, parent_id=after.parent_id if after else None)
        section.save()
        if after is not None:
            subtree = _subtree(ordered, after)
            at = ordered.index(subtree[-1]) + 1
            ordered.insert(at, section)
        else:
            ordered.append(section)
        _renumber_sections(ordered)
        record("section.draft_added", actor=user, obj=plan, request=request, changes={"ref": ref, "title": title})
    return section


def do_rename_section(section: Section, *, ref: str, title: str, user=None, request=None) -> Section:
    with _step(section.plan_id, f"Sửa mục {section.ref}", user) as plan:
        section = Section.objects.get(pk=section.pk, plan=plan)
        ref, title = _clean_section(plan, ref, title, exclude=section.pk)
        diff = {k: [getattr(section, k), v] for k, v in (("ref", ref), ("title", title)) if getattr(section, k) != v}
        if diff:
            old_ref = section.ref
            section.ref, section.title = ref, title
            section.save()
            # Tasks listed under the section by its number (block refs) keep pointing at it.
            Task.objects.filter(plan=plan, section=section, block_ref=old_ref).update(block_ref=ref)
            record("section.draft_renamed", actor=user, obj=plan, request=request, changes=diff)
    return section


def _subtree(ordered: list[Section], root: Section) -> list[Section]:
    i = next(k for k, s in enumerate(ordered) if s.pk == root.pk)
    ids, out = {root.pk}, [ordered[i]]
    for s in ordered[i + 1:]:
        if s.parent_id in ids:
            ids.add(s.pk)
            out.append(s)
        else:
            break
    return out


def do_move_section(section: Section, *, after: Section | None, user=None, request=None) -> Section:
    """Move a section, with its sub-sections and tasks, to right after `after` (as its sibling), or to the top."""
    with _step(section.plan_id, f"Chuyển mục {section.ref}", user) as plan:
        ordered = outline(plan)
        section = next(s for s in ordered if s.pk == section.pk)
        moving = _subtree(ordered, section)
        if after is not None and any(s.pk == after.pk for s in moving):
            raise PlanError("Không chuyển được một mục vào sau chính nó hoặc mục con của nó.")
        rest = [s for s in ordered if s not in moving]
        anchor_tree: list[Section] = []
        if after is None:
            section.parent_id, at = None, 0
        else:
            anchor = next(s for s in rest if s.pk == after.pk)
            section.parent_id = anchor.parent_id
            anchor_tree = _subtree(rest, anchor)
            at = rest.index(anchor_tree[-1]) + 1
        new_order = rest[:at] + moving + rest[at:]
        _renumber_sections(new_order)
        _carry_tasks(plan, new_order, moving, anchor_tree)
        record("section.draft_moved", actor=user, obj=plan, request=request,
               changes={"ref": section.ref, "after": after.ref if after else None})
    return section


def _carry_tasks(plan: Plan, new_order: list[Section], moving: list[Section], anchor_tree: list[Section]) -> None:
    """The tasks of a moved subtree go with it in the plan's order (the order the review and the export print):
    right after the last task of the section it now follows (with that section's sub-sections), or, when that one
    has no task, before the first task of a section the outline now puts after the subtree. The carried tasks keep
    their order among themselves, the others theirs; only the rows whose place changes are written."""
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "pk").only("pk", "order", "section_id", "block_ref"))
    moving_ids = {s.pk for s in moving}
    carried = [t for t in tasks if t.section_id in moving_ids]
    if not carried:
        return
    rest = [t for t in tasks if t.section_id not in moving_ids]
    anchor_ids = {s.pk for s in anchor_tree}
    under_anchor = [k for k, t in enumerate(rest) if t.section_id in anchor_ids]
    if under_anchor:
        at = under_anchor[-1] + 1
    else:
        place = {s.pk: i for i, s in enumerate(new_order)}
        last = place[moving[-1].pk]
        at = next((k for k, t in enumerate(rest) if place.get(t.section_id, -1) > last), len(rest))
    placed = rest[:at] + carried + rest[at:]
    changed = []
    for task, order in zip(placed, sorted(t.order for t in tasks)):
        if task.order != order:
            task.order = order
            changed.append(task)
    Task.objects.bulk_update(changed, ["order"])
    # A block whose tasks were split between sections (a task moved to another section) is numbered again.
    kept_blocks = {t.block_ref for t in rest}
    for block_ref in {t.block_ref for t in carried} & kept_blocks:
        _renumber_block(plan.pk, block_ref)


def do_delete_section(section: Section, *, user=None, request=None) -> None:
    """Remove a section heading the parser invented: its tasks and sub-sections go up to its parent."""
    with _step(section.plan_id, f"Xóa mục {section.ref}", user) as plan:
        section = Section.objects.get(pk=section.pk, plan=plan)
        Task.objects.filter(section=section).update(section_id=section.parent_id)
        Section.objects.filter(parent=section).update(parent_id=section.parent_id)
        record("section.draft_deleted", actor=user, obj=plan, request=request,
               changes={"ref": section.ref, "title": section.title})
        section.delete()
        _renumber_sections(outline(plan))
