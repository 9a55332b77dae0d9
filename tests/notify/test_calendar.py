"""Calendar feeds: a revocable token per person and per agency; /lich/<token>.ics with deadlines and report dates."""

import datetime as dt

import pytest

from dondoc.notify import calendar, ical
from dondoc.notify.models import CalendarScope, CalendarToken, hash_token
from dondoc.tracking import actions


def events(response) -> list[dict]:
    """The VEVENTs of a feed, unfolded and split into {property: value}."""
    text = ical.unfold(response.content.decode("utf-8"))
    out, current = [], None
    for line in text.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None and ":" in line:
            name, value = line.split(":", 1)
            current[name] = value
    return out


def by_summary(evs, start):
    return [e for e in evs if e["SUMMARY"].startswith(start)]


@pytest.fixture
def token(plan, people):
    def make(who, scope=CalendarScope.PERSONAL):
        _, raw = calendar.do_create_token(people[who], scope)
        return raw
    return make


def test_personal_feed_of_a_focal_point(client, token, lead):
    raw = token("lead_focal")
    response = client.get(f"/lich/{raw}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    evs = events(response)
    deadline = next(e for e in evs if e["UID"] == f"giao-viec-{lead.pk}@dondoc")
    assert deadline["DTSTART;VALUE=DATE"] == "20240930" and deadline["DTEND;VALUE=DATE"] == "20241001"
    assert deadline["SUMMARY"] == "Hạn: 1.1#1 Triển khai bệnh án điện tử tại các bệnh viện"
    assert deadline["DESCRIPTION"] == (
        "Hạn nhiệm vụ 1.1#1 của Kế hoạch số 12/KH-UBND — chủ trì: Sở Y tế\\n"
        "Triển khai bệnh án điện tử tại các bệnh viện\\nThời hạn: 30/09/2024\\n"
        f"http://127.0.0.1:8000/giao-viec/{lead.pk}/")
    assert deadline["URL"] == f"http://127.0.0.1:8000/giao-viec/{lead.pk}/"
    assert "DTSTAMP" in deadline
    # III.1#1 (due 10/12), the quarterly 1.1#2's next report dates, and the plan's report date.
    assert [e["DTSTART;VALUE=DATE"] for e in by_summary(evs, "Hạn: III.1#1")] == ["20241210"]
    reports = by_summary(evs, "Báo cáo Quý")
    assert reports[0]["DESCRIPTION"].startswith(
        "Hạn báo cáo Quý III/2024 về nhiệm vụ 1.1#2 của Kế hoạch số 12/KH-UBND — chủ trì: Sở Y tế\\nBáo cáo kết quả hằng quý")
    # Q4's report is due on the plan's own date (10/12), as the report page says, not the generic 16/12.
    assert [e["DTSTART;VALUE=DATE"] for e in reports][:2] == ["20240916", "20241210"]
    assert reports[0]["SUMMARY"].startswith("Báo cáo Quý III/2024: 1.1#2")
    (plan_event,) = by_summary(evs, "Hạn báo cáo kết quả thực hiện")
    assert plan_event["DTSTART;VALUE=DATE"] == "20241210"
    assert len({e["UID"] for e in evs}) == len(evs)


def test_a_partners_event_says_who_leads(client, token, partner):
    """Sở Tài chính coordinates 1.1#1: its calendar says so, and names the lead."""
    text = client.get(f"/lich/{token('partner_focal')}.ics").content.decode()
    evs = events(client.get(f"/lich/{token('partner_head')}.ics"))
    (deadline,) = [e for e in evs if e["UID"] == f"giao-viec-{partner.pk}@dondoc"]
    assert deadline["DESCRIPTION"].startswith(
        "Hạn nhiệm vụ 1.1#1 của Kế hoạch số 12/KH-UBND — phối hợp: Sở Tài chính (chủ trì: Sở Y tế)\\n"
        "Triển khai bệnh án điện tử")
    assert "Chủ trì:" not in ical.unfold(text)  # the old "Chủ trì: <task text>" reading is gone


def test_uids_are_stable(client, token):
    raw = token("lead_head")
    first = {e["UID"]: e["DTSTART;VALUE=DATE"] for e in events(client.get(f"/lich/{raw}.ics"))}
    second = {e["UID"]: e["DTSTART;VALUE=DATE"] for e in events(client.get(f"/lich/{raw}.ics"))}
    assert first == second


def test_done_and_cancelled_leave_the_feed(client, token, lead, people, settings):
    raw = token("lead_head")
    settings.DEMO_TODAY = dt.date(2024, 9, 20)
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 19))
    actions.do_confirm(claim, people["coordinator"])
    evs = events(client.get(f"/lich/{raw}.ics"))
    assert not by_summary(evs, "Hạn: 1.1#1")
    actions.do_cancel_task(lead.task.plan.tasks.get(ref="III.1#1"), people["coordinator"], reason="Bỏ")
    assert not by_summary(events(client.get(f"/lich/{raw}.ics")), "Hạn: III.1#1")


def test_focal_point_sees_own_or_unassigned_agency_feed_sees_all(client, token, lead, people, make_user, orgs):
    other = make_user("syt.cb2", "focal", orgs["syt"])
    actions.do_assign_person(lead, people["lead_head"], people["lead_focal"])
    _, raw_other = calendar.do_create_token(other, CalendarScope.PERSONAL)
    assert not by_summary(events(client.get(f"/lich/{raw_other}.ics")), "Hạn: 1.1#1")
    assert by_summary(events(client.get(f"/lich/{token('lead_focal')}.ics")), "Hạn: 1.1#1")
    agency = token("lead_focal", CalendarScope.AGENCY)
    response = client.get(f"/lich/{agency}.ics")
    assert by_summary(events(response), "Hạn: 1.1#1")
    assert "X-WR-CALNAME:dondoc – Sở Y tế" in ical.unfold(response.content.decode())


