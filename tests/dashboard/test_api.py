"""The figures over the API: the same numbers as figures.py (hand-counted in test_figures.py), who may read them,
and what bad input gets."""


import pytest

from dondoc.accounts import actions as account_actions
from dondoc.accounts.roles import Role

API_ROUTES = {"api:plan_summary", "api:province_summary", "api:rankings"}


@pytest.fixture
def bearer(users, make_user, orgs):
    from dondoc.accounts.models import User

    def make(role):
        user = users[role] if role in users else (User.objects.filter(username="api-agency").first()
                                                  or make_user("api-agency", Role.FOCAL, orgs["syt"]))
        _, raw = account_actions.do_create_token(user)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


def test_plan_summary(client, bearer, figures_plan):
    body = client.get(f"/api/v1/plans/{figures_plan.pk}/summary", **bearer(Role.VIEWER)).json()
    assert body["as_of"] == "2024-10-05"  # the application's today
    assert (body["total"], body["done_on_time"], body["overdue"], body["awaiting_confirmation"], body["ongoing"],
            body["open_in_time"], body["done_late"]) == (5, 1, 1, 1, 1, 1, 0)
    assert body["due_done_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert sum(s["total"] for s in body["by_section"]) == body["total"]
    assert {a["agency"]["name"] for a in body["by_agency"]} == {"Sở Y tế", "Sở Công Thương", "Sở Tài chính"}
    past = client.get(f"/api/v1/plans/{figures_plan.pk}/summary?as_of=2024-09-27", **bearer(Role.LEADER)).json()
    assert past["as_of"] == "2024-09-27" and past["total"] == 6 and past["open_in_time"] == 3


@pytest.mark.parametrize("as_of, message", [("10/05/2024", "YYYY-MM-DD"), ("2024-13-01", "YYYY-MM-DD"),
                                            ("2030-01-01", "sau ngày hôm nay")])
def test_bad_as_of(client, bearer, figures_plan, as_of, message):
    r = client.get(f"/api/v1/plans/{figures_plan.pk}/summary", {"as_of": as_of}, **bearer(Role.COORDINATOR))
    if message == "YYYY-MM-DD":  # not a date: the schema's type (422, the message names the format)
        assert r.status_code == 422 and message in r.json()["message"]
    else:
        assert r.status_code == 400 and message in r.json()["detail"]


def test_who_reads_the_plan_figures(client, bearer, figures_plan):
    url = f"/api/v1/plans/{figures_plan.pk}/summary"
    assert client.get(url).status_code == 401
    assert client.get(url, **bearer("agency")).status_code == 403  # agency people have their own dashboard
    assert client.get("/api/v1/summary", **bearer("agency")).status_code == 403
    for role in (Role.ADMIN, Role.LEADER, Role.COORDINATOR, Role.VIEWER):
        assert client.get(url, **bearer(role)).status_code == 200
    assert client.get("/api/v1/plans/999999/summary", **bearer(Role.VIEWER)).status_code == 404


def test_province_summary(client, bearer, figures_plan):
    body = client.get("/api/v1/summary", **bearer(Role.LEADER)).json()
    assert body["total"] == 5 and [p["plan"]["id"] for p in body["by_plan"]] == [figures_plan.pk]


def test_rankings(client, bearer, figures_plan):
    body = client.get("/api/v1/rankings?from=2024-01-01&to=2024-12-31", **bearer("agency")).json()
    assert body["count"] == 3 and body["from"] == "2024-01-01" and body["to"] == "2024-12-31"
    assert [(i["rank"], i["agency"]["name"], i["on_time_rate"], i["overdue"], i["late_reports"]) for i in body["items"]] == [
        (1, "Sở Y tế", 0.5, 0, 0), (2, "Sở Tài chính", 0.0, 0, 0), (3, "Sở Công Thương", 0.0, 1, 0)]
    default = client.get("/api/v1/rankings", **bearer(Role.VIEWER)).json()
    assert default["from"] == "2024-01-01" and default["to"] == "2024-12-31"  # the current year
    assert client.get("/api/v1/rankings?from=2024-12-31&to=2024-01-01", **bearer(Role.VIEWER)).status_code == 400
    assert client.get("/api/v1/rankings?from=hom-nay", **bearer(Role.VIEWER)).status_code == 422  # not a date
    assert client.get("/api/v1/rankings").status_code == 401
