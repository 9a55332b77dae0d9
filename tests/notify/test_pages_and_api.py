"""My reminders, my settings (page and API), calendar tokens through the API."""

import datetime as dt
import re

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.notify import preferences
from dondoc.notify.models import CalendarToken, NotificationPreference, Outbox
from dondoc.notify.reminders import sweep
from dondoc.tracking.models import Notification


@pytest.fixture
def bearer(people):
    def make(who):
        _, raw = account_actions.do_create_token(people[who])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


def test_my_reminders_page(client, plan, people):
    sweep(dt.date(2024, 9, 30))
    client.force_login(people["lead_focal"])
    note = Notification.objects.get(user=people["lead_focal"], kind="reminder")
    page = client.get(note.url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Nhắc việc ngày 30/09/2024" in body and "Đến hạn hôm nay (1)" in body and "1.1#1" in body
    assert "đến hạn hôm nay" in body
    assert client.get("/nhac-viec/?ngay=khong-phai-ngay").status_code == 200


def overdue_refs(body: str) -> list[str]:
    """The task numbers listed under "Quá hạn" on the reminders page."""
    if "Quá hạn (" not in body:
        return []
    block = body[body.index("Quá hạn ("):]
    block = block[:block.index("</table>")]
    return re.findall(r"<code>([^<]+)</code>", block)


def test_the_reminders_page_reads_the_tasks_as_they_stand_now(client, plan, people, settings):
    """The morning sweep of 3/10 reminds Sở Y tế of two overdue tasks. Later that day 1.1#1 is declared done and
    confirmed, and III.1#1 is given until 6/10: the page no longer lists either as overdue."""
    from dondoc.tracking import actions

    from .conftest import set_due

    settings.DEMO_TODAY = day = dt.date(2024, 10, 3)  # 1.1#1 (due 30/9) three days overdue: a reminder day
    set_due(plan.tasks.get(ref="III.1#1"), dt.date(2024, 9, 30))
    sweep(day)
    client.force_login(people["lead_focal"])
    body = client.get("/nhac-viec/").content.decode()
    assert overdue_refs(body) == ["1.1#1", "III.1#1"] and 'id="settled"' not in body

    lead = plan.tasks.get(ref="1.1#1").assignments.get(role="lead")
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 10, 2))
    body = client.get("/nhac-viec/").content.decode()
    assert overdue_refs(body) == ["III.1#1"]  # awaiting confirmation is not overdue
    actions.do_confirm(claim, people["coordinator"])
    body = client.get("/nhac-viec/").content.decode()
    assert overdue_refs(body) == ["III.1#1"] and "1.1#1" not in body
    assert "1 nhiệm vụ được nhắc trong ngày không còn cần nhắc (đến lúc này)" in body

    other = plan.tasks.get(ref="III.1#1").assignments.get(agency=lead.agency)
    ext = actions.do_request_extension(other, people["lead_head"], new_deadline=dt.date(2024, 10, 6), reason="Chờ số liệu")
    actions.do_decide_extension(ext, people["coordinator"], approve=True)
    body = client.get("/nhac-viec/").content.decode()
    assert overdue_refs(body) == [] and "Sắp đến hạn (1)" in body  # its new deadline is three days away
    assert "06/10/2024" in body and "còn 3 ngày" in body
    ext = actions.do_request_extension(other, people["lead_head"], new_deadline=dt.date(2024, 12, 31), reason="Chờ vốn")
    actions.do_decide_extension(ext, people["coordinator"], approve=True)
    body = client.get("/nhac-viec/").content.decode()
    assert "Không có nhắc việc nào trong ngày này." in body  # months away: nothing to be reminded of today
    assert "2 nhiệm vụ được nhắc trong ngày không còn cần nhắc" in body
    # The day before reads as it stood then: nothing was reminded on 2/10 (overdue reminders every 3 days).
    assert overdue_refs(client.get("/nhac-viec/?ngay=2024-10-02").content.decode()) == []


def test_my_reminders_page_escapes_task_text(client, plan, people):
    task = plan.tasks.get(ref="1.1#1")
    task.text = "<img src=x onerror=alert(1)>"
    task.save()
    sweep(dt.date(2024, 9, 30))
    client.force_login(people["lead_focal"])
    body = client.get("/nhac-viec/?ngay=2024-09-30").content.decode()
    assert "<img src=x" not in body and "&lt;img src=x" in body


