"""A task's history, every kind of event × every kind of person (tracking/access.visible_history), through the API
and the assignment page: scoped directions stay with their agency, another agency's work stays with it, a draft's
edits stay with the drafting roles."""

import datetime as dt

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.audit.labels import LABELS
from dondoc.audit.models import Event
from dondoc.orgs.models import Agency
from dondoc.plans import actions as plan_actions
from dondoc.plans import draft as plan_draft
from dondoc.tracking import actions
from tests.plans.conftest import make_structure

ROLES = ["admin", "leader", "coordinator", "viewer", "lead_head", "lead_focal", "partner_head", "partner_focal",
         "other_head", "other_focal"]
OVERSIGHT = {"admin", "leader", "coordinator", "viewer"}
DRAFTERS = {"admin", "coordinator"}
LEAD = {"lead_head", "lead_focal"}  # Sở Y tế leads 1.1#1
PARTNER = {"partner_head", "partner_focal"}  # Sở Tài chính coordinates it
OTHER = {"other_head", "other_focal"}  # Sở Công Thương: nothing to do with it
EVERYONE_ON_IT = OVERSIGHT | LEAD | PARTNER

# The kinds of event a task's history holds: each must be produced below and placed in the table.
HISTORY_PREFIXES = ("task.", "update.", "claim.", "extension.", "direction.", "assignment.")


@pytest.fixture
def history(people, lead, partner, settings):
    """Every kind of event on task 1.1#1, each tagged with who may read it."""
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    task = lead.task
    seen = []  # (event, roles that may read it)

    def mark(roles):
        seen.append((Event.objects.latest("id"), frozenset(roles)))

    update = actions.do_post_update(lead, people["lead_focal"], text="Lead progress")
    mark(OVERSIGHT | LEAD)
    actions.do_withdraw_update(update, people["lead_head"], reason="Nhầm")
    mark(OVERSIGHT | LEAD)
    actions.do_post_update(partner, people["partner_focal"], text="Partner progress")
    mark(OVERSIGHT | PARTNER)
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 20))
    mark(OVERSIGHT | LEAD)
    actions.do_return(claim, people["coordinator"], reason="Thiếu văn bản")
    mark(OVERSIGHT | LEAD)
    ext = actions.do_request_extension(lead, people["lead_head"], new_deadline=dt.date(2024, 11, 30), reason="Chờ vốn")
    mark(OVERSIGHT | LEAD)
    actions.do_decide_extension(ext, people["leader"], approve=False)
    mark(OVERSIGHT | LEAD)
    ext = actions.do_request_extension(lead, people["lead_head"], new_deadline=dt.date(2024, 12, 15), reason="Chờ vốn")
    mark(OVERSIGHT | LEAD)
    actions.do_decide_extension(ext, people["coordinator"], approve=True)
    mark(OVERSIGHT | LEAD)
    actions.do_assign_person(lead, people["lead_head"], people["lead_focal"])
    mark(OVERSIGHT | LEAD)
    general = actions.do_give_direction(task, people["leader"], text="Chỉ đạo chung")
    mark(EVERYONE_ON_IT)
    to_lead = actions.do_give_direction(task, people["leader"], text="Chỉ đạo riêng Sở Y tế", agency=lead.agency)
    mark(OVERSIGHT | LEAD)
    actions.do_give_direction(task, people["admin"], text="Chỉ đạo riêng Sở Tài chính", agency=partner.agency)
    mark(OVERSIGHT | PARTNER)
    actions.do_acknowledge(general, people["lead_focal"])
    mark(OVERSIGHT | LEAD)
    actions.do_acknowledge(general, people["partner_focal"])
    mark(OVERSIGHT | PARTNER)
    actions.do_acknowledge(to_lead, people["lead_head"])
    mark(OVERSIGHT | LEAD)
    snv = Agency.objects.get(code="snv")
    actions.do_set_agency(task, people["coordinator"], agency=snv, role="coordinating", add=True)
    mark(EVERYONE_ON_IT)
    actions.do_set_agency(task, people["coordinator"], agency=snv, role="coordinating", add=False)
    mark(EVERYONE_ON_IT)
    task.refresh_from_db()
    actions.do_amend_task(task, people["coordinator"], version=task.version, text="Nội dung điều chỉnh")
    mark(EVERYONE_ON_IT)
    claim = actions.do_claim(lead, people["lead_focal"], completed_on=dt.date(2024, 10, 1))
    mark(OVERSIGHT | LEAD)
    actions.do_confirm(claim, people["admin"])
    mark(OVERSIGHT | LEAD)
    actions.do_cancel_task(task, people["coordinator"], reason="Trùng nhiệm vụ")
    mark(EVERYONE_ON_IT)
    return task, seen


