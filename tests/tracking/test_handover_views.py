"""The hand-over page (issue 18): who may open it, the proposal it shows, applying it with one row changed, undo."""

import datetime as dt

import pytest

from dondoc.plans.models import Assignment
from dondoc.tracking.models import HandOver

MARCH_1 = dt.date(2025, 3, 1)


@pytest.fixture
def page_url(plan, orgs, settings):
    settings.DEMO_TODAY = MARCH_1
    return f"/ban-giao/{orgs['skhdt'].pk}/"


def test_it_is_for_coordinators_only(client, people, page_url):
    for who in ("leader", "lead_head", "viewer"):
        client.force_login(people[who])
        assert client.get(page_url).status_code == 403
        assert client.post(page_url, {"effective": "2025-03-01"}).status_code == 403
    assert not HandOver.objects.exists()


def test_it_shows_each_open_assignment_with_its_proposal(client, people, orgs, page_url):
    client.force_login(people["coordinator"])
    page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200 and len(page.context["proposal"]) == 4
    assert html.count('data-default="p"') == 4 and "Đề xuất: Sở Tài chính" in html
    # The agency's page links to it for a coordinator.
    assert page_url in client.get(f"/co-quan/{orgs['skhdt'].pk}/").content.decode()


def test_apply_with_one_row_kept_then_undo(client, people, orgs, plan, page_url):
    client.force_login(people["coordinator"])
    kept = Assignment.objects.get(task__plan=plan, task__ref="III.2#2", agency=orgs["skhdt"])
    # As the browser sends it: the unchanged rows are left out, the changed one says "none".
    answer = client.post(page_url, {"effective": "2025-03-01", f"to-{kept.pk}": "none", "accounts": "keep",
                                    "accounts_to": str(orgs["stc"].pk)}, follow=True)
    assert "Đã bàn giao 3 nhiệm vụ" in answer.content.decode() and "1 nhiệm vụ chưa chọn" in answer.content.decode()
    kept.refresh_from_db()
    assert kept.ended_at is None
    assert Assignment.objects.filter(predecessor__agency=orgs["skhdt"]).count() == 2  # III.1#1: Sở Tài chính's own
    done = HandOver.objects.get()
    answer = client.post(f"/ban-giao/hoan-tac/{done.pk}/", follow=True)
    assert "Đã hoàn tác" in answer.content.decode()
    assert not Assignment.objects.filter(predecessor__isnull=False).exists()
    assert not Assignment.objects.filter(agency=orgs["skhdt"], ended_at__isnull=False).exists()


def test_a_tampered_choice_is_refused_and_nothing_moves(client, people, orgs, plan, page_url):
    client.force_login(people["coordinator"])
    one = Assignment.objects.filter(task__plan=plan, agency=orgs["skhdt"]).first()
    answer = client.post(page_url, {"effective": "2025-03-01", f"to-{one.pk}": str(orgs["sxd"].pk)}, follow=True)
    assert "không hợp lệ" in answer.content.decode()
    assert not HandOver.objects.exists()


