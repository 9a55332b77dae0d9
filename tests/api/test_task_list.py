"""GET /api/v1/tasks (issue 17): the tasks of every published plan, filtered, their status combined from their lead
agencies' in SQL over the status cache, with the pages' visibility. Every expected answer is counted by hand from the
`mixed` dataset (tests/tracking/conftest.py: one task in each status on 5/10/2024)."""

import datetime as dt

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.plans import actions as plan_actions
from dondoc.plans.models import Assignment, Task
from dondoc.tracking import actions
from tests.plans.conftest import make_structure
from tests.tracking.conftest import mixed, people, plan, today  # noqa: F401  (fixtures)

URL = "/api/v1/tasks"
ALL = {"1.1#1", "1.1#2", "1.2#1", "1.2#2", "1.3#1", "III.2#1", "III.2#2", "III.1#1"}
STATUS = {"done_on_time": {"1.2#2"}, "done_late": {"1.1#1"}, "overdue": {"III.1#1"},
          "awaiting_confirmation": {"III.2#1"}, "ongoing": {"1.1#2"}, "open_in_time": {"1.2#1", "1.3#1", "III.2#2"}}


@pytest.fixture
def get(client, people):
    tokens = {}

    def ask(who, url=URL, **params):
        if who not in tokens:
            tokens[who] = account_actions.do_create_token(people[who])[1]
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")
    return ask


