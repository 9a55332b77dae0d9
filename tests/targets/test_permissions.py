"""The permission matrix of the target pages, actions and API, for every kind of person.

Oversight roles see every target; an agency's people see the targets of their own tasks (lead or partner) and
get 404 on another agency's; only the lead agency enters actuals; only the coordinator (and the admin) adds
targets and sets baselines. `ROUTES` lists every route checked here, for the project-wide route table."""

import pytest

from dondoc.targets.models import Target, TargetActual

ROLES = ["admin", "leader", "coordinator", "viewer", "lead_head", "lead_focal", "partner_head", "partner_focal",
         "other_head", "other_focal", "anonymous"]
OVERSIGHT = {"admin", "leader", "coordinator", "viewer"}
COORD = {"admin", "coordinator"}
LEAD = {"lead_head", "lead_focal"}
PARTNER = {"partner_head", "partner_focal"}
OTHER = {"other_head", "other_focal"}
AGENCY = LEAD | PARTNER | OTHER


def expect(ok=(), forbidden=(), hidden=()):
    table = {role: "ok" if role in ok else 403 if role in forbidden else 404 if role in hidden else None for role in ROLES}
    table["anonymous"] = "login"
    assert None not in table.values(), table
    return table


# name -> (url(plan, target), table)
PAGES = {
    "targets:index": (lambda p, t: "/chi-tieu/", expect(ok=OVERSIGHT | AGENCY)),
    "targets:plan": (lambda p, t: f"/chi-tieu/ke-hoach/{p.pk}/", expect(ok=OVERSIGHT | AGENCY)),
    "targets:detail": (lambda p, t: f"/chi-tieu/{t.pk}/", expect(ok=OVERSIGHT | LEAD | PARTNER, hidden=OTHER)),
    "targets:add": (lambda p, t: f"/chi-tieu/ke-hoach/{p.pk}/them/", expect(ok=COORD, forbidden=(OVERSIGHT - COORD) | AGENCY)),
    "api:list_plan_targets": (lambda p, t: f"/api/v1/plans/{p.pk}/targets", expect(ok=OVERSIGHT | AGENCY)),
    "api:get_target": (lambda p, t: f"/api/v1/targets/{t.pk}", expect(ok=OVERSIGHT | LEAD | PARTNER, hidden=OTHER)),
    "api:list_actuals": (lambda p, t: f"/api/v1/targets/{t.pk}/actuals",
                         expect(ok=OVERSIGHT | LEAD | PARTNER, hidden=OTHER)),
}

# name -> (url(plan, target), data(plan, target), did_it(target) -> bool, table)
ACTIONS = {
    "targets:enter_actual": (lambda p, t: f"/chi-tieu/{t.pk}/so-lieu/",
                             lambda p, t: {"period": "2024-Q3", "value": "85,5", "unit": "%", "note": ""},
                             lambda t: TargetActual.objects.filter(target=t).exists(),
                             expect(ok=LEAD, forbidden=OVERSIGHT | PARTNER, hidden=OTHER)),
    "targets:set_baseline": (lambda p, t: f"/chi-tieu/{t.pk}/gia-tri-xuat-phat/", lambda p, t: {"baseline": "10"},
                             lambda t: Target.objects.get(pk=t.pk).baseline is not None,
                             expect(ok=COORD, forbidden=(OVERSIGHT - COORD) | LEAD | PARTNER, hidden=OTHER)),
    "targets:add": (lambda p, t: f"/chi-tieu/ke-hoach/{p.pk}/them/",
                    lambda p, t: {"task": t.task_id, "op": ">=", "value": "10", "unit": "km", "text": "Thêm bằng tay"},
                    lambda t: Target.objects.filter(text="Thêm bằng tay").exists(),
                    expect(ok=COORD, forbidden=(OVERSIGHT - COORD) | AGENCY)),
    "api:post_actual": (lambda p, t: f"/api/v1/targets/{t.pk}/actuals",
                        lambda p, t: {"period": "2024-Q3", "value": 85.5, "unit": "%"},
                        lambda t: TargetActual.objects.filter(target=t).exists(),
                        expect(ok=LEAD, forbidden=OVERSIGHT | PARTNER, hidden=OTHER)),
}

ROUTES = set(PAGES) | set(ACTIONS)


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages(client, people, plan, pct, name, role):
    build, table = PAGES[name]
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(build(plan, pct))
    expected = table[role]
    if expected == "login":
        if name.startswith("api:"):
            assert response.status_code == 401
        else:
            assert response.status_code == 302 and response.url.startswith("/dang-nhap/")
    else:
        assert response.status_code == (200 if expected == "ok" else expected), f"{role}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_actions(client, people, plan, pct, name, role):
    url, data, did_it, table = ACTIONS[name]
    if role != "anonymous":
        client.force_login(people[role])
    if name.startswith("api:"):
        response = client.post(url(plan, pct), data(plan, pct), content_type="application/json")
    else:
        response = client.post(url(plan, pct), data(plan, pct))
    expected = table[role]
    if expected == "ok":
        assert response.status_code in (201, 302) and did_it(pct), f"{role} could not {name}: {response.status_code}"
    else:
        code = (401 if name.startswith("api:") else 302) if expected == "login" else expected
        assert response.status_code == code, f"{role} on {name}: {response.status_code}"
        assert not did_it(pct), f"{role} managed to {name}"


@pytest.mark.parametrize("name", ["targets:enter_actual", "targets:set_baseline"])
def test_actions_are_post_only(client, people, pct, name):
    client.force_login(people["lead_focal"] if name == "targets:enter_actual" else people["coordinator"])
    url = ACTIONS[name][0](None, pct)
    assert client.get(url).status_code == 405


def test_agency_people_see_only_their_own_targets_in_lists(client, people, plan, pct, km, rank):
    other_task = plan.tasks.get(ref="1.2#1")  # UBND huyện, thành phố: neither Sở Y tế nor Sở Tài chính
    from dondoc.targets import actions

    foreign = actions.do_add_target(other_task, people["coordinator"], op=">=", value="5", unit="xã",
                                    text="Chỉ tiêu của huyện")
    for role, expected in [("lead_focal", {pct.pk, km.pk, rank.pk}), ("partner_focal", {pct.pk, km.pk}),
                           ("other_focal", set()), ("viewer", {pct.pk, km.pk, rank.pk, foreign.pk})]:
        client.force_login(people[role])
        page = client.get(f"/chi-tieu/ke-hoach/{plan.pk}/").content.decode()
        api = client.get(f"/api/v1/plans/{plan.pk}/targets").json()
        assert {i["id"] for i in api["items"]} == expected, role
        assert ("Chỉ tiêu của huyện" in page) == (role == "viewer"), role
    client.force_login(people["lead_focal"])
    assert client.get(f"/chi-tieu/{foreign.pk}/").status_code == 404
    assert client.get(f"/api/v1/targets/{foreign.pk}/actuals").status_code == 404


def test_targets_of_a_draft_are_not_found(client, people, users):
    from dondoc.plans import actions as plan_actions

    from .conftest import structure_with_targets

    draft = plan_actions.import_structure(structure_with_targets(document={"number": "98/KH-UBND", "date": "2024-06-01"}))
    client.force_login(people["viewer"])
    assert client.get(f"/chi-tieu/ke-hoach/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/plans/{draft.pk}/targets").status_code == 404
    client.force_login(people["coordinator"])
    assert client.get(f"/chi-tieu/ke-hoach/{draft.pk}/them/").status_code == 404