@pytest.fixture
def draft(people):
    """A draft plan whose first task was edited by the coordinator: its history is the drafting roles'."""
    plan = plan_actions.import_structure(make_structure(document={"number": "13/KH-UBND", "date": "2024-06-01"}),
                                         user=people["coordinator"])
    task = plan.tasks.order_by("order").first()
    plan_draft.do_edit_draft_task(task, version=task.version, changes={"text": "Bản nháp đã sửa"},
                                    user=people["coordinator"])
    section = plan.sections.exclude(pk=task.section_id).first()
    task = plan_draft.do_move_task(task, section, user=people["coordinator"])
    plan_draft.do_split_task(task, ["Phần một", "Phần hai"], user=people["coordinator"])
    plan_draft.do_merge_with_next(task, user=people["coordinator"])
    plan_draft.do_add_task(plan, text="Thêm mới", lead_names=["Sở Y tế"], after=task, user=people["coordinator"])
    return task


@pytest.fixture
def bearer(people):
    def make(role):
        _, raw = account_actions.do_create_token(people[role])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


def test_every_history_kind_is_produced(history, draft, people, lead):
    """The table above covers every kind of event a task or an assignment can hold."""
    from dondoc.plans import cascade

    # A task of an agency's implementation plan: its link to the plan above is set by a person.
    child = plan_actions.import_structure(make_structure(document={"number": "14/KH-SYT", "date": "2024-06-05"}),
                                          user=people["coordinator"])
    cascade.do_set_parent(child, parent=lead.task.plan, owner=lead.agency, user=people["coordinator"])
    cascade.do_link(child.tasks.order_by("order").first(), None, user=people["lead_head"])
    produced = set(Event.objects.values_list("action", flat=True))
    kinds = {k for k in LABELS if k.startswith(HISTORY_PREFIXES) and k != "task.draft_deleted"}
    assert kinds <= produced, sorted(kinds - produced)


@pytest.mark.parametrize("role", ROLES)
def test_history_over_the_api(client, bearer, history, role):
    task, seen = history
    response = client.get(f"/api/v1/tasks/{task.pk}/history?page_size=200", **bearer(role))
    if role in OTHER:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.json()
    got = [(e["at"], e["action"], e["changes"]) for e in body["items"]]
    expected = [e for e, roles in seen if role in roles]
    assert body["count"] == len(expected) == len(got)
    assert [a for _, a, _ in got] == [e.action for e in expected]
    text = response.content.decode()
    for e, roles in seen:
        if role not in roles and "text" in e.changes:
            assert e.changes["text"] not in text, f"{role} reads {e.action}: {e.changes['text']}"


def history_block(page: str) -> str:
    block = page[page.index('id="history"'):]
    return block[:block.index("</ol>")]


@pytest.mark.parametrize("role,page_of", [("leader", "lead"), ("coordinator", "partner"), ("partner_focal", "partner"),
                                          ("lead_head", "lead")])
