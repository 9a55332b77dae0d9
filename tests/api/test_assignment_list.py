"""GET /api/v1/assignments (issue 17): every plan's assignments, filtered, read from the status cache, with the
pages' visibility. Counts written by hand from tests.plans.conftest.make_structure (Plan 12/KH-UBND)."""

import datetime as dt

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.tracking import actions
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)

URL = "/api/v1/assignments"


@pytest.fixture
def get(client, people):
    def ask(who, **params):
        _, raw = account_actions.do_create_token(people[who])
        return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {raw}")
    return ask


def _refs(body):
    return [(i["task"]["ref"], i["agency"]["name"], i["role"], i["status"]) for i in body["items"]]


def test_one_agency_by_role_and_status_on_a_day(get, plan, orgs, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    syt = orgs["syt"].pk
    # Sở Y tế leads 1.1#1 (due 30/9), 1.1#2 (quarterly) and III.1#1 ("Giám đốc các sở", due 10/12).
    body = get("coordinator", agency=syt, role="lead").json()
    assert body["count"] == 3
    assert _refs(get("coordinator", agency=syt, status="overdue").json()) == [
        ("1.1#1", "Sở Y tế", "lead", "overdue")]
    assert {i["task"]["ref"] for i in get("coordinator", agency=syt, status="ongoing,open_in_time").json()["items"]} == \
        {"1.1#2", "III.1#1"}
    # On 20/9 the first deadline had not passed: nothing overdue.
    assert get("coordinator", agency=syt, status="overdue", on="2024-09-20").json() == {"count": 0, "items": []}
    # Sở Tài chính coordinates 1.1#1, its only assignment as a partner.
    assert _refs(get("coordinator", agency=orgs["stc"].pk, role="coordinating").json()) == [
        ("1.1#1", "Sở Tài chính", "coordinating", "overdue")]


def test_due_window_sort_and_paging(get, plan, orgs, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    syt = orgs["syt"].pk
    assert [i["task"]["ref"] for i in get("coordinator", agency=syt, due_from="2024-12-01").json()["items"]] == ["III.1#1"]
    assert [i["due_date"] for i in get("coordinator", agency=syt, role="lead").json()["items"]] == \
        ["2024-09-30", "2024-12-10", None]  # the soonest first, a recurring task (no due date) last
    assert [i["task"]["ref"] for i in get("coordinator", agency=syt, role="lead", sort="-due").json()["items"]][:2] == \
        ["III.1#1", "1.1#1"]
    second = get("coordinator", agency=syt, role="lead", page=2, page_size=2).json()
    assert second["count"] == 3 and len(second["items"]) == 1


def test_each_person_sees_what_the_pages_show(get, plan, orgs, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    everything = get("coordinator").json()["count"]
    assert get("viewer").json()["count"] == everything > 3
    mine = get("lead_focal").json()
    assert mine["count"] == 3 and {i["agency"]["name"] for i in mine["items"]} == {"Sở Y tế"}
    # Another agency's filter gives nothing rather than that agency's work.
    assert get("lead_focal", agency=orgs["stc"].pk).json() == {"count": 0, "items": []}


def test_a_completion_confirmed_moves_it_to_done(get, plan, lead, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 9, 20)
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 20))
    actions.do_confirm(claim, people["coordinator"])
    assert [i["id"] for i in get("coordinator", status="done_on_time").json()["items"]] == [lead.pk]


@pytest.mark.parametrize("params, said", [
    ({"status": "late"}, "mã tình trạng không hợp lệ: late"),
    ({"status": ","}, "mã tình trạng không hợp lệ"),
    ({"status": ""}, "mã tình trạng không hợp lệ"),
    ({"on": "15/10/2024"}, "YYYY-MM-DD"),
    ({"page_size": 201}, "200"),
    ({"role": "chu-tri"}, "role"),
    ({"sort": "updated_at"}, "sort"),
])
def test_bad_filters_are_refused_with_a_reason(get, plan, params, said):
    response = get("coordinator", **params)  # what the schema states: 422
    assert response.status_code == 422, response.content
    assert said in response.json()["message"], response.json()


@pytest.mark.parametrize("day", ["2030-01-01", "1999-12-31"])
def test_a_day_without_figures_is_refused(get, plan, day):
    response = get("coordinator", on=day)  # a rule the schema cannot state, refused as a bad parameter (issue 17)
    assert response.status_code == 422 and "on phải từ 01/01/2000 đến hôm nay" in response.json()["message"]


def test_the_list_costs_the_same_queries_whatever_its_length(client, people, plan, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    _, raw = account_actions.do_create_token(people["coordinator"])
    client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}")  # the token's first use is written once
    costs = []
    for size in (1, 200, 200):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(URL, {"page_size": size, "status": "open_in_time,overdue"},
                              HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        costs.append(len(queries))
    # token, data version (etag.py: the status version with it), published plans, count, page; then the count is
    # memoised until a status changes, and each page once read
    assert body["count"] > 1 and len(body["items"]) == body["count"] and costs == [5, 4, 3], costs


def test_the_memoised_page_follows_what_it_prints(get, plan, orgs, people, lead, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    syt = orgs["syt"]
    [item] = get("coordinator", agency=syt.pk, status="overdue").json()["items"]
    assert (item["task"]["ref"], item["agency"]["name"]) == ("1.1#1", "Sở Y tế")
    syt.name = "Sở Y tế tỉnh Tuyên Quang"
    syt.save()
    task = lead.task
    actions.do_amend_task(task, people["coordinator"], version=task.version, text="Triển khai bệnh án điện tử toàn tỉnh")
    [item] = get("coordinator", agency=syt.pk, status="overdue").json()["items"]
    assert (item["task"]["text"], item["agency"]["name"]) == ("Triển khai bệnh án điện tử toàn tỉnh",
                                                             "Sở Y tế tỉnh Tuyên Quang")


def test_the_due_date_says_its_basis_and_an_extension(get, plan, lead, people, settings):
    settings.DEMO_TODAY = dt.date(2024, 9, 20)
    items = {i["task"]["ref"]: (i["due_date"], i["due_basis"]) for i in get("coordinator", agency=lead.agency_id).json()["items"]}
    assert items == {"1.1#1": ("2024-09-30", "own"), "1.1#2": (None, "recurring"), "III.1#1": ("2024-12-10", "own")}
    extension = actions.do_request_extension(lead, people["lead_focal"], new_deadline=dt.date(2024, 10, 31),
                                             reason="Chờ kinh phí")
    actions.do_decide_extension(extension, people["coordinator"], approve=True)
    [item] = [i for i in get("coordinator", agency=lead.agency_id).json()["items"] if i["id"] == lead.pk]
    assert (item["due_date"], item["due_basis"]) == ("2024-10-31", "extended")


def test_the_memoised_count_follows_a_change_of_status(get, plan, orgs, people, lead, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    syt = orgs["syt"].pk
    assert get("coordinator", agency=syt, status="overdue").json()["count"] == 1  # 1.1#1, due 30/9
    assert get("coordinator", agency=syt, status="awaiting_confirmation").json()["count"] == 0
    actions.do_claim(lead, people["lead_focal"], completed_on=dt.date(2024, 10, 4), output="")
    # Counted again after the claim (the status version moved), not read from the memo of the same filters.
    assert get("coordinator", agency=syt, status="overdue").json() == {"count": 0, "items": []}
    assert get("coordinator", agency=syt, status="awaiting_confirmation").json()["count"] == 1


def test_accent_free_search_on_the_task_text(get, plan, orgs, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    # 1.1#1 "Triển khai bệnh án điện tử …": Sở Y tế leads, Sở Tài chính coordinates.
    assert set(_refs(get("coordinator", q="benh an dien tu").json())) == {
        ("1.1#1", "Sở Y tế", "lead", "overdue"), ("1.1#1", "Sở Tài chính", "coordinating", "overdue")}
    assert get("coordinator", q="Bệnh án").json()["count"] == 2
    # "Báo cáo": 1.1#2 (Sở Y tế), III.2#2 (Sở KH&ĐT) and III.1#1 (twenty sở): 22; Sở Y tế's own: 2.
    assert get("coordinator", q="bao cao").json()["count"] == 22
    assert get("lead_focal", q="bao cao").json()["count"] == 2


def test_updated_since_and_the_most_recent_first(get, plan, lead, partner, people, settings):
    from dondoc.plans.models import Assignment

    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    Assignment.objects.update(updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    since = "2024-06-01T00:00:00+07:00"
    assert get("coordinator", updated_since=since).json() == {"count": 0, "items": []}
    actions.do_post_update(partner, people["partner_focal"], text="Đã cung cấp số liệu")
    actions.do_request_extension(lead, people["lead_focal"], new_deadline=dt.date(2024, 10, 31), reason="Chờ kinh phí")
    assert [i["id"] for i in get("coordinator", updated_since=since, sort="updated").json()["items"]] == [lead.pk, partner.pk]
    # A direction to every agency of III.1#1: its twenty lead assignments, the latest first.
    actions.do_give_direction(plan.tasks.get(ref="III.1#1"), people["leader"], text="Báo cáo đúng hạn")
    body = get("coordinator", updated_since=since, sort="updated").json()
    assert body["count"] == 22 and [i["id"] for i in body["items"]][-2:] == [lead.pk, partner.pk]
    assert get("partner_focal", updated_since=since).json()["count"] == 2  # its part of 1.1#1 and of III.1#1
