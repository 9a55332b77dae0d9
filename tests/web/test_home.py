"""The home page lists what waits for each person, with counts (issue 16): claims to confirm and extensions to
decide (oversight), what was returned or directed and what is overdue (an agency's people), reports to approve
(the head) or to accept (the coordinator), drafts to publish, the province's overdue tasks."""

import datetime as dt

import lxml.html
import pytest

from dondoc.accounts.roles import Role
from dondoc.plans.models import Assignment
from dondoc.reports import actions as report_actions
from dondoc.tracking import actions
from dondoc.tracking.models import Claim

D = dt.date


def waiting(client, user) -> dict[str, tuple[int, str]]:
    """{kind: (count, the text of its card)} of the cards shown to `user`."""
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    return {card.get("id").removeprefix("waiting-"): (int(card.xpath(".//*[@data-count]")[0].text_content()),
                                                    " ".join(card.text_content().split()))
            for card in page.xpath("//section[starts-with(@id, 'waiting-')]")}


@pytest.fixture
def t4(figures_plan):
    return Assignment.objects.get(task__plan=figures_plan, task__text__startswith="T4", role="lead")


def test_each_role_sees_what_waits_for_it(client, users, figures_plan, t4, settings, make_user, orgs):
    coordinator, focal, head, leader = (users[r] for r in (Role.COORDINATOR, Role.FOCAL, Role.HEAD, Role.LEADER))
    # As of 05/10/2024 (conftest.figures_plan): Sở Tài chính's claim on T4 waits; T3 is overdue.
    mine = waiting(client, coordinator)
    assert mine["claims"][0] == 1 and "T4 trang bị máy chủ" in mine["claims"][1] and "Sở Tài chính" in mine["claims"][1]
    assert mine["overdue-tasks"][0] == 1 and "extensions" not in mine and "drafts" not in mine
    assert waiting(client, leader)["overdue-tasks"][0] == 1 and "claims" not in waiting(client, leader)
    assert "work-action" not in waiting(client, focal)

    actions.do_return(Claim.objects.get(assignment=t4), coordinator, reason="Thiếu biên bản nghiệm thu")
    theirs = waiting(client, focal)
    assert theirs["work-action"][0] == 1 and "T4 trang bị máy chủ" in theirs["work-action"][1]
    assert "bị trả lại" in theirs["work-action"][1]
    assert "claims" not in waiting(client, coordinator)

    actions.do_request_extension(t4, focal, new_deadline=D(2024, 10, 31), reason="Chờ bàn giao thiết bị")
    assert waiting(client, leader)["extensions"][0] == 1 and waiting(client, coordinator)["extensions"][0] == 1

    report = report_actions.do_create_report(figures_plan, focal, period="2024-Q3")
    assert waiting(client, focal)["reports-todo"][0] == 1
    report_actions.do_submit(report, focal)
    assert "reports-todo" not in waiting(client, focal)
    assert waiting(client, head)["reports-approve"][0] == 1
    report_actions.do_approve(report, head)
    assert "reports-approve" not in waiting(client, head)
    accepted = waiting(client, coordinator)["reports-accept"]
    assert accepted[0] == 1 and "Sở Tài chính" in accepted[1]


def test_nothing_waiting_is_said_so(client, make_user, orgs, figures_plan):
    idle = make_user("khdt.cb", Role.FOCAL, orgs["skhdt"])  # its agency leads nothing in the plan
    client.force_login(idle)
    page = client.get("/").content.decode()
    assert "Không có việc nào đang chờ bạn." in page and '<section' not in page


def test_the_cards_lead_to_the_whole_list(client, users, figures_plan, t4):
    coordinator, leader = users[Role.COORDINATOR], users[Role.LEADER]
    count, _ = waiting(client, coordinator)["claims"]
    page = lxml.html.fromstring(client.get("/cho-xu-ly/?loai=hoan-thanh").content.decode())
    assert int(page.get_element_by_id("pending-count").text_content()) == count
    assert len(page.xpath("//*[@id='pending']/tbody/tr[.//a]")) == count
    client.force_login(leader)  # the leader decides extensions, not completion claims
    assert client.get("/cho-xu-ly/?loai=hoan-thanh").status_code == 404
    assert client.get("/cho-xu-ly/?loai=gia-han").status_code == 200
