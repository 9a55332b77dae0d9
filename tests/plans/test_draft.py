"""Review actions on a draft (plans/draft.py): merge any tasks, split at a point, add from the source text, the
outline, "reviewed" marks, and undo."""

import pytest

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans import actions
from dondoc.plans import draft as editing
from dondoc.plans.models import DraftStep, Section, Task

from .conftest import make_structure

SOURCE = (
    "KẾ HOẠCH\nThực hiện chuyển đổi số năm 2024\n"
    "II. NHIỆM VỤ, GIẢI PHÁP\n1. Hạ tầng số\n"
    "- Triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh và tuyến huyện.\n"
    "- Sở Tài chính chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí cho chuyển đổi số.\n"
    "- Tăng cường tập huấn cán bộ y tế về kỹ năng số.\n"
)


def _span(text):
    start = SOURCE.index(text)
    return [start, start + len(text)]


@pytest.fixture
def draft(structure, users):
    return actions.import_structure(structure, user=users[Role.COORDINATOR], source_name="kh12.txt", text="x" * 400)


@pytest.fixture
def sourced(orgs, users):
    """A draft with its source text: the parser read the first and third sentences and missed the second."""
    first = "Triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh và tuyến huyện."
    third = "Tăng cường tập huấn cán bộ y tế về kỹ năng số."
    structure = make_structure(assignments=[
        {"ref": "1.1", "section": "1", "heading": "Sở Y tế", "lead": ["Sở Y tế"], "lead_kind": "agency",
         "tasks": [{"text": first, "coordinating": [], "deadline": None, "targets": [], "refs": [], "span": _span(first)},
                   {"text": third, "coordinating": [], "deadline": None, "targets": [], "refs": [], "span": _span(third)}]},
    ])
    return actions.import_structure(structure, user=users[Role.COORDINATOR], text=SOURCE)


def _texts(plan):
    return list(plan.tasks.order_by("order").values_list("text", flat=True))


def test_any_selected_tasks_merge_as_sentences_in_the_place_of_the_first(draft, users):
    a, b = draft.tasks.get(ref="1.1#1"), draft.tasks.get(ref="1.2#2")  # different blocks, not neighbours
    before = draft.tasks.count()
    merged = editing.do_merge_tasks([b, a], user=users[Role.COORDINATOR])
    assert merged.pk == a.pk and merged.ref == "1.1#1"
    assert merged.text == ("Triển khai bệnh án điện tử tại các bệnh viện. "
                           "Hoàn thành lắp đặt hệ thống tại huyện Na Hang.")
    assert merged.lead_names == ["Sở Y tế", "Ủy ban nhân dân huyện Na Hang"]
    assert merged.coordinating_names == ["Sở Tài chính"] and merged.deadline_text == "trước ngày 30/9/2024"
    assert draft.tasks.count() == before - 1 and not Task.objects.filter(pk=b.pk).exists()
    assert list(draft.tasks.filter(block_ref="1.2").values_list("ref", flat=True)) == ["1.2#1"]
    assert Event.objects.filter(action="task.draft_merged", object_id=str(a.pk)).exists()


def test_merge_needs_two_tasks_of_one_plan(draft, users, structure):
    with pytest.raises(actions.PlanError):
        editing.do_merge_tasks([draft.tasks.first()])
    other = actions.import_structure(make_structure(document={**structure["document"], "number": "99/KH-UBND"}))
    with pytest.raises(actions.PlanError):
        editing.do_merge_tasks([draft.tasks.first(), other.tasks.first()])
    assert not DraftStep.objects.exists()  # a refused step leaves nothing to undo


def test_split_at_the_cursor_keeps_each_part_on_its_sentence(sourced):
    task = sourced.tasks.get(ref="1.1#1")
    at = task.text.index("và tuyến huyện")
    first, second = editing.do_split_task(task, editing.split_parts(task.text, at), version=task.version)
    assert first.text == "Triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh"
    assert second.text == "và tuyến huyện." and second.ref == "1.1#2" and second.lead_names == ["Sở Y tế"]
    assert SOURCE[first.span_start:first.span_end].strip() == first.text
    assert SOURCE[second.span_start:second.span_end] == "và tuyến huyện."


def test_split_without_a_cut_is_refused(sourced):
    task = sourced.tasks.get(ref="1.1#1")
    for at in (None, 0, len(task.text)):
        with pytest.raises(actions.PlanError):
            editing.do_split_task(task, editing.split_parts(task.text, at))
    assert _texts(sourced)[0] == task.text


