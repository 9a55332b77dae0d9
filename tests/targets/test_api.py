"""Targets over the API: GET/POST /api/v1/targets/{id}/actuals, GET /api/v1/plans/{id}/targets, /targets/{id}."""

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.targets import actions
from dondoc.targets.models import TargetActual


@pytest.fixture
def bearer(people):
    def make(role):
        _, raw = account_actions.do_create_token(people[role])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


def post(client, target, body, auth):
    return client.post(f"/api/v1/targets/{target.pk}/actuals", body, content_type="application/json", **auth)


def test_post_then_list(client, bearer, pct):
    created = post(client, pct, {"period": "2024-Q3", "value": 85.5, "unit": "%", "note": "Theo báo cáo quý"},
                   bearer("lead_focal"))
    assert created.status_code == 201
    body = created.json()
    assert body["period"] == "2024-Q3" and body["value"] == 85.5 and body["unit"] == "%" and body["agency"] == "Sở Y tế"
    correction = post(client, pct, {"period": "2024-Q3", "value": "86,25", "unit": "phần trăm"}, bearer("lead_head"))
    assert correction.status_code == 201 and correction.json()["value"] == 86.25
    listed = client.get(f"/api/v1/targets/{pct.pk}/actuals", **bearer("partner_focal")).json()
    assert listed["count"] == 2
    first, second = listed["items"]
    assert set(first) >= {"id", "period", "value", "unit", "note", "agency", "entered_at", "entered_by"}
    assert (first["value"], first["counts"], second["value"], second["counts"]) == (86.25, True, 85.5, False)
    assert second["note"] == "Theo báo cáo quý"
    paged = client.get(f"/api/v1/targets/{pct.pk}/actuals?page=2&page_size=1", **bearer("viewer")).json()
    assert paged["count"] == 2 and [i["value"] for i in paged["items"]] == [85.5]


@pytest.mark.parametrize("body, detail", [
    ({"period": "2024-Q3", "value": 85, "unit": "km"}, "Sai đơn vị tính"),
    ({"period": "2024-Q3", "value": "abc", "unit": "%"}, "không phải là một số"),
    ({"period": "2024-Q3", "value": "", "unit": "%"}, "Hãy nhập giá trị"),
    ({"period": "2024-Q3", "value": True, "unit": "%"}, "phải là một số"),
    ({"period": "2024-Q3", "value": None, "unit": "%"}, "phải là một số"),
    ({"period": "2024-Q3", "value": [1], "unit": "%"}, "phải là một số"),
    ({"period": "2024-Q3", "value": -1, "unit": "%"}, "không được âm"),
    ({"period": "2024-Q3", "value": 1e20, "unit": "%"}, "quá lớn"),
    ({"period": "2024-Q3", "value": float("inf"), "unit": "%"}, "phải là một số"),  # sent as Infinity
    ({"period": "2030-Q1", "value": 1, "unit": "%"}, "chưa bắt đầu"),
    ({"period": "Q3/2024", "value": 1, "unit": "%"}, "không hợp lệ"),
    ({"value": 1, "unit": "%"}, "cần JSON"),
    ({"period": 2024, "value": 1, "unit": "%"}, "chuỗi"),
    ([1, 2], "cần JSON"),
])
def test_bad_input_is_400_with_a_vietnamese_detail(client, bearer, pct, body, detail):
    response = post(client, pct, body, bearer("lead_focal"))
    assert response.status_code == 400, response.content
    assert detail in response.json()["detail"]
    assert not TargetActual.objects.exists()


def test_not_json_is_400(client, bearer, pct):
    response = client.post(f"/api/v1/targets/{pct.pk}/actuals", "period=2024-Q3", content_type="application/json",
                           **bearer("lead_focal"))
    assert response.status_code == 400 and "cần JSON" in response.json()["detail"]


def test_wrong_role_is_403_before_the_input_is_read(client, bearer, pct):
    for role in ("viewer", "coordinator", "leader", "partner_focal"):
        response = post(client, pct, {"period": "nonsense"}, bearer(role))
        assert response.status_code == 403 and "cơ quan chủ trì" in response.json()["detail"]


def test_another_agency_and_unknown_targets_are_404(client, bearer, pct):
    for url in (f"/api/v1/targets/{pct.pk}", f"/api/v1/targets/{pct.pk}/actuals", "/api/v1/targets/999999/actuals"):
        assert client.get(url, **bearer("other_focal")).status_code == 404
    assert post(client, pct, {"period": "2024-Q3", "value": 1, "unit": "%"}, bearer("other_head")).status_code == 404
    assert client.get("/api/v1/targets/999999", **bearer("admin")).status_code == 404
    assert client.get("/api/v1/plans/999999/targets", **bearer("admin")).status_code == 404


def test_plan_targets_with_latest_and_colour(client, bearer, plan, pct, km, rank, people):
    actions.do_enter_actual(pct, people["lead_focal"], period="2024-Q3", value="100", unit="%")
    actions.do_enter_actual(km, people["lead_focal"], period="2024-Q3", value="10", unit="km")
    body = client.get(f"/api/v1/plans/{plan.pk}/targets", **bearer("leader")).json()
    assert body["count"] == 3
    items = {i["id"]: i for i in body["items"]}
    assert items[pct.pk]["task"] == {"id": pct.task_id, "ref": "1.1#1"}
    assert (items[pct.pk]["op"], items[pct.pk]["value"], items[pct.pk]["unit"]) == (">=", 100.0, "%")
    assert items[pct.pk]["latest"]["period"] == "2024-Q3" and items[pct.pk]["colour"] == "green"
    assert items[km.pk]["colour"] == "red" and items[km.pk]["colour_label"] == "Có nguy cơ không đạt"
    assert items[rank.pk]["latest"] is None and items[rank.pk]["colour"] == "grey"
    assert items[pct.pk]["lead_agencies"] == ["Sở Y tế"] and items[pct.pk]["due_date"] == "2024-09-30"
    red = client.get(f"/api/v1/plans/{plan.pk}/targets?colour=red", **bearer("leader")).json()
    assert [i["id"] for i in red["items"]] == [km.pk]
    bad = client.get(f"/api/v1/plans/{plan.pk}/targets?colour=purple", **bearer("leader"))
    assert bad.status_code == 422 and "colour phải là một trong" in bad.json()["message"]
    one = client.get(f"/api/v1/targets/{km.pk}", **bearer("lead_focal")).json()
    assert one["colour"] == "red" and one["latest"]["value"] == 10.0


def test_session_post_needs_the_csrf_token(people, pct):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["lead_focal"])
    response = client.post(f"/api/v1/targets/{pct.pk}/actuals", {"period": "2024-Q3", "value": 1, "unit": "%"},
                           content_type="application/json")
    assert response.status_code in (401, 403) and not TargetActual.objects.exists()


def test_schema_documents_the_target_routes(client, people):
    client.force_login(people["viewer"])
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/targets/{target_id}/actuals"])
    body = paths["/api/v1/targets/{target_id}/actuals"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["period", "value", "unit"]
    assert "/api/v1/plans/{plan_id}/targets" in paths and "/api/v1/targets/{target_id}" in paths