def refs(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"]), body  # every test's answer fits on one page
    return [i["ref"] for i in body["items"]]


def test_every_task_of_the_published_plan_with_its_combined_status(get, mixed):
    body = get("coordinator", page_size=200).json()
    assert body["count"] == 8
    assert {i["ref"]: i["status"] for i in body["items"]} == {ref: code for code, found in STATUS.items() for ref in found}


@pytest.mark.parametrize("code", sorted(STATUS))
def test_status_filter(get, mixed, code):
    assert set(refs(get("coordinator", status=code))) == STATUS[code]


def test_several_codes_and_another_day(get, mixed):
    assert set(refs(get("coordinator", status="done_on_time,done_late"))) == {"1.2#2", "1.1#1"}
    # On 2/10 none of the records (all made on 5/10) counted yet; III.1#1 was already due (1/10) as amended.
    assert set(refs(get("coordinator", status="overdue", on="2024-10-02"))) == {"1.1#1", "III.1#1"}
    assert set(refs(get("coordinator", status="open_in_time", on="2024-10-02"))) == ALL - {"1.1#1", "III.1#1", "1.1#2"}


def test_agency_and_role(get, mixed, orgs):
    assert set(refs(get("coordinator", agency=orgs["syt"].pk))) == {"1.1#1", "1.1#2", "III.1#1"}
    # Sở Tài chính coordinates 1.1#1 and is one of the twenty leads of III.1#1.
    assert set(refs(get("coordinator", agency=orgs["stc"].pk))) == {"1.1#1", "III.1#1"}
    assert refs(get("coordinator", agency=orgs["stc"].pk, role="coordinating")) == ["1.1#1"]
    assert refs(get("coordinator", agency=orgs["stc"].pk, role="lead")) == ["III.1#1"]
    assert set(refs(get("coordinator", agency=orgs["skhdt"].pk))) == {"1.3#1", "III.2#1", "III.2#2", "III.1#1"}
    assert set(refs(get("coordinator", agency=orgs["ubnd-nahang"].pk, status="done_on_time"))) == {"1.2#2"}
    # The status stays the task's: Na Hang's part of 1.2#1 is done, the task is not.
    assert set(refs(get("coordinator", agency=orgs["ubnd-nahang"].pk, status="open_in_time"))) == {"1.2#1"}


def test_an_agency_removed_from_a_task_leaves_it(get, mixed, orgs, people):
    actions.do_set_agency(mixed["1.1#1"], people["coordinator"], agency=orgs["stc"], role="coordinating", add=False)
    assert refs(get("coordinator", agency=orgs["stc"].pk)) == ["III.1#1"]


def test_due_window_on_the_tasks_due_date(get, mixed):
    # Due: 1.1#1 30/9, III.1#1 1/10 (amended), 1.2#1 1.2#2 1.3#1 III.2#1 10/12, III.2#2 15/12, 1.1#2 none (quarterly).
    assert refs(get("coordinator", due_from="2024-12-11")) == ["III.2#2"]
    assert refs(get("coordinator", due_to="2024-10-31")) == ["1.1#1", "III.1#1"]
    assert set(refs(get("coordinator", due_from="2024-12-10", due_to="2024-12-10"))) == {"1.2#1", "1.2#2", "1.3#1", "III.2#1"}


def test_accent_free_search(get, mixed):
    assert refs(get("coordinator", q="benh an dien tu")) == ["1.1#1"]
    assert refs(get("coordinator", q="Bệnh án điện tử")) == ["1.1#1"]
    # "Báo cáo" is in 1.1#2, III.2#2 and III.1#1.
    assert set(refs(get("coordinator", q="bao cao"))) == {"1.1#2", "III.2#2", "III.1#1"}
    assert refs(get("coordinator", q="khong co nhiem vu nay")) == []


def test_assignee(get, mixed, people):
    syt = mixed["1.1#2"].assignments.get(role="lead")
    actions.do_assign_person(syt, people["lead_head"], people["lead_focal"])
    assert refs(get("coordinator", assignee=people["lead_focal"].pk)) == ["1.1#2"]


def test_updated_since_and_the_updated_order(get, mixed, people, orgs):
    long_ago = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    Task.objects.update(updated_at=long_ago)
    Assignment.objects.update(updated_at=long_ago)
    assert refs(get("coordinator", updated_since="2024-06-01T00:00:00+07:00")) == []
    actions.do_post_update(mixed["1.1#2"].assignments.get(role="lead"), people["lead_focal"], text="Đã báo cáo quý III")
    actions.do_give_direction(mixed["1.2#2"], people["leader"], text="Khẩn trương nghiệm thu")
    # Without an offset: Vietnam's time.
    assert refs(get("coordinator", updated_since="2024-06-01T00:00:00", sort="updated")) == ["1.2#2", "1.1#2"]
    assert len(refs(get("coordinator", updated_since="2024-06-01T00:00:00Z"))) == 2


def test_sort_orders(get, mixed):
    # Due first (none last), then by plan and place in the plan.
    assert refs(get("coordinator")) == ["1.1#1", "III.1#1", "1.2#1", "1.2#2", "1.3#1", "III.2#1", "III.2#2", "1.1#2"]
    assert refs(get("coordinator", sort="-due")) == ["III.2#2", "1.2#1", "1.2#2", "1.3#1", "III.2#1", "III.1#1", "1.1#1",
                                                     "1.1#2"]
    assert refs(get("coordinator", sort="plan")) == ["1.1#1", "1.1#2", "1.2#1", "1.2#2", "1.3#1", "III.2#1", "III.2#2",
                                                     "III.1#1"]
    page = get("coordinator", sort="plan", page=3, page_size=3).json()
    assert page["count"] == 8 and [i["ref"] for i in page["items"]] == ["III.2#2", "III.1#1"]
    assert get("coordinator", page=4, page_size=3).json() == {"count": 8, "items": []}


def test_an_item(get, mixed, plan, orgs):
    [item] = get("coordinator", q="benh an").json()["items"]
    assert item == {"id": mixed["1.1#1"].pk, "plan": {"id": plan.pk, "number": "12/KH-UBND", "title": plan.title},
                    "ref": "1.1#1", "text": "Triển khai bệnh án điện tử tại các bệnh viện", "status": "done_late",
                    "due_date": "2024-09-30", "due_basis": "own",
                    "leads": [{"id": orgs["syt"].pk, "name": "Sở Y tế"}],
                    "coordinating": [{"id": orgs["stc"].pk, "name": "Sở Tài chính"}]}
    [recurring] = get("coordinator", q="hang quy").json()["items"]
    assert (recurring["due_date"], recurring["due_basis"], recurring["status"]) == (None, "recurring", "ongoing")


def test_across_plans_and_by_plan(get, mixed, plan, users):
    other = plan_actions.do_publish_plan(plan_actions.import_structure(
        make_structure(document={**make_structure()["document"], "number": "13/KH-UBND"}), user=users["coordinator"]))
    plan_actions.import_structure(make_structure(), user=users["coordinator"])  # a draft: in nobody's list
    assert get("admin").json()["count"] == 16
    assert set(refs(get("coordinator", plan=plan.pk))) == ALL
    assert {i["plan"]["number"] for i in get("coordinator", plan=other.pk).json()["items"]} == {"13/KH-UBND"}
    # The other plan's tasks have no records: its 1.1#1 is overdue on 5/10.
    assert [(i["plan"]["number"], i["ref"]) for i in get("coordinator", status="overdue").json()["items"]] == [
        ("13/KH-UBND", "1.1#1"), ("12/KH-UBND", "III.1#1")]


OVERSIGHT = ["admin", "leader", "coordinator", "viewer"]
AGENCY = ["lead_head", "lead_focal", "partner_head", "partner_focal", "other_head", "other_focal"]


@pytest.mark.parametrize("who", OVERSIGHT + AGENCY)
def test_everyone_sees_the_published_tasks_as_the_plan_pages_show_them(get, mixed, who):
    # plans/access.visible_tasks: a published plan's tasks are everyone's to read (GET /plans/{id}/tasks too).
    assert set(refs(get(who, page_size=200))) == ALL


# What each reader's status filter covers: the oversight roles any task; an agency's people their own agency's tasks
# (plans/access.status_agency, as the task list page): Sở Y tế 1.1#1, 1.1#2, III.1#1; Sở Tài chính 1.1#1, III.1#1;
# Sở Công Thương III.1#1 only.
OWN = {"lead": {"1.1#1", "1.1#2", "III.1#1"}, "partner": {"1.1#1", "III.1#1"}, "other": {"III.1#1"}}


@pytest.mark.parametrize("who", OVERSIGHT + AGENCY)
@pytest.mark.parametrize("code", ["done_late", "overdue", "ongoing", "open_in_time"])
def test_a_status_filter_reads_what_the_reader_may_count(get, mixed, who, code):
    own = OWN[who.split("_")[0]] if who in AGENCY else ALL
    assert set(refs(get(who, status=code))) == STATUS[code] & own


@pytest.mark.parametrize("who", AGENCY)
def test_an_agency_asking_another_agencys_statuses_is_refused(get, mixed, orgs, who):
    mine = {"lead": "syt", "partner": "stc", "other": "sct"}[who.split("_")[0]]
    for code in ("syt", "stc", "sct"):
        response = get(who, status="overdue", agency=orgs[code].pk)
        assert response.status_code == (200 if code == mine else 403), (code, response.content)
    # Without a status, the tasks of another agency are listed as on the plan's pages.
    assert set(refs(get(who, agency=orgs["syt"].pk))) == OWN["lead"]


BAD = [
    ({"status": "late"}, "mã tình trạng không hợp lệ: late"),
    ({"status": ","}, "mã tình trạng không hợp lệ"),
    ({"status": "cancelled"}, "mã tình trạng không hợp lệ: cancelled"),
    ({"on": "15/10/2024"}, "YYYY-MM-DD"),
    ({"due_from": "2024-13-01"}, "YYYY-MM-DD"),
    ({"page_size": 201}, "200"),
    ({"page": 0}, "page"),
    ({"role": "chu-tri"}, "role"),
    ({"sort": "updated_at"}, "sort"),
    ({"agency": "syt"}, "agency"),
    ({"updated_since": "hôm qua"}, "updated_since phải là thời điểm theo ISO 8601"),
    ({"updated_since": "1700000000"}, "updated_since phải là thời điểm theo ISO 8601"),
    ({"updated_since": "2024-10-05T25:00:00"}, "updated_since phải là thời điểm theo ISO 8601"),
    ({"q": "x" * 201}, "q dài quá 200 ký tự"),
]


@pytest.mark.parametrize("url", [URL, "/api/v1/assignments"])
@pytest.mark.parametrize("params, said", BAD)
def test_bad_filters_are_refused_with_a_reason(get, plan, url, params, said):
    response = get("coordinator", url, **params)
    assert response.status_code == 422, response.content
    assert said in response.json()["message"], response.json()


@pytest.mark.parametrize("day", ["2030-01-01", "1999-12-31"])
def test_a_day_without_figures_is_refused(get, plan, day):
    response = get("coordinator", on=day)
    assert response.status_code == 422 and "on phải từ 01/01/2000 đến hôm nay" in response.json()["message"]


ALL_FILTERS = {"status": "open_in_time,overdue", "agency": None, "role": "lead", "on": "2024-10-05",
               "due_from": "2024-01-01", "due_to": "2024-12-31", "q": "bao cao", "updated_since": "2024-01-01T00:00:00",
               "sort": "updated"}


@pytest.mark.parametrize("url, most, syt_found", [(URL, 7, 1), ("/api/v1/assignments", 5, 0)])
def test_the_cost_is_pinned_with_every_filter(client, people, mixed, orgs, django_assert_max_num_queries, url, most,
                                              syt_found):
    """Token, data version (the ETag), published plans, count, page; for tasks also their statuses and their agencies:
    whatever the page size."""
    _, raw = account_actions.do_create_token(people["coordinator"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.get(url, **auth)  # the token's first use is written once
    syt = mixed["III.1#1"].assignments.get(agency=orgs["syt"])
    actions.do_assign_person(syt, people["lead_head"], people["lead_focal"])
    params = {**ALL_FILTERS, "agency": orgs["stc"].pk}
    # Sở Tài chính leads III.1#1 (overdue, "Báo cáo", due 1/10): one task, one assignment.
    for size in (1, 200):
        with django_assert_max_num_queries(most):
            body = client.get(url, {**params, "page_size": size}, **auth).json()
        assert body["count"] == 1 and len(body["items"]) == 1
    # Sở Y tế's part of III.1#1 is done (late), the task is still overdue.
    with django_assert_max_num_queries(most):
        body = client.get(url, {**params, "agency": orgs["syt"].pk, "assignee": people["lead_focal"].pk}, **auth).json()
    assert body["count"] == len(body["items"]) == syt_found


def test_a_moment_with_any_iso_offset_is_read_in_utc(get):
    # PostgreSQL takes offsets up to ±15:59; ISO 8601 writes up to ±23:59: never a 500.
    assert get("coordinator", updated_since="6270-09-18T16:51:21.581-23:14").status_code == 200
    assert get("coordinator", updated_since="9999-12-31T23:59:59-23:59").status_code == 422
