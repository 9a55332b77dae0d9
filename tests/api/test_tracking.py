"""Tracking over the API: the same actions and permissions as the pages, JSON in and out."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.accounts import actions as account_actions
from dondoc.tracking import actions
from dondoc.tracking.models import Update
from tests.tracking.conftest import lead, partner, people, plan, today  # noqa: F401  (fixtures)

API_ROUTES = {"api:my_assignments", "api:get_assignment", "api:post_update", "api:claim", "api:confirm", "api:return_claim", "api:list_periods",
              "api:request_extension", "api:decide", "api:history", "api:list_assignments", "api:list_all_tasks", "api:list_directions",
              "api:give_direction", "api:acknowledge",
              # the caller's own tokens (tests/api/test_tokens.py), in the API's table as every operation is
              "api:list_api_tokens", "api:create_api_token", "api:revoke_api_token"}


@pytest.fixture
def bearer(people):
    def make(role):
        _, raw = account_actions.do_create_token(people[role])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


def test_my_assignments_overdue_first(client, bearer, lead, settings, plan):
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    body = client.get("/api/v1/me/assignments", **bearer("lead_focal")).json()
    assert body["count"] == 3  # 1.1#1 and 1.1#2 of Sở Y tế, and III.1#1 through "Giám đốc các sở"
    assert body["items"][0]["task"]["ref"] == "1.1#1" and body["items"][0]["status"] == "overdue"
    assert body["items"][0]["due_date"] == "2024-09-30"
    assert client.get("/api/v1/me/assignments", **bearer("coordinator")).json() == {"count": 0, "items": []}


def test_my_assignments_count_a_returned_item_once(client, bearer, lead, people, settings, plan):
    """A returned claim puts the item under "Cần xử lý" as well as in its status group: still one assignment."""
    settings.DEMO_TODAY = dt.date(2024, 9, 20)
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 20))
    actions.do_return(claim, people["coordinator"], reason="Thiếu hồ sơ")
    body = client.get("/api/v1/me/assignments", **bearer("lead_focal")).json()
    assert body["count"] == 3 == len(body["items"]) == len({i["id"] for i in body["items"]})


def test_my_assignments_follow_every_change_they_show(client, bearer, lead, people, settings, plan, orgs):
    """The page is read once per change of the status version; each thing it shows moves that version: the task's
    text, the agency's name, a status (a claim confirmed), another page of the list."""
    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    auth = bearer("lead_focal")

    def first():
        return client.get("/api/v1/me/assignments", **auth).json()["items"][0]

    assert first()["task"]["text"] != "Văn bản mới của nhiệm vụ"
    actions.do_amend_task(lead.task, people["coordinator"], version=lead.task.version, text="Văn bản mới của nhiệm vụ")
    assert first()["task"]["text"] == "Văn bản mới của nhiệm vụ"
    lead.agency.name = "Sở Y tế tỉnh Tuyên Quang"
    lead.agency.save()
    assert first()["agency"]["name"] == "Sở Y tế tỉnh Tuyên Quang"
    assert first()["status"] == "overdue"
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 10, 1))
    actions.do_confirm(claim, people["coordinator"])
    assert all(i["id"] != lead.pk or i["status"] == "done_late" for i in
               client.get("/api/v1/me/assignments", **auth).json()["items"])
    one = client.get("/api/v1/me/assignments?page_size=1&page=1", **auth).json()["items"]
    two = client.get("/api/v1/me/assignments?page_size=1&page=2", **auth).json()["items"]
    assert len(one) == len(two) == 1 and one[0]["id"] != two[0]["id"]