def test_a_sentence_selected_in_the_source_becomes_a_task_with_the_lead_it_names(sourced, users):
    start = SOURCE.index("- Sở Tài chính")  # the selection takes the item's dash too
    end = SOURCE.index("chuyển đổi số.") + len("chuyển đổi số.")
    task = editing.do_add_task_from_source(sourced, start, end, user=users[Role.COORDINATOR])
    assert task.text == "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí cho chuyển đổi số."
    assert task.lead_names == ["Sở Tài chính"] and task.coordinating_names == ["Sở Nội vụ"]
    assert not task.needs_lead and task.reviewed_at is not None and task.parse_confidence is None
    assert SOURCE[task.span_start:task.span_end] == task.text
    # In the plan's order where the text has it: between the two sentences the parser read.
    assert [t.ref for t in sourced.tasks.order_by("order")] == ["1.1#1", "1.1#2", "1.1#3"]
    assert _texts(sourced)[1] == task.text


def test_a_selection_naming_no_agency_takes_the_lead_of_the_task_before_it(sourced):
    third = sourced.tasks.get(ref="1.1#2")
    start = SOURCE.index("Tăng cường")
    task = editing.do_add_task_from_source(sourced, start, start + len("Tăng cường tập huấn cán bộ y tế"))
    third.refresh_from_db()
    assert task.lead_names == ["Sở Y tế"] and task.order == third.order + 1


@pytest.mark.parametrize("start, end", [(-1, 5), (10, 5), (0, len(SOURCE) + 1), (SOURCE.index("- Sở"), SOURCE.index("- Sở") + 2)])
def test_a_selection_outside_the_text_or_without_words_is_refused(sourced, start, end):
    before = sourced.tasks.count()
    with pytest.raises(actions.PlanError):
        editing.do_add_task_from_source(sourced, start, end)
    assert sourced.tasks.count() == before and not DraftStep.objects.exists()


def test_undo_puts_back_each_step_in_turn(draft, users):
    original = {t.pk: (t.ref, t.text, t.order) for t in draft.tasks.all()}
    a = draft.tasks.get(ref="1.2#1")
    merged = editing.do_merge_with_next(a, user=users[Role.COORDINATOR])
    editing.do_delete_draft_task(merged)
    assert editing.last_step(draft).label == "Xóa nhiệm vụ 1.2#1"
    assert editing.do_undo(draft, user=users[Role.COORDINATOR]) == "Xóa nhiệm vụ 1.2#1"
    assert draft.tasks.get(pk=a.pk).text.startswith("Phổ cập kỹ năng số cho người dân. Hoàn thành")
    assert editing.do_undo(draft) == "Gộp 2 nhiệm vụ"
    assert {t.pk: (t.ref, t.text, t.order) for t in draft.tasks.all()} == original
    with pytest.raises(actions.PlanError, match="Không còn thao tác"):
        editing.do_undo(draft)
    assert Event.objects.filter(action="plan.draft_undone").count() == 2


def test_undo_gives_new_versions_and_keeps_the_reviewed_marks(draft):
    task = draft.tasks.get(ref="1.1#1")
    edited = editing.do_edit_draft_task(task, version=task.version, changes={"text": "Nội dung đã sửa"})
    other = draft.tasks.get(ref="1.3#1")
    editing.do_mark_reviewed(draft, [other.pk])
    editing.do_undo(draft)
    task.refresh_from_db()
    other.refresh_from_db()
    assert task.text == "Triển khai bệnh án điện tử tại các bệnh viện" and task.version > edited.version
    assert other.reviewed_at is not None  # a mark is not a step
    with pytest.raises(editing.ConflictError):  # an editor opened on the undone version cannot save over it
        editing.do_edit_draft_task(task, version=edited.version, changes={"text": "x"})


def test_undo_puts_back_a_deleted_section_with_its_tasks(draft):
    section = draft.sections.get(ref="1")
    tasks = set(draft.tasks.filter(section=section).values_list("pk", flat=True))
    editing.do_delete_section(section)
    assert not draft.sections.filter(ref="1").exists()
    assert set(draft.tasks.filter(section__ref="II").values_list("pk", flat=True)) == tasks  # up to its parent
    editing.do_undo(draft)
    assert set(draft.tasks.filter(section__ref="1").values_list("pk", flat=True)) == tasks
    assert draft.sections.get(ref="1").parent.ref == "II"


def test_the_undo_stack_is_bounded(draft):
    task = draft.tasks.get(ref="1.1#1")
    for i in range(editing.UNDO_DEPTH + 5):
        task = editing.do_edit_draft_task(task, version=task.version, changes={"text": f"Lần sửa {i}"})
    assert DraftStep.objects.filter(plan=draft).count() == editing.UNDO_DEPTH


def _refs(plan):
    return [s.ref for s in editing.outline(plan)]


