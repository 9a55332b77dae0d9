import datetime as dt

import pytest

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans import actions
from dondoc.plans import draft as editing
from dondoc.plans.changes import revision_diff
from dondoc.plans.models import Assignment, Plan, PlanStatus, Task


@pytest.fixture
def draft(structure, users):
    return actions.import_structure(structure, user=users[Role.COORDINATOR], source_name="kh12.txt", text="x" * 400)


def test_import_creates_a_draft_with_sections_and_refs(draft, orgs):
    assert draft.status == PlanStatus.DRAFT and draft.number == "12/KH-UBND"
    assert draft.issued_on == dt.date(2024, 5, 6)
    assert list(draft.sections.values_list("ref", flat=True)) == ["II", "1", "III"]
    assert draft.sections.get(ref="1").parent.ref == "II"
    refs = list(draft.tasks.values_list("ref", flat=True))
    assert refs == ["1.1#1", "1.1#2", "1.2#1", "1.2#2", "1.3#1", "III.2#1", "III.2#2", "III.1#1"]
    first = draft.tasks.get(ref="1.1#1")
    assert first.deadline_date == dt.date(2024, 9, 30) and first.cited_documents == ["01/NQ-CP"]
    assert (first.span_start, first.span_end) == (20, 60)
    assert draft.tasks.get(ref="1.1#2").recurrence == "quarterly"
    assert Assignment.objects.filter(task__plan=draft).count() == 0  # nothing assigned before publish
    assert Event.objects.filter(action="plan.imported", object_id=str(draft.pk)).exists()


def test_import_finds_the_coordinator_and_the_report_dates(draft, orgs):
    assert draft.coordinating_agency == orgs["skhdt"]
    assert draft.coordinator_report_date == dt.date(2024, 12, 15)
    assert draft.agency_report_date == dt.date(2024, 12, 10)


def test_vague_lead_is_flagged_at_import(draft):
    assert draft.tasks.get(ref="1.3#1").needs_lead is True
    assert draft.tasks.get(ref="1.2#1").needs_lead is False


def test_publish_expands_groups_and_sends_vague_leads_to_the_coordinator(draft, orgs, users):
    actions.do_publish_plan(draft, user=users[Role.COORDINATOR])
    draft.refresh_from_db()
    assert draft.status == PlanStatus.PUBLISHED and draft.published_at is not None

    def leads(ref):
        return {a.agency.code for a in Assignment.objects.filter(task__plan=draft, task__ref=ref, role="lead")}

    assert leads("1.1#1") == {"syt"}
    district_codes = {"ubnd-tptq", "ubnd-nahang", "ubnd-lambinh", "ubnd-chiemhoa", "ubnd-hamyen", "ubnd-yenson", "ubnd-sonduong"}
    assert leads("1.2#1") == district_codes
    via = Assignment.objects.filter(task__ref="1.2#1", task__plan=draft, role="lead").values_list("via_group__code", flat=True)
    assert set(via) == {"ubnd-huyen-thanh-pho"}  # each member remembers the group it came through
    assert leads("1.2#2") == {"ubnd-nahang"}  # the bullet's own lead overrides the block's group
    assert leads("1.3#1") == {"skhdt"}
    vague = Task.objects.get(plan=draft, ref="1.3#1")
    assert vague.needs_lead is True
    assert Assignment.objects.get(task=vague).provisional is True
    coordinating = {a.agency.code for a in Assignment.objects.filter(task__plan=draft, task__ref="1.1#1", role="coordinating")}
    assert coordinating == {"stc"}
    # "cơ quan, đơn vị liên quan" as a partner stays text on the task and assigns nobody.
    assert not Assignment.objects.filter(task__plan=draft, task__ref="1.2#1", role="coordinating").exists()
    assert Event.objects.filter(action="plan.published", object_id=str(draft.pk)).exists()


def test_publish_refuses_unknown_names_and_lists_them(structure, users, orgs):
    structure["assignments"][0]["tasks"][0]["coordinating"] = ["Sở Không Tồn Tại"]
    structure["assignments"][0]["lead"] = ["Ban Chưa Có"]
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR])
    with pytest.raises(actions.PlanError) as err:
        actions.do_publish_plan(plan)
    assert set(err.value.details) == {"Sở Không Tồn Tại", "Ban Chưa Có"}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not Assignment.objects.filter(task__plan=plan).exists()  # nothing half-written


def test_publish_allow_unresolved_gives_the_task_to_the_coordinator(structure, users, orgs):
    structure["assignments"][0]["lead"] = ["Ban Chưa Có"]
    plan = actions.import_structure(structure, user=users[Role.COORDINATOR])
    actions.do_publish_plan(plan, allow_unresolved=True)
    task = Task.objects.get(plan=plan, ref="1.1#1")
    assert task.needs_lead and [a.agency.code for a in task.assignments.filter(role="lead")] == ["skhdt"]


def test_publish_twice_is_refused(draft):
    actions.do_publish_plan(draft)
    with pytest.raises(actions.PlanError):
        actions.do_publish_plan(draft)


def test_reimport_of_a_published_number_is_a_revision_that_replaces_it(draft, structure, users):
    actions.do_publish_plan(draft)
    revision = actions.import_structure(structure, user=users[Role.COORDINATOR])
    assert revision.revision_of == draft
    actions.do_publish_plan(revision)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUPERSEDED
    assert Plan.objects.filter(number="12/KH-UBND", status=PlanStatus.PUBLISHED).get() == revision