def test_full_cycle_over_the_api(client, bearer, lead):
    url = f"/api/v1/assignments/{lead.pk}"
    ok = client.post(f"{url}/updates", {"text": "Đã làm", "percent": 60}, content_type="application/json", **bearer("lead_focal"))
    assert ok.status_code == 201
    files = client.post(f"{url}/updates", {"text": "Minh chứng", "files": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF")},
                        **bearer("lead_focal"))
    assert files.status_code == 201 and Update.objects.get(pk=files.json()["id"]).evidence.count() == 1
    bad = client.post(f"{url}/updates", {"text": "x", "percent": 150}, content_type="application/json", **bearer("lead_focal"))
    assert bad.status_code == 400 and "0 đến 100" in bad.json()["detail"]
    future = client.post(f"{url}/claim", {"completed_on": "2030-01-01"}, content_type="application/json", **bearer("lead_head"))
    assert future.status_code == 400
    claim = client.post(f"{url}/claim", {"completed_on": "2024-09-12", "output": "QĐ 5/QĐ-SYT"},
                        content_type="application/json", **bearer("lead_head"))
    assert claim.status_code == 201
    assert client.post(f"{url}/confirm", **bearer("leader")).status_code == 403
    returned = client.post(f"{url}/return", {"reason": "Thiếu văn bản"}, content_type="application/json", **bearer("coordinator"))
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    client.post(f"{url}/claim", {"completed_on": "2024-09-13"}, content_type="application/json", **bearer("lead_head"))
    assert client.post(f"{url}/confirm", **bearer("coordinator")).json()["state"] == "confirmed"
    detail = client.get(url, **bearer("lead_focal")).json()
    assert detail["status"] == "done_on_time" and len(detail["updates"]) == 2 and len(detail["claims"]) == 2
    history = client.get(f"/api/v1/tasks/{lead.task_id}/history", **bearer("coordinator")).json()
    actions_seen = [e["action"] for e in history["items"]]
    assert actions_seen.index("claim.returned") < actions_seen.index("claim.confirmed")


def test_other_agency_gets_404_and_partner_cannot_claim(client, bearer, lead, partner):
    assert client.get(f"/api/v1/assignments/{lead.pk}", **bearer("other_focal")).status_code == 404
    assert client.post(f"/api/v1/assignments/{lead.pk}/updates", {"text": "x"}, content_type="application/json",
                       **bearer("other_focal")).status_code == 404
    claim = client.post(f"/api/v1/assignments/{partner.pk}/claim", {"completed_on": "2024-09-10"},
                        content_type="application/json", **bearer("partner_head"))
    assert claim.status_code == 403
    assert client.get(f"/api/v1/tasks/{lead.task_id}/history", **bearer("other_focal")).status_code == 404


def test_extension_request_and_decision(client, bearer, lead):
    url = f"/api/v1/assignments/{lead.pk}/extensions"
    created = client.post(url, {"new_deadline": "2024-11-30", "reason": "Chờ vốn"}, content_type="application/json",
                          **bearer("lead_head"))
    assert created.status_code == 201
    ext_id = created.json()["id"]
    assert client.post(f"/api/v1/extensions/{ext_id}/decide", {"approve": True}, content_type="application/json",
                       **bearer("viewer")).status_code == 403
    decided = client.post(f"/api/v1/extensions/{ext_id}/decide", {"approve": True}, content_type="application/json",
                          **bearer("leader"))
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    assert client.get(f"/api/v1/assignments/{lead.pk}", **bearer("lead_head")).json()["due_date"] == "2024-11-30"


def test_anonymous_is_401(client, lead):
    assert client.get(f"/api/v1/assignments/{lead.pk}").status_code == 401
    assert client.get("/api/v1/me/assignments").status_code == 401


def test_periods(client, bearer):
    body = client.get("/api/v1/periods?kind=quarterly&year=2024", **bearer("viewer")).json()
    assert body["count"] == 4
    # The cut-off Thursday 14/3/2024, then one working day: Friday 15/3.
    assert body["items"][0] == {"id": "2024-Q1", "kind": "quarterly", "label": "Quý I/2024", "start": "2023-12-15",
                                "end": "2024-03-14", "deadline": "2024-03-15"}
    assert client.get("/api/v1/periods?kind=weekly", **bearer("viewer")).status_code == 422  # not a kind


def test_directions_over_the_api(client, bearer, lead, partner, people):
    leader, focal = bearer("leader"), bearer("lead_focal")
    url = f"/api/v1/assignments/{lead.pk}/directions"
    made = client.post(url, {"text": "Hoàn thành trước 30/9", "only_this_agency": True}, content_type="application/json",
                       **leader)
    assert made.status_code == 201 and made.json()["to_agency"]["name"] == "Sở Y tế"
    client.post(url, {"text": "Mọi cơ quan phối hợp chặt chẽ"}, content_type="application/json", **leader)
    listed = client.get(url, **focal).json()
    assert [(d["text"], d["acknowledged"]) for d in listed["items"]] == [
        ("Hoàn thành trước 30/9", False), ("Mọi cơ quan phối hợp chặt chẽ", False)]
    # The partner sees the one to every agency, not the one to Sở Y tế alone.
    shown = client.get(f"/api/v1/assignments/{partner.pk}/directions", **bearer("partner_focal")).json()
    assert [d["text"] for d in shown["items"]] == ["Mọi cơ quan phối hợp chặt chẽ"]
    first = listed["items"][0]["id"]
    assert client.post(f"/api/v1/directions/{first}/acknowledge", **focal).json()["acknowledged"] is True
    assert [d["acknowledged"] for d in client.get(url, **focal).json()["items"]] == [True, False]
    empty = client.post(url, {"text": "  "}, content_type="application/json", **leader)
    assert empty.status_code == 400 and "nội dung chỉ đạo" in empty.json()["detail"]