def test_history_on_the_assignment_page(client, people, history, lead, partner, role, page_of):
    """An assignment's page is one agency's view of the task: its reader sees there what that agency's own people
    may see (and only what the reader may): a scoped direction's acknowledgement never reaches another agency, and
    an oversight reader on the partner's page finds none of the lead's work."""
    task, seen = history
    client.force_login(people[role])
    own, own_people = (partner, PARTNER) if page_of == "partner" else (lead, LEAD)
    block = history_block(client.get(f"/giao-viec/{own.pk}/").content.decode())
    expected = [e for e, roles in seen if role in roles and roles & own_people]
    assert block.count("<li") == len(expected)
    assert len(expected) < len([e for e, roles in seen if role in roles]) or role not in OVERSIGHT
    if page_of == "partner":
        assert "Chỉ đạo riêng Sở Y tế" not in block and "Thiếu văn bản" not in block  # the lead's returned claim
        assert "Báo cáo hoàn thành" not in block and "Đồng ý gia hạn" not in block
        assert "Gửi báo cáo tiến độ" in block  # the partner's own progress
    else:
        assert "Thiếu văn bản" in block and "Đồng ý gia hạn" in block


def test_history_names_people_not_logins(client, bearer, people, history, lead):
    """History shows who acted as people know them (their name), not the login they type."""
    people["lead_focal"].full_name = "Nguyễn Thị Lan"
    people["lead_focal"].save()
    people["coordinator"].full_name = "Trần Văn Tổng"
    people["coordinator"].save()
    client.force_login(people["leader"])
    block = history_block(client.get(f"/giao-viec/{lead.pk}/").content.decode())
    assert "Nguyễn Thị Lan — Gửi báo cáo tiến độ" in block and "Trần Văn Tổng — Trả lại báo cáo hoàn thành" in block
    assert "syt.cb" not in block and ">th<" not in block and " th — " not in block
    # A person without a name on record reads by their login, as before.
    assert f"{people['lead_head'].username} — Báo cáo hoàn thành" in block
    # The API gives both: the login, for programs, and the name and the action in words, as the page shows them.
    items = client.get(f"/api/v1/tasks/{lead.task_id}/history?page_size=200", **bearer("leader")).json()["items"]
    first = next(e for e in items if e["action"] == "update.posted")
    assert (first["actor"], first["actor_display_name"], first["label"]) == ("syt.cb", "Nguyễn Thị Lan", "Gửi báo cáo tiến độ")


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_tasks_history_is_for_the_drafting_roles(client, bearer, draft, role):
    response = client.get(f"/api/v1/tasks/{draft.pk}/history", **bearer(role))
    if role not in DRAFTERS:
        assert response.status_code == 404
        return
    actions_seen = [e["action"] for e in response.json()["items"]]
    assert actions_seen[:4] == ["task.draft_edited", "task.draft_moved", "task.draft_split", "task.draft_merged"]


def test_unknown_task_is_404(client, bearer, plan):
    assert client.get("/api/v1/tasks/999999/history", **bearer("admin")).status_code == 404


@pytest.mark.parametrize("role", ["lead_focal", "partner_head", "other_focal"])
def test_an_agency_reads_only_its_own_statuses_in_the_task_list(client, people, lead, role, settings):
    """Finding 1: /ke-hoach/<id>/nhiem-vu/?agency=<other>&trang_thai=overdue gave a focal point another agency's
    overdue list; now 403 (audited) for another agency, and the agency's own list without `agency`."""
    settings.DEMO_TODAY = dt.date(2024, 10, 5)  # 1.1#1 (Sở Y tế) is overdue
    client.force_login(people[role])
    plan_id, syt = lead.task.plan_id, lead.agency_id
    url = f"/ke-hoach/{plan_id}/nhiem-vu/?trang_thai=overdue"
    other = client.get(f"{url}&agency={syt}")
    if role in LEAD:
        assert other.status_code == 200 and "1.1#1" in other.content.decode()
    else:
        assert other.status_code == 403
        assert Event.objects.filter(action="access.refused", actor=people[role]).exists()
    own = client.get(url).content.decode()
    assert ("1.1#1" in own) == (role in LEAD)  # without `agency`: the reader's own agency's statuses


def test_oversight_reads_any_agencys_statuses(client, people, lead, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    client.force_login(people["viewer"])
    response = client.get(f"/ke-hoach/{lead.task.plan_id}/nhiem-vu/?trang_thai=overdue&agency={lead.agency_id}")
    assert response.status_code == 200 and "1.1#1" in response.content.decode()