def test_each_side_of_a_hand_over_shows_the_other(client, people, orgs, plan, page_url):
    from dondoc.accounts import actions as account_actions
    from dondoc.tracking import handover

    handover.do_hand_over(orgs["skhdt"], people["coordinator"], accounts="keep")
    old = Assignment.objects.get(task__plan=plan, task__ref="III.2#1", agency=orgs["skhdt"])
    new = Assignment.objects.get(predecessor=old)
    client.force_login(people["coordinator"])
    old_page = client.get(f"/giao-viec/{old.pk}/").content.decode()
    assert "Đã bàn giao cho Sở Tài chính từ ngày 01/03/2025" in old_page
    assert ">Đã bàn giao</span>" in old_page and ">Đã hủy</span>" not in old_page  # ended by the hand-over, not cancelled
    assert "Tiếp nhận từ Sở Kế hoạch và Đầu tư từ ngày 01/03/2025" in client.get(f"/giao-viec/{new.pk}/").content.decode()
    # The task's page shows the chain on the successor's line (the old assignment, ended, is no longer listed).
    task_page = client.get(f"/ke-hoach/{plan.pk}/nhiem-vu/{old.task_id}/").content.decode()
    assert "Sở Tài chính</a> <span class=\"text-muted small\">(tiếp nhận từ Sở Kế hoạch và Đầu tư từ 01/03/2025)" in task_page
    ended = task_page.split('id="ended-parts">')[1].split("</dd>")[0]
    assert "Sở Kế hoạch và Đầu tư (chủ trì) đến hết ngày 28/02/2025, đã bàn giao cho Sở Tài chính" in ended
    # Where Sở Tài chính already had the same part (III.1#1), the old agency is still named, with whom it went to.
    shared = Assignment.objects.get(task__plan=plan, task__ref="III.1#1", agency=orgs["skhdt"])
    shared_page = client.get(f"/ke-hoach/{plan.pk}/nhiem-vu/{shared.task_id}/").content.decode()
    assert "đã bàn giao cho Sở Tài chính" in shared_page.split('id="ended-parts">')[1]
    _, raw = account_actions.do_create_token(people["coordinator"])
    body = client.get(f"/api/v1/assignments/{new.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["predecessor"] == {"assignment": old.pk, "agency": {"id": orgs["skhdt"].pk, "name": "Sở Kế hoạch và Đầu tư"},
                                   "on": "2025-03-01"}
    old_body = client.get(f"/api/v1/assignments/{old.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert [s["assignment"] for s in old_body["successors"]] == [new.pk] and old_body["status"] == "cancelled"
    # The plan's task list names who holds the work on the day shown: Sở Tài chính today, Sở KH&ĐT on 28/02.
    def lead_cell(query):
        html = client.get(f"/ke-hoach/{plan.pk}/nhiem-vu/?{query}").content.decode()
        return html.split(f"/nhiem-vu/{old.task_id}/")[1].split("</tr>")[0]
    from django.utils.html import escape

    skhdt_label, stc_label = (escape(orgs[c].short_name or orgs[c].name) for c in ("skhdt", "stc"))
    today_row, before_row = lead_cell(""), lead_cell("ngay=2025-02-28")
    assert stc_label in today_row and skhdt_label not in today_row
    assert skhdt_label in before_row and stc_label not in before_row
    assert f"/nhiem-vu/{old.task_id}/" not in client.get(
        f"/ke-hoach/{plan.pk}/nhiem-vu/?agency={orgs['skhdt'].pk}").content.decode()  # no longer its work
    # The lists say it too: the cross-plan list, and the successor's own work (page and API).
    listed = client.get(f"/api/v1/assignments?agency={orgs['stc'].pk}&plan={plan.pk}&page_size=100",
                        HTTP_AUTHORIZATION=f"Bearer {raw}").json()["items"]
    assert {i["id"]: i["predecessor"] for i in listed}[new.pk] == old.pk
    assert all(i["predecessor"] is None for i in listed if i["id"] != new.pk and i["task"]["ref"] not in
               {"III.2#2", "III.1#1", "1.3#1"})
    client.force_login(people["partner_focal"])  # a Sở Tài chính officer
    assert f'/giao-viec/{new.pk}/"><code>III.2#1</code>' in client.get("/viec-cua-toi/").content.decode()
    row = client.get("/viec-cua-toi/").content.decode().split(f'/giao-viec/{new.pk}/"')[1].split("</tr>")[0]
    assert "tiếp nhận từ Sở Kế hoạch và Đầu tư" in row
    _, own = account_actions.do_create_token(people["partner_focal"])
    mine = client.get("/api/v1/me/assignments?page_size=100", HTTP_AUTHORIZATION=f"Bearer {own}").json()["items"]
    assert {i["id"]: i["predecessor"] for i in mine}[new.pk] == old.pk


def test_a_day_to_come_is_scheduled_from_the_page_then_cancelled(client, people, orgs, plan, page_url, settings):
    settings.DEMO_TODAY = dt.date(2025, 2, 20)
    client.force_login(people["coordinator"])
    form = client.get(page_url).content.decode()
    assert "Lên lịch bàn giao từ ngày 01/03/2025" in form  # the button says what will happen
    answer = client.post(page_url, {"effective": "2025-03-01", "accounts": "move",
                                    "accounts_to": str(orgs["stc"].pk)}, follow=True)
    html = answer.content.decode()
    assert "Đã lên lịch bàn giao 4 nhiệm vụ" in html and "Đã lên lịch bàn giao từ ngày <b>01/03/2025</b>" in html
    assert 'data-send-changed' not in html  # no second proposal beside the schedule
    assert not Assignment.objects.filter(ended_at__isnull=False).exists()
    scheduled = HandOver.objects.get()
    answer = client.post(f"/ban-giao/hoan-tac/{scheduled.pk}/", follow=True)
    assert "Đã hủy lịch bàn giao từ ngày 01/03/2025" in answer.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.state == HandOver.State.CANCELLED
    assert "data-send-changed" in client.get(page_url).content.decode()  # it can be prepared again


def test_a_claim_returned_after_the_hand_over_asks_for_a_second_one(client, people, orgs, plan, page_url, settings):
    """Work reported done before the hand-over stays with the old agency; returned afterwards, it is open again
    under an agency that no longer exists: its page says so to the coordinator, and the hand-over page lists it."""
    from dondoc.accounts.models import User
    from dondoc.accounts.roles import Role
    from dondoc.tracking import actions, handover

    settings.DEMO_TODAY = dt.date(2025, 2, 20)
    officer = User.objects.create(username="khdt.cb", role=Role.FOCAL, agency=orgs["skhdt"])
    theirs = Assignment.objects.get(task__plan=plan, task__ref="III.2#1", agency=orgs["skhdt"])
    claim = actions.do_claim(theirs, officer, completed_on=dt.date(2025, 2, 19))
    settings.DEMO_TODAY = MARCH_1
    handover.do_hand_over(orgs["skhdt"], people["coordinator"], accounts="keep")
    assert not Assignment.objects.filter(predecessor=theirs).exists()  # awaiting confirmation: not moved
    client.force_login(people["coordinator"])
    assert 'id="to-hand-over"' not in client.get(f"/giao-viec/{theirs.pk}/").content.decode()
    client.post(f"/hoan-thanh/{claim.pk}/tra-lai/", {"reason": "Chưa có văn bản kèm theo"})
    claim.refresh_from_db()
    assert claim.state == "returned"
    page = client.get(f"/giao-viec/{theirs.pk}/").content.decode()
    assert 'id="to-hand-over"' in page and page_url in page
    assert [p.assignment.pk for p in client.get(page_url).context["proposal"]] == [theirs.pk]