def test_sections_are_added_renamed_moved_with_their_subtree_and_deleted(draft, users):
    assert _refs(draft) == ["II", "1", "III"]
    ii = draft.sections.get(ref="II")
    new = editing.do_add_section(draft, ref="2", title="Nhân lực số", after=draft.sections.get(ref="1"))
    assert _refs(draft) == ["II", "1", "2", "III"] and new.parent == ii
    with pytest.raises(actions.PlanError, match="đã có mục số 2"):
        editing.do_add_section(draft, ref="2", title="Trùng số")
    editing.do_rename_section(draft.sections.get(ref="1"), ref="1", title="Hạ tầng số và dữ liệu")
    assert draft.sections.get(ref="1").title == "Hạ tầng số và dữ liệu"
    editing.do_move_section(ii, after=draft.sections.get(ref="III"))  # II goes below III, with 1 and 2 under it
    assert _refs(draft) == ["III", "II", "1", "2"]
    with pytest.raises(actions.PlanError):
        editing.do_move_section(ii, after=new)  # into its own subtree
    editing.do_move_section(draft.sections.get(ref="2"), after=None)
    assert _refs(draft) == ["2", "III", "II", "1"] and draft.sections.get(ref="2").parent is None
    with pytest.raises(actions.PlanError):
        editing.do_add_section(draft, ref=" ", title="Không số")
    kinds = set(Event.objects.filter(action__startswith="section.").values_list("action", flat=True))
    assert kinds == {"section.draft_added", "section.draft_renamed", "section.draft_moved"}


def _sections_of_tasks(plan):
    """The plan's order of tasks, each as its section's number."""
    return list(plan.tasks.order_by("order").values_list("section__ref", flat=True))


def test_a_moved_section_takes_its_tasks_along_in_the_plans_order(draft):
    assert _sections_of_tasks(draft) == ["1"] * 5 + ["III"] * 3
    refs = list(draft.tasks.order_by("order").values_list("ref", flat=True))
    editing.do_move_section(draft.sections.get(ref="II"), after=draft.sections.get(ref="III"))
    assert _sections_of_tasks(draft) == ["III"] * 3 + ["1"] * 5  # II's sub-section 1 and its tasks went below III
    assert list(draft.tasks.order_by("order").values_list("ref", flat=True)) == refs[5:] + refs[:5]  # each run as it was
    editing.do_undo(draft)
    assert list(draft.tasks.order_by("order").values_list("ref", flat=True)) == refs
    # After a section with no task: before the tasks of the section the outline now puts after it.
    new = editing.do_add_section(draft, ref="2", title="Nhân lực số", after=draft.sections.get(ref="1"))
    editing.do_move_section(draft.sections.get(ref="III"), after=None)
    assert _refs(draft) == ["III", "II", "1", "2"] and _sections_of_tasks(draft) == ["III"] * 3 + ["1"] * 5
    moved = draft.tasks.filter(section__ref="III").first()
    editing.do_move_task(moved, new)
    editing.do_move_section(new, after=draft.sections.get(ref="III"))  # 2, now with one task, goes to the top level
    assert _refs(draft) == ["III", "2", "II", "1"]
    assert _sections_of_tasks(draft) == ["III"] * 2 + ["2"] + ["1"] * 5


def test_reviewed_marks_count_and_an_edit_marks_its_task(draft, users):
    ids = list(draft.tasks.values_list("pk", flat=True)[:3])
    assert editing.do_mark_reviewed(draft, ids, user=users[Role.COORDINATOR]) == 3
    assert editing.do_mark_reviewed(draft, ids) == 0  # already marked: nothing recorded twice
    assert draft.tasks.filter(reviewed_at__isnull=False).count() == 3
    editing.do_mark_reviewed(draft, ids[:1], reviewed=False)
    assert draft.tasks.filter(reviewed_at__isnull=False).count() == 2
    task = draft.tasks.exclude(pk__in=ids).first()
    editing.do_edit_draft_task(task, version=task.version, changes={"text": task.text})  # looked at, unchanged
    task.refresh_from_db()
    assert task.reviewed_at is not None and not DraftStep.objects.exists()


def test_a_published_plan_takes_no_review_action(draft):
    actions.do_publish_plan(draft)
    task, section = draft.tasks.first(), draft.sections.first()
    for attempt in (lambda: editing.do_merge_tasks(list(draft.tasks.all()[:2])),
                    lambda: editing.do_mark_reviewed(draft, [task.pk]),
                    lambda: editing.do_add_section(draft, ref="IX", title="Mới"),
                    lambda: editing.do_delete_section(section),
                    lambda: editing.do_undo(draft)):
        with pytest.raises(actions.PlanError):
            attempt()
    assert Section.objects.filter(pk=section.pk).exists()
