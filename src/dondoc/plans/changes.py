"""What a new version of a plan's task list changes, task by task and field by field: the one comparison.

The review page of a revision (`revision_diff`) and the preview of a task sheet sent back (plans.sheets) both call
`compare`. Tasks are matched by ref. Each field is compared on a normalised value, so that a task is never reported
changed with the same words on both sides:

- texts (the task, its expected output, its targets) with their spaces collapsed, in Unicode NFC;
- agency names as a set of names, spaces collapsed, case folded (the order of names in a cell assigns nothing);
- the deadline as its date, its recurrence, and its text as the appendix prints it (`excel.deadline_cell`: the
  first letter capitalised, a date printed where there is no text), case folded;
- the section by its ref; the order by the task's place among the tasks on both sides: a task added or removed
  moves no other, and of tasks moved only those out of the longest run kept in order are reported.

The agencies of a published plan are compared as its task sheet prints them (`excel.current_names`): the names
its assignments give now, so an amendment already made is not reported again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from dondoc.core.text import nfc

from .excel import current_names, deadline_cell
from .models import Plan, Recurrence, Section, Task

# (field, label), in the order a change lists them.
FIELDS = (
    ("text", "Nội dung nhiệm vụ"), ("lead_names", "Cơ quan chủ trì"), ("coordinating_names", "Cơ quan phối hợp"),
    ("deadline_date", "Thời hạn (ngày)"), ("deadline_text", "Thời hạn (như văn bản ghi)"), ("recurrence", "Định kỳ"),
    ("targets", "Chỉ tiêu"), ("expected_output", "Sản phẩm"), ("section", "Mục"), ("order", "Số thứ tự"),
)
LABELS = dict(FIELDS)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str  # as shown to the user ("" for nothing)
    new: str


@dataclass
class TaskChange:
    ref: str
    old: Task
    new: Task
    fields: list[FieldChange]


@dataclass
class Diff:
    added: list[Task] = field(default_factory=list)
    removed: list[Task] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)
    sections: list[FieldChange] = field(default_factory=list)  # a section's title changed (field: its ref)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.sections)

    @property
    def field_count(self) -> int:
        return sum(len(c.fields) for c in self.changed)


@dataclass
class TaskList:
    """A plan's tasks in order, its sections, and the agencies each task is compared by (leads, partners)."""

    tasks: list[Task]
    sections: list[Section]
    names: list[tuple[list[str], list[str]]] = field(default_factory=list)

    def __post_init__(self):
        if not self.names:
            self.names = [(list(t.lead_names), list(t.coordinating_names)) for t in self.tasks]


def task_list(plan: Plan) -> TaskList:
    """A saved plan's task list, its agencies as its task sheet prints them."""
    tasks = list(plan.tasks.select_related("section").order_by("order", "id"))
    names = current_names(plan, tasks)
    return TaskList(tasks, list(plan.sections.order_by("order")),
                    [(names[t.pk][0], names[t.pk][1]) for t in tasks])


def _words(value) -> str:
    return " ".join(nfc(str(value or "")).split())


def _names_key(names) -> tuple:
    return tuple(sorted({_words(n).casefold() for n in names if _words(n)}))


def _show_date(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _show_section(section: Section | None) -> str:
    return f"{section.ref}. {_words(section.title)}".strip() if section is not None else ""


def _facts(task: Task, names: tuple[list[str], list[str]]) -> dict[str, tuple]:
    """field -> (the value compared, the value shown), for every field but the order."""
    leads, partners = names
    printed = deadline_cell(task)
    targets = [_words(t.get("text", "")) for t in task.targets or []]
    return {
        "text": (_words(task.text), task.text),
        "lead_names": (_names_key(leads), "; ".join(leads)),
        "coordinating_names": (_names_key(partners), "; ".join(partners)),
        "deadline_date": (task.deadline_date, _show_date(task.deadline_date)),
        "deadline_text": (_words(printed).casefold(), printed),
        "recurrence": (task.recurrence or "", Recurrence(task.recurrence).label if task.recurrence else ""),
        "targets": (tuple(targets), "; ".join(targets)),
        "expected_output": (_words(task.expected_output), task.expected_output),
        "section": (task.section.ref if task.section is not None else "", _show_section(task.section)),
    }


def _kept_in_order(sequence: list[int]) -> set[int]:
    """The indexes (into `sequence`) of a longest increasing run of its values: the tasks that kept their order."""
    tails: list[int] = []  # tails[k]: the index ending the best run of length k + 1 found so far
    tail_values: list[int] = []
    previous = [-1] * len(sequence)
    for i, value in enumerate(sequence):
        k = bisect.bisect_left(tail_values, value)
        if k:
            previous[i] = tails[k - 1]
        if k == len(tails):
            tails.append(i)
            tail_values.append(value)
        else:
            tails[k], tail_values[k] = i, value
    kept, i = set(), tails[-1] if tails else -1
    while i >= 0:
        kept.add(i)
        i = previous[i]
    return kept


def compare(old: TaskList, new: TaskList) -> Diff:
    """What `new` changes against `old`: tasks added and removed (by ref), and for each task on both sides only the
    fields whose normalised values differ, old -> new."""
    old_at = {t.ref: i for i, t in enumerate(old.tasks)}
    new_at = {t.ref: i for i, t in enumerate(new.tasks)}
    diff = Diff(added=[t for t in new.tasks if t.ref not in old_at], removed=[t for t in old.tasks if t.ref not in new_at])
    common = [t.ref for t in new.tasks if t.ref in old_at]
    kept = _kept_in_order([old_at[ref] for ref in common])
    moved = {ref for i, ref in enumerate(common) if i not in kept}
    for ref in common:
        i, j = old_at[ref], new_at[ref]
        before, after = _facts(old.tasks[i], old.names[i]), _facts(new.tasks[j], new.names[j])
        fields = [FieldChange(name, LABELS[name], before[name][1], after[name][1])
                  for name, _ in FIELDS if name != "order" and before[name][0] != after[name][0]]
        if ref in moved:
            fields.append(FieldChange("order", LABELS["order"], str(i + 1), str(j + 1)))
        if fields:
            diff.changed.append(TaskChange(ref, old.tasks[i], new.tasks[j], fields))
    # A section's title; a section on one side only shows in its tasks' "Mục" (a sheet prints no empty section).
    old_sections = {s.ref: s for s in old.sections}
    for after in new.sections:
        before = old_sections.get(after.ref)
        if before is not None and _words(before.title) != _words(after.title):
            diff.sections.append(FieldChange(after.ref, f"Mục {after.ref}", _words(before.title), _words(after.title)))
    return diff


def revision_diff(draft: Plan) -> Diff | None:
    """What a revision changes against the published plan it replaces; None for a draft that replaces nothing."""
    if draft.revision_of_id is None:
        return None
    return compare(task_list(draft.revision_of), task_list(draft))
