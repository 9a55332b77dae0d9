"""The reminder schedule: absurd offsets are refused in Vietnamese, and nothing is saved."""

import pytest

from dondoc.accounts import actions as account_actions
from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from dondoc.notify import schedule
from dondoc.notify.models import ReminderSchedule
from dondoc.tracking.access import Forbidden

BAD = [
    ({"before_days": [-3]}, "phải từ 1 đến 90"),
    ({"before_days": [0]}, "phải từ 1 đến 90"),
    ({"before_days": [91]}, "phải từ 1 đến 90"),
    ({"before_days": [7, 100000]}, "phải từ 1 đến 90"),
    ({"before_days": [1.5]}, "không phải số nguyên"),
    ({"before_days": [7.0]}, "không phải số nguyên"),
    ({"before_days": ["7"]}, "không phải số nguyên"),
    ({"before_days": [True]}, "không phải số nguyên"),
    ({"before_days": 7}, "phải là một danh sách"),
    ({"before_days": None}, "phải là một danh sách"),
    ({"before_days": list(range(1, 12))}, "tối đa 10 mốc"),
    ({"overdue_every": 0}, "từ 1 đến 30"),
    ({"overdue_every": -1}, "từ 1 đến 30"),
    ({"overdue_every": 31}, "từ 1 đến 30"),
    ({"overdue_every": 2.5}, "không phải số nguyên"),
    ({"overdue_every": "3"}, "không phải số nguyên"),
    ({"report_before_days": [-1]}, "phải từ 1 đến 90"),
    ({"report_before_days": [365]}, "phải từ 1 đến 90"),
    ({"on_the_day": "yes"}, "có hoặc không"),
    ({"every_hour": 1}, "không được hỗ trợ"),
]


@pytest.mark.nodb
@pytest.mark.parametrize("data, message", BAD)
def test_validation_refuses(data, message):
    with pytest.raises(schedule.ScheduleError, match=message):
        schedule.validate(data)


@pytest.mark.nodb
def test_validation_accepts_and_normalises():
    s = schedule.validate({"before_days": [1, 7, 7, 30], "on_the_day": False, "overdue_every": 30,
                           "report_before_days": []})
    assert s == schedule.Schedule(before_days=(30, 7, 1), on_the_day=False, overdue_every=30, report_before_days=())
    assert schedule.validate({"before_days": [90] * 10}).before_days == (90,)
    assert schedule.validate({}) == schedule.DEFAULT


@pytest.mark.nodb
def test_parse_offsets_from_a_form_field():
    assert schedule.parse_offsets("7, 1", "before_days") == [7, 1]
    assert schedule.parse_offsets(" 14;3 1 ", "before_days") == [14, 3, 1]
    assert schedule.parse_offsets("", "before_days") == []
    assert schedule.parse_offsets("-3", "before_days") == [-3]  # refused later, by validate()
    with pytest.raises(schedule.ScheduleError, match="“7.5” không phải số nguyên"):
        schedule.parse_offsets("7.5", "before_days")
    with pytest.raises(schedule.ScheduleError, match="“bảy” không phải số nguyên"):
        schedule.parse_offsets("bảy", "before_days")


def test_default_until_changed(db):
    assert schedule.current() == schedule.Schedule(before_days=(7, 1), on_the_day=True, overdue_every=3,
                                                   report_before_days=(7, 1))


def test_coordinator_changes_it_and_it_is_audited(users):
    new = schedule.do_set_schedule(users[Role.COORDINATOR], {"before_days": [14, 3], "overdue_every": 5})
    assert new == schedule.Schedule(before_days=(14, 3), on_the_day=True, overdue_every=5, report_before_days=(7, 1))
    assert schedule.current() == new
    event = Event.objects.get(action="reminders.schedule_changed")
    assert event.changes["before"]["before_days"] == [7, 1] and event.changes["after"]["before_days"] == [14, 3]


