"""A published plan's own facts amended (issue 15): dated, on a basis, audited, listed on the plan's page; refused
for a draft (corrected in review), a superseded or closed plan, an agency gone by the plan's date, a missing basis,
a date before the plan or in the future; a refusal changes nothing."""

import datetime as dt

import pytest

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.core.errors import Forbidden
from dondoc.plans import actions, amend
from dondoc.plans.models import Plan, PlanStatus

from .conftest import make_structure

FIELDS = ("number", "issuer", "place", "title", "coordinating_agency", "agency_report_date", "coordinator_report_date")


@pytest.fixture
def today(settings):
    settings.DEMO_TODAY = dt.date(2024, 6, 20)
    return settings.DEMO_TODAY


@pytest.fixture
def published(orgs, users, today):
    """Plan 12/KH-UBND of 06/5/2024, published; Sở Kế hoạch và Đầu tư coordinates, reports by 10/12 and 15/12/2024."""
    structure = make_structure()
    structure["document"]["title"] = "chuyển đổi số năm 2024"  # the parser lost "Thực hiện"
    return actions.do_publish_plan(actions.import_structure(structure, user=users[Role.COORDINATOR]))


def _facts(plan):
    plan = Plan.objects.get(pk=plan.pk)
    return tuple(getattr(plan, f) for f in FIELDS)


def _amend(plan, user, changes, **kwargs):
    kwargs.setdefault("amended_on", dt.date(2024, 6, 5))
    kwargs.setdefault("basis", "Văn bản số 12/UBND-TH ngày 05/6/2024")
    return amend.do_amend_plan_header(plan, changes, user=user, **kwargs)


def test_an_amendment_changes_the_facts_and_records_the_diff_its_date_and_basis(published, orgs, users):
    coordinator = users[Role.COORDINATOR]
    plan = _amend(published, coordinator, {
        "title": "  Thực hiện chuyển đổi   số năm 2024", "coordinating_agency": orgs["stc"],
        "agency_report_date": dt.date(2024, 12, 5), "coordinator_report_date": dt.date(2024, 12, 15),
        "number": "12/KH-UBND"}, reason="Trích yếu thiếu chữ đầu")
    plan.refresh_from_db()
    assert plan.title == "Thực hiện chuyển đổi số năm 2024" and plan.coordinating_agency == orgs["stc"]
    assert plan.agency_report_date == dt.date(2024, 12, 5) and plan.status == PlanStatus.PUBLISHED
    event = Event.objects.get(action="plan.header_amended", object_id=str(plan.pk))
    assert event.actor == coordinator
    # Only what differs: the number and the coordinator's date were given as they were.
    assert event.changes == {
        "fields": {"title": ["chuyển đổi số năm 2024", "Thực hiện chuyển đổi số năm 2024"],
                   "coordinating_agency": ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"],
                   "agency_report_date": ["2024-12-10", "2024-12-05"]},
        "amended_on": "2024-06-05", "basis": "Văn bản số 12/UBND-TH ngày 05/6/2024", "reason": "Trích yếu thiếu chữ đầu"}
    [listed] = amend.amendments(plan)
    assert (listed.amended_on, listed.basis, listed.by) == (dt.date(2024, 6, 5), event.changes["basis"], "th")
    assert ("Hạn các cơ quan báo cáo", "10/12/2024", "05/12/2024") in [(l.capitalize(), o, n) for l, o, n in listed.changes]


def test_amendments_are_listed_latest_first_with_a_reason_alone_as_basis(published, users):
    admin = users[Role.ADMIN]
    _amend(published, admin, {"title": "Thực hiện chuyển đổi số năm 2024"}, amended_on=dt.date(2024, 5, 20))
    _amend(published, admin, {"place": "TP Tuyên Quang"}, amended_on=dt.date(2024, 6, 18), basis="",
           reason="Ghi đúng địa danh")
    first, second = amend.amendments(published)
    assert (first.amended_on, first.basis, first.reason) == (dt.date(2024, 6, 18), "", "Ghi đúng địa danh")
    assert second.changes == [("trích yếu", "chuyển đổi số năm 2024", "Thực hiện chuyển đổi số năm 2024")]


