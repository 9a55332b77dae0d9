"""Digest grouping: one e-mail per person per day with every task of theirs in it, grouped; opt-outs respected
for the optional reminders only. (The real SMTP exchange is in test_smtp.py; here Django's locmem backend.)"""

import datetime as dt

import pytest
from django.core import mail

from dondoc.notify import digest
from dondoc.notify.models import Outbox, OutboxState, Reminder
from dondoc.notify.outbox import send_due
from dondoc.notify.preferences import do_set_preferences
from dondoc.notify.reminders import sweep
from dondoc.tracking import actions

from .conftest import at, set_due

DAY = dt.date(2024, 9, 16)  # a Monday: the report date of the quarter 15/6–14/9/2024


@pytest.fixture
def busy_day(plan, with_emails, orgs):
    """On 16/9/2024 Sở Y tế has one task of each kind: 1.1#1 overdue 6 days, III.1#1 due today, 1.3#1 due tomorrow
    (given to it on 15/9), and the quarterly 1.1#2 to report today."""
    set_due(plan.tasks.get(ref="1.1#1"), dt.date(2024, 9, 10))
    set_due(plan.tasks.get(ref="III.1#1"), DAY)
    extra = plan.tasks.get(ref="1.3#1")
    actions.do_set_agency(extra, with_emails["coordinator"], agency=orgs["syt"], role="lead", add=True)
    set_due(extra, DAY + dt.timedelta(days=1))
    return with_emails


def mails_to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@tuyenquang.gov.vn"]]


def test_one_mail_per_person_with_every_task_grouped(busy_day):
    run = sweep(DAY)
    assert Reminder.objects.filter(user__username="syt.tt").count() == 4
    assert send_due(at(DAY, 8))["sent"] == run.digests == Outbox.objects.count()
    mine = mails_to("syt.tt")
    assert len(mine) == 1
    m = mine[0]
    assert m.subject == ("[dondoc] Nhắc việc ngày 16/09/2024: 1 nhiệm vụ quá hạn, 1 đến hạn hôm nay, 1 sắp đến hạn, "
                         "1 báo cáo định kỳ")
    body = m.body
    order = [body.index(h) for h in ("QUÁ HẠN (1)", "ĐẾN HẠN HÔM NAY (1)", "SẮP ĐẾN HẠN (1)", "BÁO CÁO ĐỊNH KỲ (1)")]
    assert order == sorted(order)
    assert body.index("1.1#1") < body.index("ĐẾN HẠN HÔM NAY") < body.index("III.1#1") < body.index("SẮP ĐẾN HẠN")
    assert body.index("SẮP ĐẾN HẠN") < body.index("1.3#1") < body.index("BÁO CÁO ĐỊNH KỲ") < body.index("1.1#2")
    assert "hạn 10/09/2024, quá hạn 6 ngày; chủ trì" in body
    assert "hạn 17/09/2024, còn 1 ngày" in body
    assert "hạn 16/09/2024, hạn báo cáo hôm nay (hằng quý)" in body
    assert "(Kế hoạch số 12/KH-UBND)" in body
    lead = busy_day["lead_head"].agency.assignments.get(task__ref="1.1#1")
    assert f"http://127.0.0.1:8000/giao-viec/{lead.pk}/" in body
    assert body.startswith("Kính gửi syt.tt,")
    html = m.alternatives[0][0]
    assert "<h3" in html and "Quá hạn (1)" in html and f'href="http://127.0.0.1:8000/giao-viec/{lead.pk}/"' in html


def test_partner_and_other_agencies_get_only_their_tasks(busy_day):
    sweep(DAY)
    send_due(at(DAY, 8))
    # Sở Tài chính: III.1#1 due today (lead); 1.1#1 is overdue but it is only a partner there.
    (m,) = mails_to("tt")
    assert m.subject == "[dondoc] Nhắc việc ngày 16/09/2024: 1 nhiệm vụ đến hạn hôm nay"
    assert "III.1#1" in m.body and "1.1#1" not in m.body
    # Sở Kế hoạch và Đầu tư's coordinator is not an agency person: no digest.
    assert not mails_to("th")


def test_opt_out_drops_optional_reminders_keeps_mandatory(busy_day):
    do_set_preferences(busy_day["lead_focal"], {"only_mandatory": True})
    sweep(DAY)
    send_due(at(DAY, 8))
    (m,) = mails_to("syt.cb")
    assert m.subject == "[dondoc] Nhắc việc ngày 16/09/2024: 1 nhiệm vụ quá hạn, 1 đến hạn hôm nay, 1 báo cáo định kỳ"
    assert "1.3#1" not in m.body  # "1 day before" is optional
    assert "1.1#1" in m.body and "III.1#1" in m.body and "1.1#2" in m.body
    (head,) = mails_to("syt.tt")
    assert "1.3#1" in head.body