def test_oversight_feed_shows_plan_report_dates(client, token, plan):
    evs = events(client.get(f"/lich/{token('coordinator')}.ics"))
    assert {(e["SUMMARY"], e["DTSTART;VALUE=DATE"]) for e in evs} == {
        ("Hạn các cơ quan báo cáo: Kế hoạch số 12/KH-UBND", "20241210"),
        ("Hạn tổng hợp báo cáo UBND: Kế hoạch số 12/KH-UBND", "20241215")}


def test_user_text_is_escaped_in_the_feed(client, token, plan):
    task = plan.tasks.get(ref="1.1#1")
    task.text = "Rà soát; bổ sung, hoàn thiện\nhồ sơ \\ dữ liệu"
    task.save()
    text = ical.unfold(client.get(f"/lich/{token('lead_head')}.ics").content.decode())
    assert "SUMMARY:Hạn: 1.1#1 Rà soát\\; bổ sung\\, hoàn thiện hồ sơ \\\\ dữ liệu" in text


@pytest.mark.parametrize("raw", ["", "x", "a" * 43, "a" * 200, "../../etc/passwd", "%00"])
def test_invalid_token_is_404(client, plan, raw):
    assert client.get(f"/lich/{raw}.ics").status_code == 404


def test_revoked_token_is_404(client, token, people):
    raw = token("lead_focal")
    assert client.get(f"/lich/{raw}.ics").status_code == 200
    calendar.do_revoke_token(CalendarToken.objects.get(digest=hash_token(raw)), people["lead_focal"])
    assert client.get(f"/lich/{raw}.ics").status_code == 404


def test_deactivated_owner_or_owner_who_left_the_agency_is_404(client, token, people, orgs):
    personal, agency = token("lead_focal"), token("lead_head", CalendarScope.AGENCY)
    head = people["lead_head"]
    head.agency = orgs["sct"]
    head.save()
    assert client.get(f"/lich/{agency}.ics").status_code == 404
    people["lead_focal"].is_active = False
    people["lead_focal"].save()
    assert client.get(f"/lich/{personal}.ics").status_code == 404


def test_only_the_digest_is_stored(token):
    raw = token("lead_focal")
    row = CalendarToken.objects.get()
    assert row.digest == hash_token(raw) and raw not in (row.digest, row.prefix) and row.prefix == raw[:8]
    assert len(raw) >= 43  # 32 random bytes


def test_feed_use_is_recorded_hourly(client, token, settings):
    raw = token("lead_focal")
    client.get(f"/lich/{raw}.ics")
    first = CalendarToken.objects.get().last_used_at
    assert first is not None
    client.get(f"/lich/{raw}.ics")
    assert CalendarToken.objects.get().last_used_at == first


def test_agency_feed_needs_an_agency_role(people, plan):
    from dondoc.tracking.access import Forbidden

    with pytest.raises(Forbidden):
        calendar.do_create_token(people["coordinator"], CalendarScope.AGENCY)
    with pytest.raises(calendar.CalendarError):
        calendar.do_create_token(people["lead_focal"], "everyone")


# --- The page "Lịch của tôi" ---------------------------------------------------------------------------------

def test_page_creates_shows_once_and_revokes(client, people, plan):
    client.force_login(people["lead_focal"])
    page = client.get("/lich-cua-toi/").content.decode()
    assert "Tạo đường dẫn lịch cá nhân" in page and "Tạo đường dẫn lịch của cơ quan" in page
    response = client.post("/lich-cua-toi/tao/", {"scope": "agency"})
    assert response.status_code == 302
    page = client.get("/lich-cua-toi/").content.decode()
    token = CalendarToken.objects.get()
    assert token.scope == "agency" and token.agency == people["lead_focal"].agency
    import re

    url = re.search(r'value="(http://testserver/lich/[^"]+\.ics)"', page).group(1)
    assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert "chỉ hiện một lần" in page
    assert url not in client.get("/lich-cua-toi/").content.decode()  # shown once
    response = client.post(f"/lich-cua-toi/{token.pk}/thu-hoi/")
    assert response.status_code == 302
    assert client.get(url.removeprefix("http://testserver")).status_code == 404


def test_page_for_oversight_roles_offers_personal_feed_only(client, people, plan):
    client.force_login(people["leader"])
    page = client.get("/lich-cua-toi/").content.decode()
    assert "Tạo đường dẫn lịch cá nhân" in page and "Tạo đường dẫn lịch của cơ quan" not in page
    assert client.post("/lich-cua-toi/tao/", {"scope": "agency"}).status_code == 403
    assert not CalendarToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client, people, plan):
    theirs, _ = calendar.do_create_token(people["other_focal"], CalendarScope.PERSONAL)
    client.force_login(people["lead_focal"])
    assert client.post(f"/lich-cua-toi/{theirs.pk}/thu-hoi/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_head_sees_and_revokes_the_agencys_feeds(client, people, plan):
    focal_token, _ = calendar.do_create_token(people["lead_focal"], CalendarScope.AGENCY)
    personal, _ = calendar.do_create_token(people["lead_focal"], CalendarScope.PERSONAL)
    client.force_login(people["lead_head"])
    page = client.get("/lich-cua-toi/").content.decode()
    assert focal_token.prefix in page and personal.prefix not in page
    assert client.post(f"/lich-cua-toi/{focal_token.pk}/thu-hoi/").status_code == 302
    assert client.post(f"/lich-cua-toi/{personal.pk}/thu-hoi/").status_code == 404