def test_the_status_cache_follows_an_amended_report_date(published, users):
    from dondoc.tracking.models import StatusSpan

    # "Báo cáo kết quả hằng quý" (1.1#2) and the other tasks without a date are due by the plan's report date.
    def dues():
        return set(StatusSpan.objects.filter(plan_id=published.pk, task__deadline_date__isnull=True,
                                             task__recurrence="").values_list("due", flat=True))

    assert dues() == {dt.date(2024, 12, 10)}
    _amend(published, users[Role.COORDINATOR], {"agency_report_date": dt.date(2024, 12, 12)})
    assert dues() == {dt.date(2024, 12, 12)}


def test_an_amended_title_is_not_hidden_by_memoised_pages(published, users):
    """The plan's dashboard and the agencies' work lists are rendered once per status version and print the plan's
    number and title: an amendment of either moves the version on."""
    from dondoc.tracking import spans

    was = spans.version()
    _amend(published, users[Role.COORDINATOR], {"title": "Thực hiện chuyển đổi số năm 2024"})
    assert spans.version() > was


def test_a_draft_is_pointed_to_the_review_screen(orgs, users, today):
    draft = actions.import_structure(make_structure(), user=users[Role.COORDINATOR])
    with pytest.raises(actions.PlanError, match="màn hình rà soát"):
        _amend(draft, users[Role.COORDINATOR], {"title": "Khác"})
    assert Plan.objects.get(pk=draft.pk).title == "Thực hiện chuyển đổi số năm 2024"


@pytest.mark.parametrize("status, message", [(PlanStatus.SUPERSEDED, "đã được thay thế"),
                                             (PlanStatus.CLOSED, "đã kết thúc")])
def test_a_superseded_or_closed_plan_is_refused(published, users, status, message):
    Plan.objects.filter(pk=published.pk).update(status=status)
    before = _facts(published)
    with pytest.raises(actions.PlanError, match=message):
        _amend(published, users[Role.COORDINATOR], {"title": "Khác"})
    assert _facts(published) == before


def test_an_agency_gone_by_the_plans_date_is_refused_with_its_successor(orgs, users, settings):
    """A plan of 01/4/2025, after the 2025 reorganisation: Sở Kế hoạch và Đầu tư is gone, Sở Tài chính carries on."""
    settings.DEMO_TODAY = dt.date(2025, 6, 1)
    structure = make_structure(document={**make_structure()["document"], "date": "2025-04-01"})
    structure["assignments"][3]["lead"] = ["Sở Tài chính"]
    plan = actions.do_publish_plan(actions.import_structure(structure, user=users[Role.COORDINATOR]))
    assert plan.coordinating_agency == orgs["stc"]
    before = _facts(plan)
    with pytest.raises(actions.PlanError) as refused:
        _amend(plan, users[Role.COORDINATOR], {"coordinating_agency": orgs["skhdt"], "title": "Khác"},
               amended_on=dt.date(2025, 5, 2))
    assert "Sở Kế hoạch và Đầu tư không hoạt động vào ngày 01/04/2025" in str(refused.value)
    assert "hãy chọn cơ quan kế thừa: Sở Tài chính" in str(refused.value)
    assert _facts(plan) == before and not Event.objects.filter(action="plan.header_amended").exists()