def test_no_mail_before_the_persons_hour(busy_day):
    do_set_preferences(busy_day["lead_head"], {"digest_hour": 14})
    sweep(DAY)
    send_due(at(DAY, 8))
    assert not mails_to("syt.tt") and mails_to("syt.cb")
    send_due(at(DAY, 13) + dt.timedelta(minutes=59))
    assert not mails_to("syt.tt")
    send_due(at(DAY, 14))
    assert len(mails_to("syt.tt")) == 1


def test_changing_the_hour_moves_the_waiting_digest(busy_day):
    sweep(DAY)
    do_set_preferences(busy_day["lead_head"], {"digest_hour": 20})
    send_due(at(DAY, 8))
    assert not mails_to("syt.tt")
    send_due(at(DAY, 20))
    assert len(mails_to("syt.tt")) == 1


def test_sending_twice_sends_nothing_more(busy_day):
    sweep(DAY)
    first = send_due(at(DAY, 8))
    sweep(DAY)
    second = send_due(at(DAY, 9))
    assert first["sent"] > 0 and second == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    assert len(mails_to("syt.tt")) == 1
    assert set(Outbox.objects.values_list("state", flat=True)) == {OutboxState.SENT}


def test_a_task_done_before_the_mail_leaves_is_left_out(busy_day, settings):
    sweep(DAY)
    settings.DEMO_TODAY = DAY
    lead = busy_day["lead_head"].agency.assignments.get(task__ref="III.1#1")
    actions.do_claim(lead, busy_day["lead_head"], completed_on=DAY)
    send_due(at(DAY, 8))
    (m,) = mails_to("syt.tt")
    assert "III.1#1" not in m.body
    assert m.subject == "[dondoc] Nhắc việc ngày 16/09/2024: 1 nhiệm vụ quá hạn, 1 sắp đến hạn, 1 báo cáo định kỳ"


def test_nothing_left_to_say_sends_nothing(plan, with_emails, lead, settings):
    sweep(dt.date(2024, 9, 30))
    settings.DEMO_TODAY = dt.date(2024, 9, 30)
    actions.do_claim(lead, with_emails["lead_head"], completed_on=dt.date(2024, 9, 30))
    result = send_due(at(dt.date(2024, 9, 30), 8))
    # The lead's two people have nothing left; the partner's reminder stays (its own deadline is today).
    assert result["skipped"] == 2 and result["sent"] == 2
    assert Outbox.objects.get(user__username="syt.tt").state == OutboxState.SKIPPED


def test_user_text_is_escaped_in_the_html_mail(busy_day, plan):
    task = plan.tasks.get(ref="III.1#1")
    task.text = '<script>alert("x")</script> & <b>đậm</b>'
    task.save()
    sweep(DAY)
    send_due(at(DAY, 8))
    (m,) = mails_to("syt.tt")
    html = m.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert '<script>alert("x")</script>' in m.body  # plain text stays as typed


def test_long_groups_are_cut_with_a_link(busy_day, monkeypatch):
    monkeypatch.setattr(digest, "SHOWN_PER_GROUP", 0)
    sweep(DAY)
    send_due(at(DAY, 8))
    (m,) = mails_to("syt.tt")
    assert "… và 1 nhiệm vụ khác: http://127.0.0.1:8000/viec-cua-toi/" in m.body


@pytest.mark.nodb
def test_subject_words():
    line = lambda kind, due: digest.Line(kind, 1, "1", "x", "1", due, "lead")  # noqa: E731
    day = dt.date(2024, 10, 15)
    assert digest.subject(day, [line("overdue", dt.date(2024, 10, 1))] * 3 + [line("before", dt.date(2024, 10, 22))] * 2) == \
        "[dondoc] Nhắc việc ngày 15/10/2024: 3 nhiệm vụ quá hạn, 2 sắp đến hạn"
    assert digest.subject(day, [line("report_before", dt.date(2024, 10, 16))]) == \
        "[dondoc] Nhắc việc ngày 15/10/2024: 1 báo cáo định kỳ"


def test_a_task_given_more_time_after_the_sweep_is_mailed_as_it_stands(plan, with_emails, settings):
    """Reminded overdue in the morning, extended before the digest goes: the mail gives the new deadline, and a task
    declared done meanwhile is left out."""
    settings.DEMO_TODAY = day = dt.date(2024, 10, 3)
    set_due(plan.tasks.get(ref="III.1#1"), dt.date(2024, 9, 30))
    sweep(day)
    people = with_emails
    syt = people["lead_head"].agency
    other = plan.tasks.get(ref="III.1#1").assignments.get(agency=syt)
    ext = actions.do_request_extension(other, people["lead_head"], new_deadline=dt.date(2024, 10, 4), reason="Chờ số liệu")
    actions.do_decide_extension(ext, people["coordinator"], approve=True)
    lead = plan.tasks.get(ref="1.1#1").assignments.get(role="lead")
    actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 10, 2))
    send_due(at(day, 8))
    [m] = mails_to("syt.tt")
    assert m.subject == "[dondoc] Nhắc việc ngày 03/10/2024: 1 nhiệm vụ sắp đến hạn"
    assert "III.1#1" in m.body and "hạn 04/10/2024, còn 1 ngày" in m.body and "1.1#1" not in m.body