def test_edit_draft_task_and_conflict(draft, users, orgs):
    task = draft.tasks.get(ref="1.3#1")
    v = task.version
    edited = editing.do_edit_draft_task(task, version=v, changes={"lead_names": ["Sở Tài chính"]}, user=users[Role.COORDINATOR])
    assert edited.needs_lead is False and edited.version == v + 1
    # A second coordinator saving from the old version is refused; the first save stays.
    with pytest.raises(editing.ConflictError):
        editing.do_edit_draft_task(task, version=v, changes={"lead_names": ["Sở Y tế"]}, user=users[Role.ADMIN])
    task.refresh_from_db()
    assert task.lead_names == ["Sở Tài chính"]
    assert Event.objects.filter(action="task.draft_edited", object_id=str(task.pk)).count() == 1


def test_published_plan_tasks_are_not_edited_as_drafts(draft):
    actions.do_publish_plan(draft)
    task = draft.tasks.first()
    with pytest.raises(actions.PlanError):
        editing.do_edit_draft_task(task, version=task.version, changes={"text": "x"})


def test_split_keeps_leads_and_renumbers_the_block(draft):
    task = draft.tasks.get(ref="1.1#1")
    first, second = editing.do_split_task(task, ["Triển khai bệnh án điện tử", "tại các bệnh viện tuyến tỉnh"],
                                          version=task.version)
    assert [t.text for t in draft.tasks.filter(block_ref="1.1").order_by("order")] == [
        "Triển khai bệnh án điện tử", "tại các bệnh viện tuyến tỉnh", "Báo cáo kết quả hằng quý"]
    assert list(draft.tasks.filter(block_ref="1.1").order_by("order").values_list("ref", flat=True)) == ["1.1#1", "1.1#2", "1.1#3"]
    second.refresh_from_db()
    assert second.lead_names == ["Sở Y tế"] and second.section == task.section
    # The plan's order stays a single sequence: the next block's tasks come after.
    orders = list(draft.tasks.order_by("order").values_list("ref", flat=True))
    assert orders.index("1.1#3") < orders.index("1.2#1")
    with pytest.raises(actions.PlanError):
        editing.do_split_task(draft.tasks.get(ref="1.2#1"), ["chỉ một phần"])


def test_merge_with_next_joins_text_leads_and_deadline(draft):
    task = draft.tasks.get(ref="1.2#1")
    merged = editing.do_merge_with_next(task, version=task.version)
    assert merged.text == "Phổ cập kỹ năng số cho người dân. Hoàn thành lắp đặt hệ thống tại huyện Na Hang."  # as sentences
    assert merged.lead_names == ["Ủy ban nhân dân huyện, thành phố", "Ủy ban nhân dân huyện Na Hang"]
    assert list(draft.tasks.filter(block_ref="1.2").values_list("ref", flat=True)) == ["1.2#1"]
    with pytest.raises(actions.PlanError):
        editing.do_merge_with_next(merged)  # last of its block


def test_add_and_move(draft):
    after = draft.tasks.get(ref="1.1#2")
    new = editing.do_add_task(draft, text="Tập huấn cán bộ y tế", lead_names=["Sở Y tế"], after=after)
    assert new.ref == "1.1#3" and new.section == after.section and not new.needs_lead
    section_iii = draft.sections.get(ref="III")
    moved = editing.do_move_task(new, section_iii, version=new.version)
    assert moved.section == section_iii
    with pytest.raises(actions.PlanError):
        editing.do_add_task(draft, text="  ", lead_names=[])


def test_revision_diff_lists_added_removed_and_changed(draft, structure, users):
    actions.do_publish_plan(draft)
    structure["assignments"][0]["tasks"][0]["text"] = "Triển khai bệnh án điện tử tại mọi bệnh viện"
    del structure["assignments"][2]
    structure["assignments"][1]["tasks"].append({"text": "Nhiệm vụ mới", "coordinating": [], "deadline": None,
                                                 "targets": [], "refs": [], "span": None})
    revision = actions.import_structure(structure, user=users[Role.COORDINATOR])
    diff = revision_diff(revision)
    assert [t.ref for t in diff.added] == ["1.2#3"]
    assert [t.ref for t in diff.removed] == ["1.3#1"]
    assert [(c.ref, [(f.field, f.old, f.new) for f in c.fields]) for c in diff.changed] == [
        ("1.1#1", [("text", "Triển khai bệnh án điện tử tại các bệnh viện", "Triển khai bệnh án điện tử tại mọi bệnh viện")])]


def test_publishing_tells_each_agency_what_it_was_given(structure, users, make_user, orgs):
    from dondoc.tracking.models import Notification

    focal = make_user("syt.cb", Role.FOCAL, orgs["syt"])
    outsider = make_user("tu.cb", Role.FOCAL, orgs["tinh-uy"])
    plan = actions.do_publish_plan(actions.import_structure(structure, user=users[Role.COORDINATOR]))
    # Sở Y tế leads 1.1#1 and 1.1#2, and III.1#1 through "Giám đốc các sở"; it coordinates nothing.
    assert Notification.objects.get(user=focal).text == f"Kế hoạch số {plan.number} giao cơ quan chủ trì 3 nhiệm vụ"
    # Sở Tài chính (the users fixture's agency) leads III.1#1 and coordinates 1.1#1.
    assert Notification.objects.get(user=users[Role.FOCAL]).text == \
        f"Kế hoạch số {plan.number} giao cơ quan chủ trì 1 nhiệm vụ và phối hợp 1 nhiệm vụ"
    assert not Assignment.objects.filter(agency=orgs["tinh-uy"]).exists()
    assert not Notification.objects.filter(user=outsider).exists()
    assert not Notification.objects.filter(user=users[Role.LEADER]).exists()  # only agency people