@pytest.mark.parametrize("kwargs, message", [
    ({"basis": "", "reason": "   "}, "Hãy ghi căn cứ sửa đổi"),
    ({"amended_on": None}, "Hãy ghi ngày sửa đổi"),
    ({"amended_on": dt.date(2024, 5, 5)}, "không được trước ngày ban hành kế hoạch (06/05/2024)"),
    ({"amended_on": dt.date(2024, 6, 21)}, "không được sau hôm nay (20/06/2024)"),
])
def test_a_missing_basis_or_a_bad_date_is_refused_and_nothing_changes(published, users, kwargs, message):
    before = _facts(published)
    with pytest.raises(actions.PlanError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _amend(published, users[Role.COORDINATOR], {"title": "Thực hiện chuyển đổi số năm 2024"}, **kwargs)
    assert _facts(published) == before and not Event.objects.filter(action="plan.header_amended").exists()


@pytest.mark.parametrize("changes, message", [
    ({"title": "chuyển đổi số năm 2024"}, "không thay đổi"),
    ({"issued_on": dt.date(2024, 5, 7)}, "Không sửa ngày ban hành"),
    ({"title": "   "}, "Trích yếu của kế hoạch đã ban hành không được để trống"),
    ({"coordinating_agency": None}, "phải có cơ quan theo dõi, tổng hợp"),
])
def test_nothing_to_amend_the_issue_date_and_blanking_are_refused(published, users, changes, message):
    before = _facts(published)
    with pytest.raises(actions.PlanError, match=message):
        _amend(published, users[Role.COORDINATOR], changes)
    assert _facts(published) == before


def test_only_the_coordinator_or_admin_amends(published, users):
    before = _facts(published)
    for role in (Role.LEADER, Role.HEAD, Role.FOCAL, Role.VIEWER):
        with pytest.raises(Forbidden):
            _amend(published, users[role], {"title": "Thực hiện chuyển đổi số năm 2024"})
    assert _facts(published) == before


# --- The plan's page --------------------------------------------------------------------------------------

def _post(client, plan, **data):
    form = {"number": plan.number, "issuer": plan.issuer, "place": plan.place, "title": plan.title,
            "coordinating_agency": str(plan.coordinating_agency_id),
            "agency_report_date": "2024-12-10", "coordinator_report_date": "2024-12-15",
            "amended_on": "2024-06-05", "basis": "Văn bản số 12/UBND-TH ngày 05/6/2024", "reason": ""}
    return client.post(f"/ke-hoach/{plan.pk}/sua-doi/", {**form, **data})


def test_the_coordinator_amends_from_the_plans_page_and_sees_it_listed(client, published, users):
    client.force_login(users[Role.COORDINATOR])
    page = client.get(f"/ke-hoach/{published.pk}/").content.decode()
    assert "Sửa đổi thông tin kế hoạch" in page and 'name="amended_on" value="2024-06-20"' in page
    response = _post(client, published, title="Thực hiện chuyển đổi số năm 2024")
    assert response.status_code == 302 and response.url == f"/ke-hoach/{published.pk}/"
    page = client.get(response.url).content.decode()
    assert "Đã ghi sửa đổi thông tin kế hoạch ngày 05/06/2024." in page
    assert '<p id="plan-title">Thực hiện chuyển đổi số năm 2024</p>' in page
    assert "Văn bản số 12/UBND-TH ngày 05/6/2024" in page and "<del>chuyển đổi số năm 2024</del>" in page
    # Everyone who sees the plan sees its amendments; only the drafting roles get the form.
    client.force_login(users[Role.FOCAL])
    page = client.get(f"/ke-hoach/{published.pk}/").content.decode()
    assert "Văn bản số 12/UBND-TH ngày 05/6/2024" in page and 'id="amend-header"' not in page


def test_a_focal_point_may_not_amend(client, published, users):
    client.force_login(users[Role.FOCAL])
    before = _facts(published)
    assert _post(client, published, title="Khác").status_code == 403
    assert _facts(published) == before


def test_a_refusal_is_shown_beside_the_form_with_what_was_typed(client, published, users):
    client.force_login(users[Role.COORDINATOR])
    before = _facts(published)
    response = _post(client, published, title="Thực hiện chuyển đổi số năm 2024", basis="")
    page = response.content.decode()
    assert response.status_code == 400 and "Hãy ghi căn cứ sửa đổi" in page
    assert ">Thực hiện chuyển đổi số năm 2024</textarea>" in page  # not lost
    response = _post(client, published, title="Thực hiện chuyển đổi số năm 2024", amended_on="31/02/2024")
    assert response.status_code == 400 and "Ngày sửa đổi: Ngày không hợp lệ" in response.content.decode()
    assert _facts(published) == before


def test_changing_the_coordinator_says_which_tasks_stay_with_the_old_one(client, published, orgs, users):
    client.force_login(users[Role.COORDINATOR])
    # 1.3 "Các cơ quan, đơn vị liên quan" names no agency: it went to Sở Kế hoạch và Đầu tư, provisionally.
    page = client.get(_post(client, published, coordinating_agency=str(orgs["stc"].pk)).url).content.decode()
    assert "nhiệm vụ cần xác định đơn vị vẫn đang tạm giao Sở Kế hoạch và Đầu tư" in page


def test_a_draft_posted_to_is_sent_to_its_review(client, orgs, users, today):
    draft = actions.import_structure(make_structure(), user=users[Role.COORDINATOR])
    client.force_login(users[Role.COORDINATOR])
    response = _post(client, draft, title="Khác")
    assert response.status_code == 302 and response.url == f"/ke-hoach/{draft.pk}/ra-soat/"
    assert Plan.objects.get(pk=draft.pk).title == "Thực hiện chuyển đổi số năm 2024"
