"""Which person is reminded of which assignment, on dates computed by hand.

The plan (tests/plans/conftest.py) gives task 1.1#1 to Sở Y tế (lead, people syt.tt and syt.cb) with Sở Tài chính
as partner (tt, cb), due 30/9/2024; 1.1#2 is quarterly (Sở Y tế); III.1#1 is due 10/12/2024 for every department.
The default schedule: 7 and 1 days before, on the day, every 3 days overdue; recurring: 7 and 1 days before the
period's report date. The quarter 15/6–14/9/2024 is reported on Monday 16/9/2024 (14/9 is a Saturday); the plan's
agencies report by 10/12/2024, which is the next quarter's date.
"""

import datetime as dt

import pytest

from dondoc.notify import schedule
from dondoc.notify.models import Outbox, Reminder
from dondoc.notify.preferences import do_set_preferences
from dondoc.notify.reminders import plan_report_dates, sweep
from dondoc.tracking import actions
from dondoc.tracking.models import Notification

from .conftest import set_due

D = dt.date


def reminded(day):
    sweep(day)
    return {(u, ref, kind) for u, ref, kind in Reminder.objects.filter(occurrence=day).values_list(
        "user__username", "assignment__task__ref", "kind")}


def only(refs, found):
    return {x for x in found if x[1] in refs}


SYT = ("syt.tt", "syt.cb")
STC = ("tt", "cb")


def test_seven_days_before_reaches_lead_and_partner(plan, people):
    assert reminded(D(2024, 9, 23)) == {(u, "1.1#1", "before") for u in SYT + STC}


def test_one_day_before(plan, people):
    assert reminded(D(2024, 9, 29)) == {(u, "1.1#1", "before") for u in SYT + STC}


def test_no_reminder_on_other_days_before(plan, people):
    for day in (D(2024, 9, 22), D(2024, 9, 24), D(2024, 9, 28)):
        assert reminded(day) == set(), day


def test_on_the_day(plan, people):
    assert reminded(D(2024, 9, 30)) == {(u, "1.1#1", "due_today") for u in SYT + STC}


def test_overdue_every_three_days_to_the_lead_only(plan, people):
    assert reminded(D(2024, 10, 3)) == {(u, "1.1#1", "overdue") for u in SYT}
    assert reminded(D(2024, 10, 4)) == set()
    assert reminded(D(2024, 10, 5)) == set()
    assert reminded(D(2024, 10, 6)) == {(u, "1.1#1", "overdue") for u in SYT}
    assert Reminder.objects.get(user__username="syt.tt", occurrence=D(2024, 10, 6)).due == D(2024, 9, 30)


def test_done_assignment_is_not_reminded(plan, people, lead, settings):
    settings.DEMO_TODAY = D(2024, 9, 20)
    claim = actions.do_claim(lead, people["lead_head"], completed_on=D(2024, 9, 19))
    actions.do_confirm(claim, people["coordinator"])
    # Lead done: nobody is reminded, not even the partner before the deadline.
    for day in (D(2024, 9, 23), D(2024, 9, 30), D(2024, 10, 3)):
        assert only({"1.1#1"}, reminded(day)) == set(), day


def test_awaiting_confirmation_is_not_reminded(plan, people, lead, settings):
    settings.DEMO_TODAY = D(2024, 9, 22)
    actions.do_claim(lead, people["lead_focal"], completed_on=D(2024, 9, 22))
    assert reminded(D(2024, 9, 23)) == set()
    assert reminded(D(2024, 10, 3)) == set()


def test_returned_claim_is_reminded_again(plan, people, lead, settings):
    settings.DEMO_TODAY = D(2024, 9, 22)
    claim = actions.do_claim(lead, people["lead_focal"], completed_on=D(2024, 9, 22))
    actions.do_return(claim, people["coordinator"], reason="Thiếu văn bản")
    assert reminded(D(2024, 9, 23)) == {(u, "1.1#1", "before") for u in SYT + STC}


def test_cancelled_task_is_not_reminded(plan, people, lead):
    actions.do_cancel_task(lead.task, people["coordinator"], reason="Không còn phù hợp")
    for day in (D(2024, 9, 23), D(2024, 9, 30), D(2024, 10, 3)):
        assert reminded(day) == set(), day


def test_extension_moves_the_reminders(plan, people, lead, settings):
    settings.DEMO_TODAY = D(2024, 9, 20)
    ext = actions.do_request_extension(lead, people["lead_head"], new_deadline=D(2024, 10, 10), reason="Chờ vốn")
    actions.do_decide_extension(ext, people["coordinator"], approve=True)
    # The extension is the lead's: the partner's deadline (and its "Việc của tôi") stays 30/9.
    assert reminded(D(2024, 9, 30)) == {(u, "1.1#1", "due_today") for u in STC}
    assert reminded(D(2024, 10, 3)) == {(u, "1.1#1", "before") for u in SYT}
    assert reminded(D(2024, 10, 10)) == {(u, "1.1#1", "due_today") for u in SYT}