@pytest.mark.parametrize("role", [Role.LEADER, Role.HEAD, Role.FOCAL, Role.VIEWER])
def test_other_roles_may_not_change_it(users, role):
    with pytest.raises(Forbidden):
        schedule.do_set_schedule(users[role], {"before_days": [3]})
    assert not ReminderSchedule.objects.exists()


@pytest.mark.parametrize("data, message", BAD)
def test_refused_schedule_saves_nothing(users, data, message):
    schedule.do_set_schedule(users[Role.ADMIN], {"before_days": [10]})
    with pytest.raises(schedule.ScheduleError):
        schedule.do_set_schedule(users[Role.COORDINATOR], data)
    assert schedule.current().before_days == (10,)
    assert Event.objects.filter(action="reminders.schedule_changed").count() == 1


# --- The page ---------------------------------------------------------------------------------------------

PAGE = "/nhac-viec/lich-nhac/"
FORM = {"before_days": "7, 1", "on_the_day": "on", "overdue_every": "3", "report_before_days": "7, 1"}


def test_page_shows_and_saves(client, users):
    client.force_login(users[Role.COORDINATOR])
    page = client.get(PAGE)
    assert page.status_code == 200 and 'value="7, 1"' in page.content.decode()
    response = client.post(PAGE, {**FORM, "before_days": "10, 5, 2", "overdue_every": "2", "on_the_day": ""})
    assert response.status_code == 302
    assert schedule.current() == schedule.Schedule(before_days=(10, 5, 2), on_the_day=False, overdue_every=2,
                                                   report_before_days=(7, 1))


@pytest.mark.parametrize("field, value, message", [
    ("before_days", "-3", "phải từ 1 đến 90"),
    ("before_days", "0", "phải từ 1 đến 90"),
    ("before_days", "7, 120", "phải từ 1 đến 90"),
    ("before_days", "7,5 ngày", "không phải số nguyên"),
    ("before_days", ", ".join(str(n) for n in range(1, 13)), "tối đa 10 mốc"),
    ("overdue_every", "0", "từ 1 đến 30"),
    ("overdue_every", "-2", "từ 1 đến 30"),
    ("overdue_every", "ba", "không phải số nguyên"),
    ("report_before_days", "1000", "phải từ 1 đến 90"),
])
def test_page_refuses_absurd_offsets(client, users, field, value, message):
    client.force_login(users[Role.ADMIN])
    response = client.post(PAGE, {**FORM, field: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'value="{value}"' in body or field == "before_days"  # the typed value is kept for correction
    assert not ReminderSchedule.objects.exists()


# --- The API ----------------------------------------------------------------------------------------------

@pytest.fixture
def bearer(users):
    def make(role):
        _, raw = account_actions.do_create_token(users[role])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return make


def test_api_reads_the_schedule(client, bearer):
    body = client.get("/api/v1/reminders/schedule", **bearer(Role.FOCAL)).json()
    assert body == {"before_days": [7, 1], "on_the_day": True, "overdue_every": 3, "report_before_days": [7, 1]}


def test_api_changes_the_schedule(client, bearer):
    response = client.put("/api/v1/reminders/schedule", {"before_days": [5], "report_before_days": [2]},
                          content_type="application/json", **bearer(Role.COORDINATOR))
    assert response.status_code == 200
    assert response.json() == {"before_days": [5], "on_the_day": True, "overdue_every": 3, "report_before_days": [2]}


@pytest.mark.parametrize("data, message", BAD)
def test_api_refuses_absurd_offsets_with_400(client, bearer, data, message):
    response = client.put("/api/v1/reminders/schedule", data, content_type="application/json", **bearer(Role.ADMIN))
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not ReminderSchedule.objects.exists()


@pytest.mark.parametrize("role", [Role.LEADER, Role.HEAD, Role.FOCAL, Role.VIEWER])
def test_api_refuses_other_roles_with_403(client, bearer, role):
    response = client.put("/api/v1/reminders/schedule", {"before_days": [5]}, content_type="application/json",
                          **bearer(role))
    assert response.status_code == 403
    assert "Chỉ cơ quan theo dõi, tổng hợp" in response.json()["detail"]
    assert not ReminderSchedule.objects.exists()
