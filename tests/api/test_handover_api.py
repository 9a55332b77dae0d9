"""GET/POST /api/v1/agencies/{id}/handover (issue 18): the proposal as a list, applying it, its refusals."""

import datetime as dt

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.plans.models import Assignment
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)


@pytest.fixture
def call(client, people, settings, plan):
    settings.DEMO_TODAY = dt.date(2025, 3, 1)  # Sở Kế hoạch và Đầu tư ended the day before

    def ask(method, url, body=None, who="coordinator"):
        _, raw = account_actions.do_create_token(people[who])
        if method == "get":
            return client.get(url, body or {}, HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client.post(url, body or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return ask


def test_the_proposal_then_one_assignment_handed_over(call, orgs, plan):
    skhdt, stc = orgs["skhdt"], orgs["stc"]
    body = call("get", f"/api/v1/agencies/{skhdt.pk}/handover").json()
    assert body["count"] == 4 and {i["task"]["ref"] for i in body["items"]} == {"III.2#1", "III.2#2", "III.1#1", "1.3#1"}
    assert all(i["proposed"] == [{"id": stc.pk, "name": stc.name}] for i in body["items"])
    first = next(i for i in body["items"] if i["task"]["ref"] == "III.2#1")
    done = call("post", f"/api/v1/agencies/{skhdt.pk}/handover",
                {"choices": [{"assignment": first["assignment"], "successors": [stc.pk]}], "accounts": "keep"})
    assert done.status_code == 201 and done.json()["assignments"] == 1
    assert Assignment.objects.get(predecessor_id=first["assignment"]).agency == stc
    assert call("get", f"/api/v1/agencies/{skhdt.pk}/handover").json()["count"] == 3  # the others are still open


@pytest.mark.parametrize("agency, body, status, said", [
    ("stc", {}, 400, "vẫn còn hoạt động"),
    ("skhdt", {"effective": "2025-02-01"}, 400, "phải sau ngày cuối cùng"),
    ("skhdt", {"choices": [{"assignment": 1, "successors": []}]}, 422, None),
    ("skhdt", {"accounts": "delete"}, 422, None),
])
def test_bad_hand_overs_are_refused(call, orgs, agency, body, status, said):
    answer = call("post", f"/api/v1/agencies/{orgs[agency].pk}/handover", body)
    assert answer.status_code == status
    assert said is None or said in answer.json()["detail"]
    assert not Assignment.objects.filter(ended_at__isnull=False).exists()


def test_an_unknown_agency_is_404_and_an_officer_403(call, orgs):
    assert call("get", "/api/v1/agencies/999999/handover").status_code == 404
    assert call("get", f"/api/v1/agencies/{orgs['skhdt'].pk}/handover", who="lead_head").status_code == 403


def test_a_hand_over_for_a_day_to_come_is_scheduled(call, orgs, settings):
    from dondoc.tracking.models import HandOver

    answer = call("post", f"/api/v1/agencies/{orgs['skhdt'].pk}/handover", {"effective": "2025-03-05"})
    assert answer.status_code == 201
    assert answer.json() | {"id": 0} == {"id": 0, "assignments": 4, "effective": "2025-03-05", "state": "scheduled"}
    assert HandOver.objects.get().state == "scheduled"
    assert not Assignment.objects.filter(ended_at__isnull=False).exists()
    again = call("post", f"/api/v1/agencies/{orgs['skhdt'].pk}/handover", {})
    assert again.status_code == 409 and "Đã có lịch bàn giao" in again.json()["detail"]