def test_recurring_task_before_each_report_date(plan, people):
    dates = plan_report_dates(D(2024, 9, 1), D(2024, 12, 31))[("quarterly", plan.pk)]
    # Q3 on the generic day; Q4 (15/9–14/12) on the plan's own date, "báo cáo ... trước ngày 10/12/2024", as the
    # report page shows it (reports/deadlines.py), not on the generic Monday 16/12.
    assert [d for _, d in dates] == [D(2024, 9, 16), D(2024, 12, 10)]
    assert reminded(D(2024, 9, 9)) == {(u, "1.1#2", "report_before") for u in SYT}
    assert reminded(D(2024, 9, 15)) == {(u, "1.1#2", "report_before") for u in SYT}
    assert reminded(D(2024, 9, 16)) == {(u, "1.1#2", "report_today") for u in SYT}
    assert reminded(D(2024, 9, 10)) == set()
    assert Reminder.objects.filter(occurrence=D(2024, 9, 9)).values_list("due", flat=True).distinct().get() == D(2024, 9, 16)
    # The next quarter is reported by the plan's date, 10/12/2024.
    assert only({"1.1#2"}, reminded(D(2024, 12, 9))) == {(u, "1.1#2", "report_before") for u in SYT}


def test_person_named_responsible_and_heads_only(plan, people, lead, make_user, orgs):
    other_focal = make_user("syt.cb2", "focal", orgs["syt"])
    actions.do_assign_person(lead, people["lead_head"], people["lead_focal"])
    found = only({"1.1#1"}, reminded(D(2024, 9, 23)))
    assert {u for u, _, _ in found if u.startswith("syt")} == {"syt.tt", "syt.cb"}
    assert other_focal.username not in {u for u, _, _ in found}


def test_only_oversight_and_inactive_people_get_nothing(plan, people):
    people["lead_focal"].is_active = False
    people["lead_focal"].save()
    found = reminded(D(2024, 9, 30))
    assert {u for u, _, _ in found} == {"syt.tt", "tt", "cb"}


def test_opting_out_keeps_the_mandatory_reminders(plan, people):
    do_set_preferences(people["lead_focal"], {"only_mandatory": True})
    assert ("syt.cb", "1.1#1", "before") not in reminded(D(2024, 9, 23))
    assert ("syt.tt", "1.1#1", "before") in reminded(D(2024, 9, 23))
    assert ("syt.cb", "1.1#1", "due_today") in reminded(D(2024, 9, 30))
    assert ("syt.cb", "1.1#1", "overdue") in reminded(D(2024, 10, 3))
    assert ("syt.cb", "1.1#2", "report_before") not in reminded(D(2024, 9, 15))
    assert ("syt.cb", "1.1#2", "report_today") in reminded(D(2024, 9, 16))


def test_the_schedule_is_followed(plan, people):
    schedule.do_set_schedule(people["coordinator"], {"before_days": [2], "on_the_day": False, "overdue_every": 5,
                                                     "report_before_days": []})
    assert reminded(D(2024, 9, 28)) == {(u, "1.1#1", "before") for u in SYT + STC}
    assert reminded(D(2024, 9, 23)) == set()
    assert reminded(D(2024, 9, 30)) == set()
    assert reminded(D(2024, 10, 3)) == set()
    assert reminded(D(2024, 10, 5)) == {(u, "1.1#1", "overdue") for u in SYT}
    assert reminded(D(2024, 9, 16)) == set()  # no recurring report reminder, not even on the day


def test_overdue_for_a_long_time(plan, people):
    set_due(plan.tasks.get(ref="1.1#1"), D(2023, 1, 1))
    day = D(2023, 1, 1) + dt.timedelta(days=600)
    assert reminded(day) == {(u, "1.1#1", "overdue") for u in SYT}


def test_running_the_sweep_twice_creates_nothing_new(plan, with_emails):
    day = D(2024, 9, 30)
    first = sweep(day)
    counts = (Reminder.objects.count(), Notification.objects.filter(kind="reminder").count(), Outbox.objects.count())
    assert first.reminders == 4 and first.people == 4 and first.digests == 4
    second = sweep(day)
    assert (second.reminders, second.people, second.digests) == (0, 0, 0)
    assert (Reminder.objects.count(), Notification.objects.filter(kind="reminder").count(), Outbox.objects.count()) == counts


def test_in_app_notification_one_per_person(plan, people):
    sweep(D(2024, 9, 30))
    notes = Notification.objects.filter(kind="reminder", user=people["lead_head"])
    assert notes.count() == 1
    note = notes.get()
    assert note.text == "Nhắc việc ngày 30/09/2024: 1 nhiệm vụ đến hạn hôm nay"
    assert note.url == "/nhac-viec/?ngay=2024-09-30"