def test_settings_page_saves(client, people):
    client.force_login(people["lead_focal"])
    assert client.get("/nhac-viec/cai-dat/").status_code == 200
    response = client.post("/nhac-viec/cai-dat/", {"digest_hour": "16", "only_mandatory": "on"})
    assert response.status_code == 302
    assert preferences.of(people["lead_focal"]) == preferences.Preferences(16, False, True)


@pytest.mark.parametrize("hour", ["24", "-1", "bảy", ""])
def test_settings_page_refuses_a_bad_hour(client, people, hour):
    client.force_login(people["lead_focal"])
    response = client.post("/nhac-viec/cai-dat/", {"digest_hour": hour, "email_digest": "on"})
    assert response.status_code == 400
    assert "Giờ nhận thư tổng hợp phải là số nguyên từ 0 đến 23" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_api_settings(client, people, bearer):
    auth = bearer("lead_focal")
    assert client.get("/api/v1/me/notification-settings", **auth).json() == {
        "digest_hour": 7, "email_digest": True, "only_mandatory": False, "has_email": False}
    response = client.put("/api/v1/me/notification-settings", {"digest_hour": 6, "only_mandatory": True},
                          content_type="application/json", **auth)
    assert response.status_code == 200
    assert response.json() == {"digest_hour": 6, "email_digest": True, "only_mandatory": True, "has_email": False}
    assert preferences.of(people["lead_focal"]).digest_hour == 6


@pytest.mark.parametrize("data", [{"digest_hour": 24}, {"digest_hour": -1}, {"digest_hour": 7.5}, {"digest_hour": "7"},
                                  {"only_mandatory": "có"}, {"sms": True}])
def test_api_settings_refused(client, people, bearer, data):
    response = client.put("/api/v1/me/notification-settings", data, content_type="application/json", **bearer("lead_focal"))
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not NotificationPreference.objects.exists()


def test_changing_the_hour_in_the_api_moves_todays_digest(client, plan, people, bearer):
    people["lead_focal"].email = "syt.cb@tuyenquang.gov.vn"
    people["lead_focal"].save()
    sweep(dt.date(2024, 9, 30))
    client.put("/api/v1/me/notification-settings", {"digest_hour": 18}, content_type="application/json",
               **bearer("lead_focal"))
    at = Outbox.objects.get(user=people["lead_focal"]).next_attempt_at
    assert at == dt.datetime(2024, 9, 30, 18, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_api_calendar_tokens(client, plan, people, bearer):
    auth = bearer("lead_head")
    response = client.post("/api/v1/me/calendar-tokens", {"scope": "personal"}, content_type="application/json", **auth)
    assert response.status_code == 201
    body = response.json()
    assert body["scope"] == "personal" and body["url"].startswith("http://testserver/lich/")
    path = body["url"].removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    listed = client.get("/api/v1/me/calendar-tokens", **auth).json()
    assert listed["count"] == 1 and "url" not in listed["items"][0]  # the secret is never shown again
    assert client.delete(f"/api/v1/me/calendar-tokens/{body['id']}", **auth).status_code == 204
    assert client.get(path).status_code == 404
    assert client.get("/api/v1/me/calendar-tokens", **auth).json()["count"] == 0
    assert client.delete("/api/v1/me/calendar-tokens/999999", **auth).status_code == 404


def test_api_calendar_token_bad_scope(client, plan, bearer):
    response = client.post("/api/v1/me/calendar-tokens", {"scope": "all"}, content_type="application/json",
                           **bearer("lead_head"))
    assert response.status_code == 400 and "Phạm vi lịch không hợp lệ" in response.json()["detail"]
    assert not CalendarToken.objects.exists()


def test_send_reminders_command(plan, with_emails, settings, capsys):
    from django.core import mail
    from django.core.management import call_command

    settings.DEMO_TODAY = dt.date(2024, 9, 30)
    call_command("send_reminders", "--date", "2024-09-30", "--all")
    out = capsys.readouterr().out
    assert "Ngày 30/09/2024: 4 nhắc việc mới cho 4 người, 4 thư tổng hợp mới." in out
    assert "Thư: đã gửi 4" in out
    assert len(mail.outbox) == 4
    call_command("send_reminders", "--date", "2024-09-30", "--all")
    assert "0 nhắc việc mới" in capsys.readouterr().out and len(mail.outbox) == 4


def test_send_reminders_command_bad_date(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("send_reminders", "--date", "30/09/2024")
