"""The unmatched-names panel: one printed name given to one agency on every task of the draft, in one step,
remembered for later plans; refused for an agency that no longer existed on the plan's date."""

import datetime as dt

import pytest

from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.plans import actions, naming
from dondoc.plans.resolve import Resolver

from .conftest import make_structure

UNKNOWN = "Ban Quản lý các dự án đầu tư xây dựng tỉnh"  # not in the organisation data


def _draft(users, date="2024-05-06"):
    structure = make_structure()
    structure["document"]["date"] = date
    tasks = [t for block in structure["assignments"] for t in block["tasks"]]
    tasks[0]["lead_override"] = [UNKNOWN]
    tasks[1]["lead_override"] = [UNKNOWN]
    tasks[2]["coordinating"] = [UNKNOWN, "Sở Xây dựng"]
    return actions.import_structure(structure, user=users[Role.COORDINATOR])


def test_one_step_gives_the_name_to_every_task_and_remembers_it(orgs, users):
    draft = _draft(users)
    unknown = {r.name: r for r in actions.unresolved(draft)}
    assert unknown[UNKNOWN].tasks == 3
    sxd = orgs["sxd"]
    assert naming.do_map_name(draft, UNKNOWN, sxd, user=users[Role.COORDINATOR]) == 3
    tasks = list(draft.tasks.order_by("order"))
    assert tasks[0].lead_names == tasks[1].lead_names == ["Sở Xây dựng"]
    assert tasks[2].coordinating_names == ["Sở Xây dựng"]  # once, though named twice now
    assert UNKNOWN not in actions.unresolved_names(draft)
    # Remembered: a later plan reads the name at once.
    assert Resolver(dt.date(2024, 9, 1))(UNKNOWN).agency == sxd
    assert Event.objects.filter(action="plan.name_mapped", object_id=str(draft.pk), changes__tasks=3).exists()
    assert Event.objects.filter(action="agency.alias_added", object_id=str(sxd.pk), changes__alias=UNKNOWN).exists()


def test_a_task_whose_lead_is_mapped_is_no_longer_flagged(orgs, users):
    draft = _draft(users)
    first, second = draft.tasks.order_by("order")[:2]
    assert first.needs_lead and second.needs_lead  # its only lead matched nothing
    naming.do_map_name(draft, UNKNOWN, orgs["sxd"], user=users[Role.COORDINATOR])
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.needs_lead and not second.needs_lead and first.version == 2


def test_not_remembered_when_asked_not_to(orgs, users):
    draft = _draft(users)
    naming.do_map_name(draft, UNKNOWN, orgs["sxd"], remember=False, user=users[Role.COORDINATOR])
    assert Resolver(dt.date(2024, 9, 1))(UNKNOWN).kind == "unknown"


def test_an_agency_gone_by_the_plans_date_is_refused_with_its_successor(orgs, users):
    draft = _draft(users, date="2025-11-20")
    with pytest.raises(actions.PlanError) as refused:
        naming.do_map_name(draft, UNKNOWN, orgs["skhdt"], user=users[Role.COORDINATOR])
    assert str(refused.value) == ("Sở Kế hoạch và Đầu tư không hoạt động vào ngày 20/11/2025 của kế hoạch; "
                                  "hãy chọn cơ quan kế thừa: Sở Tài chính.")
    assert UNKNOWN in actions.unresolved_names(draft)  # nothing changed
    assert not Event.objects.filter(action="plan.name_mapped").exists()


def test_a_dissolved_agencys_name_given_to_its_successor_is_not_made_an_alias(orgs, users):
    draft = _draft(users, date="2025-11-20")
    assert naming.do_map_name(draft, "Sở Kế hoạch và Đầu tư", orgs["stc"], user=users[Role.COORDINATOR]) == 2
    assert "Sở Kế hoạch và Đầu tư" not in actions.unresolved_names(draft)
    assert Resolver(dt.date(2024, 4, 23))("Sở Kế hoạch và Đầu tư").agency == orgs["skhdt"]  # older plans still mean it
    assert not Event.objects.filter(action="agency.alias_added").exists()


def test_a_name_no_task_carries_is_refused(orgs, users):
    draft = _draft(users)
    with pytest.raises(actions.PlanError):
        naming.do_map_name(draft, "Sở không có", orgs["sxd"], user=users[Role.COORDINATOR])


def test_the_panel_maps_a_name_in_one_post(client, orgs, users):
    draft = _draft(users)
    client.force_login(users[Role.COORDINATOR])
    page = client.get(f"/ke-hoach/{draft.pk}/ra-soat/").content.decode()
    assert "Áp dụng cho mọi nhiệm vụ" in page and f'value="{UNKNOWN}"' in page and "3 nhiệm vụ" in page
    response = client.post(f"/ke-hoach/{draft.pk}/ra-soat/ten-co-quan/",
                           {"name": UNKNOWN, "agency": orgs["sxd"].pk, "nho": "1"}, follow=True)
    assert response.status_code == 200
    assert "Đã giao 3 nhiệm vụ" in response.content.decode()
    response = client.post(f"/ke-hoach/{draft.pk}/ra-soat/ten-co-quan/", {"name": UNKNOWN, "agency": ""}, follow=True)
    assert "Hãy chọn một cơ quan." in response.content.decode()
    assert client.get(f"/ke-hoach/{draft.pk}/ra-soat/ten-co-quan/").status_code == 405
