"""The plan's own facts corrected in review (a title that lost its first word, the date, the coordinating agency,
the report dates), and a wrong draft thrown away; both audited, neither possible once published."""

import datetime as dt

import pytest

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans import actions
from dondoc.plans.models import Plan, Task

from .conftest import make_structure


@pytest.fixture
def draft(orgs, users):
    return actions.import_structure(make_structure(), user=users[Role.COORDINATOR])


def test_the_reviewer_corrects_the_header(client, draft, orgs, users):
    client.force_login(users[Role.COORDINATOR])
    response = client.post(f"/ke-hoach/{draft.pk}/ra-soat/thong-tin/", {
        "number": "12/KH-UBND", "issued_on": "2024-05-07", "issuer": "Ủy ban nhân dân tỉnh Tuyên Quang",
        "place": "Tuyên Quang", "title": "  Kế hoạch thực hiện   chuyển đổi số năm 2024 ",
        "coordinating_agency": str(orgs["stc"].pk), "agency_report_date": "2024-12-05",
        "coordinator_report_date": "2024-12-12"}, follow=True)
    assert "Đã lưu thông tin kế hoạch." in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Kế hoạch thực hiện chuyển đổi số năm 2024"  # spaces as a person means them
    assert draft.issued_on == dt.date(2024, 5, 7) and draft.coordinating_agency == orgs["stc"]
    assert (draft.agency_report_date, draft.coordinator_report_date) == (dt.date(2024, 12, 5), dt.date(2024, 12, 12))
    event = Event.objects.get(action="plan.header_edited", object_id=str(draft.pk))
    assert event.changes["issued_on"] == ["2024-05-06", "2024-05-07"] and "number" not in event.changes


def test_a_coordinating_agency_gone_by_the_plans_date_is_refused(draft, orgs, users):
    with pytest.raises(actions.PlanError) as refused:
        actions.do_edit_draft_header(draft, {"issued_on": dt.date(2025, 11, 20), "coordinating_agency": orgs["skhdt"]},
                                     user=users[Role.COORDINATOR])
    assert "hãy chọn cơ quan kế thừa: Sở Tài chính" in str(refused.value)
    draft.refresh_from_db()
    assert draft.issued_on == dt.date(2024, 5, 6)  # nothing written


def test_a_bad_date_is_refused_with_its_field(client, draft, users):
    client.force_login(users[Role.COORDINATOR])
    page = client.post(f"/ke-hoach/{draft.pk}/ra-soat/thong-tin/", {"issued_on": "31/02/2024"}, follow=True)
    assert "Ngày ban hành" in page.content.decode()
    draft.refresh_from_db()
    assert draft.issued_on == dt.date(2024, 5, 6)


def test_a_draft_is_discarded_and_the_trail_keeps_it(client, draft, users):
    client.force_login(users[Role.COORDINATOR])
    pk, tasks = draft.pk, draft.tasks.count()
    response = client.post(f"/ke-hoach/{pk}/ra-soat/bo/")
    assert response.status_code == 302 and response.url == "/ke-hoach/"
    assert not Plan.objects.filter(pk=pk).exists() and not Task.objects.filter(plan_id=pk).exists()
    assert Event.objects.get(action="plan.discarded", object_id=str(pk)).changes["tasks"] == tasks


def test_a_published_plan_is_neither_edited_nor_discarded_here(draft, users):
    plan = actions.do_publish_plan(draft, user=users[Role.COORDINATOR])
    with pytest.raises(actions.PlanError):
        actions.do_edit_draft_header(plan, {"title": "Khác"}, user=users[Role.COORDINATOR])
    with pytest.raises(actions.PlanError):
        actions.do_discard_draft(plan, user=users[Role.COORDINATOR])
    assert Plan.objects.filter(pk=plan.pk, title="Thực hiện chuyển đổi số năm 2024").exists()
