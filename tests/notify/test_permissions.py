"""Every reminder and calendar page, action and API endpoint, for every role: 200, 403, 404 or the login."""

import datetime as dt

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.accounts.roles import Role
from dondoc.notify import calendar
from dondoc.notify.models import CalendarScope, CalendarToken, NotificationPreference, ReminderSchedule

ALL = set(Role.values)
EDITORS = {Role.ADMIN, Role.COORDINATOR}
AGENCY = {Role.HEAD, Role.FOCAL}

# Every route of the notify app and its API, for tests/test_permissions.py's "every route is in a table" check.
PAGES = {
    "notify:reminders": ("/nhac-viec/", ALL),
    "notify:settings": ("/nhac-viec/cai-dat/", ALL),
    "notify:schedule": ("/nhac-viec/lich-nhac/", EDITORS),
    "notify:calendar": ("/lich-cua-toi/", ALL),
}
API_GET = {
    "api:reminder_schedule": ("/api/v1/reminders/schedule", ALL),
    "api:notification_settings": ("/api/v1/me/notification-settings", ALL),
    "api:list_calendar_tokens": ("/api/v1/me/calendar-tokens", ALL),
}
# notify:mail_folder exists only with DONDOC_EMAIL_FOLDER (tests/notify/test_demo_mail.py covers who reads what).
OTHER = {"notify:calendar_create", "notify:calendar_revoke", "notify:feed", "notify:mail_folder", "api:set_reminder_schedule",
         "api:set_notification_settings", "api:create_calendar_token", "api:revoke_calendar_token"}
ROUTES = set(PAGES) | set(API_GET) | OTHER


def test_the_tables_cover_every_notify_route():
    from tests.test_permissions import _named_routes

    ours = {name for name in _named_routes() if name.startswith("notify:")}
    api = {name for name in _named_routes() if name.startswith("api:")}
    assert ours == {n for n in ROUTES if n.startswith("notify:")}
    assert {n for n in ROUTES if n.startswith("api:")} <= api


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages(client, users, name):
    url, allowed = PAGES[name]
    assert client.get(url).status_code == 302 and client.get(url).url.startswith("/dang-nhap/")
    for role, user in users.items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if role in allowed else 403), f"{role} on {url}"


@pytest.fixture
def bearer(users):
    def make(role):
        _, raw = account_actions.do_create_token(users[role])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


@pytest.mark.parametrize("name", sorted(API_GET))
def test_api_reads(client, users, bearer, name):
    url, allowed = API_GET[name]
    assert client.get(url).status_code == 401
    for role in users:
        assert client.get(url, **bearer(role)).status_code == (200 if role in allowed else 403), role


def test_schedule_page_post_is_refused_to_other_roles(client, users):
    for role, user in users.items():
        if role in EDITORS:
            continue
        client.force_login(user)
        assert client.post("/nhac-viec/lich-nhac/", {"before_days": "3", "overdue_every": "2"}).status_code == 403
    client.logout()
    assert client.post("/nhac-viec/lich-nhac/", {"before_days": "3", "overdue_every": "2"}).status_code == 302
    assert not ReminderSchedule.objects.exists()


def test_api_writes_need_a_login(client, users):
    assert client.put("/api/v1/reminders/schedule", {"before_days": [3]}, content_type="application/json").status_code == 401
    assert client.put("/api/v1/me/notification-settings", {"digest_hour": 9},
                      content_type="application/json").status_code == 401
    assert client.post("/api/v1/me/calendar-tokens", {}, content_type="application/json").status_code == 401
    token, _ = calendar.do_create_token(users[Role.FOCAL], CalendarScope.PERSONAL)
    assert client.delete(f"/api/v1/me/calendar-tokens/{token.pk}").status_code == 401
    assert not ReminderSchedule.objects.exists() and not NotificationPreference.objects.exists()
    assert CalendarToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_calendar_actions_need_a_login(client, users):
    token, _ = calendar.do_create_token(users[Role.FOCAL], CalendarScope.PERSONAL)
    assert client.post("/lich-cua-toi/tao/").status_code == 302
    assert client.post(f"/lich-cua-toi/{token.pk}/thu-hoi/").status_code == 302
    assert client.get("/lich-cua-toi/tao/").status_code == 405
    assert CalendarToken.objects.count() == 1 and CalendarToken.objects.get().revoked_at is None


@pytest.mark.parametrize("role", sorted(ALL))
def test_agency_feed_for_agency_roles_only(client, users, role):
    client.force_login(users[role])
    response = client.post("/lich-cua-toi/tao/", {"scope": "agency"})
    assert response.status_code == (302 if role in AGENCY else 403)
    assert CalendarToken.objects.filter(scope="agency").count() == (1 if role in AGENCY else 0)
    assert client.post("/lich-cua-toi/tao/", {"scope": "personal"}).status_code == 302


@pytest.mark.parametrize("role", sorted(ALL))
def test_api_agency_feed_for_agency_roles_only(client, bearer, role):
    response = client.post("/api/v1/me/calendar-tokens", {"scope": "agency"}, content_type="application/json",
                           **bearer(role))
    assert response.status_code == (201 if role in AGENCY else 403)


def test_revoking_through_the_api_is_for_the_owner(client, users, bearer):
    token, _ = calendar.do_create_token(users[Role.FOCAL], CalendarScope.PERSONAL)
    for role in users:
        if role != Role.FOCAL:
            assert client.delete(f"/api/v1/me/calendar-tokens/{token.pk}", **bearer(role)).status_code == 404, role
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.delete(f"/api/v1/me/calendar-tokens/{token.pk}", **bearer(Role.FOCAL)).status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_feed_needs_no_login_but_a_token(client, users):
    _, raw = calendar.do_create_token(users[Role.VIEWER], CalendarScope.PERSONAL)
    assert client.get(f"/lich/{raw}.ics").status_code == 200
    assert client.post(f"/lich/{raw}.ics").status_code == 405


@pytest.mark.parametrize("model", ["outbox", "reminder", "sweeprun", "calendartoken"])
def test_admin_lists(client, users, plan, model):
    from dondoc.notify.reminders import sweep

    sweep(dt.date(2024, 9, 30))
    calendar.do_create_token(users[Role.FOCAL], CalendarScope.PERSONAL)
    url = f"/quan-tri/notify/{model}/"
    for role, user in users.items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if role == Role.ADMIN else 403), role