def test_people_without_email_are_notified_in_the_app_and_their_reminders_wait(plan, people):
    sweep(D(2024, 9, 30))
    assert Notification.objects.filter(kind="reminder").count() == 4
    assert not Outbox.objects.exists()  # no digest without an address...
    assert Reminder.objects.filter(emailable=True, outbox__isnull=True).count() == 4  # ...but kept for one


def test_email_turned_off(plan, with_emails):
    do_set_preferences(with_emails["lead_head"], {"email_digest": False, "digest_hour": 9})
    sweep(D(2024, 9, 30))
    assert set(Outbox.objects.values_list("user__username", flat=True)) == {"syt.cb", "tt", "cb"}
    assert Notification.objects.filter(kind="reminder", user=with_emails["lead_head"]).exists()


def test_digest_row_waits_for_the_persons_hour(plan, with_emails):
    do_set_preferences(with_emails["lead_focal"], {"digest_hour": 16})
    sweep(D(2024, 9, 30))
    hours = {u: t.astimezone(dt.timezone(dt.timedelta(hours=7))).hour
             for u, t in Outbox.objects.values_list("user__username", "next_attempt_at")}
    assert hours == {"syt.tt": 7, "syt.cb": 16, "tt": 7, "cb": 7}


def test_later_reminders_of_a_day_wait_for_the_next_digest(plan, with_emails, settings):
    from dondoc.notify.outbox import send_due

    from .conftest import at

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    day = D(2024, 9, 30)
    sweep(day)
    assert send_due(at(day, 8))["sent"] == 4
    # A deadline moved to today after the digest went: reminded in-app now, by e-mail in tomorrow's digest.
    set_due(plan.tasks.get(ref="III.1#1"), day)
    run = sweep(day)
    # Sở Công thương's people had no digest today: theirs is new; the four others already had theirs.
    assert (run.reminders, run.digests) == (6, 2)
    assert Notification.objects.filter(kind="reminder", user=with_emails["lead_head"]).count() == 2
    sweep(day + dt.timedelta(days=1))
    assert send_due(at(day + dt.timedelta(days=1), 8))["sent"] == 6
    from django.core import mail

    to_head = [m for m in mail.outbox if m.to == ["syt.tt@tuyenquang.gov.vn"]]
    assert [m.subject for m in to_head] == [
        "[dondoc] Nhắc việc ngày 30/09/2024: 1 nhiệm vụ đến hạn hôm nay",
        # Mailed the next day, the reminder reads as it is then: one day overdue.
        "[dondoc] Nhắc việc ngày 01/10/2024: 1 nhiệm vụ quá hạn"]
    assert "III.1#1" in to_head[1].body and "1.1#1" not in to_head[1].body
    assert not Reminder.objects.filter(emailable=True, outbox__isnull=True).exists()


@pytest.mark.parametrize("day", [D(2024, 9, 30)])
def test_agencies_in_several_batches(plan, people, monkeypatch, day):
    from dondoc.notify import reminders

    monkeypatch.setattr(reminders, "AGENCIES_PER_BATCH", 1)
    set_due(plan.tasks.get(ref="III.1#1"), day)
    found = reminded(day)
    assert {u for u, _, _ in found} == {"syt.tt", "syt.cb", "tt", "cb", "sct.tt", "sct.cb"}


def test_a_holiday_moves_the_periodic_report_reminder_as_it_moves_the_report(plan, people):
    from dondoc.reports.models import Holiday

    Holiday.objects.create(date=D(2024, 9, 16), name="Nghỉ bù")  # the report moves to Tuesday 17/9
    assert reminded(D(2024, 9, 16)) == {(u, "1.1#2", "report_before") for u in SYT}
    assert reminded(D(2024, 9, 17)) == {(u, "1.1#2", "report_today") for u in SYT}
    assert Reminder.objects.filter(occurrence=D(2024, 9, 17)).values_list("due", flat=True).distinct().get() == D(2024, 9, 17)


def test_the_plans_own_report_date_is_the_reminded_day(plan, people):
    from dondoc.reports import deadlines, periods

    plan.agency_report_date = D(2024, 12, 10)  # the plan asks agencies to report the quarter by 10/12
    plan.save(update_fields=["agency_report_date"])
    quarter = periods.period_containing("quarterly", D(2024, 12, 1))
    assert deadlines.report_deadline_for(plan, quarter) == D(2024, 12, 10)  # what the report page shows
    assert only({"1.1#2"}, reminded(D(2024, 12, 10))) == {(u, "1.1#2", "report_today") for u in SYT}
    assert only({"1.1#2"}, reminded(D(2024, 12, 16))) == set()
