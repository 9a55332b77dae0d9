"""Digests through a real SMTP exchange (aiosmtpd on a local port, Django's SMTP backend): the right tasks arrive,
in Vietnamese; a server that is down leaves them queued with back-off, and they go once it is up; two workers
sending at the same time deliver each digest exactly once."""

import datetime as dt
import threading

import pytest
from django.db import connection

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.notify import outbox
from dondoc.notify.models import Outbox, OutboxState, Reminder
from dondoc.notify.reminders import sweep

from .conftest import SMTPServer, at, set_due

DAY = dt.date(2024, 9, 30)  # 1.1#1 is due today


def test_a_digest_arrives_with_the_right_tasks(plan, with_emails, smtp):
    set_due(plan.tasks.get(ref="III.1#1"), dt.date(2024, 10, 7))  # 7 days ahead: "sắp đến hạn"
    sweep(DAY)
    assert outbox.send_due(at(DAY, 8))["sent"] == 6
    received = smtp.inbox.to("syt.tt@tuyenquang.gov.vn")
    assert len(received) == 1
    message = received[0]
    assert str(message["Subject"]) == "[dondoc] Nhắc việc ngày 30/09/2024: 1 nhiệm vụ đến hạn hôm nay, 1 sắp đến hạn"
    raw_subject = next(line for raw in smtp.inbox.raw for line in raw.split(b"\r\n") if line.startswith(b"Subject:")
                       and b"syt.tt@" in raw)
    assert raw_subject.isascii() and b"=?utf-8?" in raw_subject.lower()  # RFC 2047 on the wire, decoded above
    assert message["From"] == "dondoc <dondoc@tuyenquang.gov.vn>"
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(("plain",)).get_content()
    assert "ĐẾN HẠN HÔM NAY (1)" in text and "SẮP ĐẾN HẠN (1)" in text
    assert "- 1.1#1: Triển khai bệnh án điện tử tại các bệnh viện (Kế hoạch số 12/KH-UBND) — hạn 30/09/2024" in text
    assert "III.1#1" in text and "1.1#2" not in text and "1.2#1" not in text
    html = message.get_body(("html",)).get_content()
    assert "Triển khai bệnh án điện tử" in html
    row = Outbox.objects.get(user=with_emails["lead_head"])
    assert (row.state, row.attempts, row.to_email, row.last_error) == (OutboxState.SENT, 1, "syt.tt@tuyenquang.gov.vn", "")
    assert row.subject == str(message["Subject"])
    # Nobody else got syt.tt's tasks; nobody got two digests.
    assert sorted(r[0] for r, _ in smtp.inbox.received) == sorted(
        f"{u}@tuyenquang.gov.vn" for u in ("syt.tt", "syt.cb", "tt", "cb", "sct.tt", "sct.cb"))


def test_smtp_down_then_up(plan, with_emails, smtp_settings):
    """Nothing listens on the port: every digest stays queued, tried once, with the error and a later time."""
    sweep(DAY)
    now = at(DAY, 8)
    result = outbox.send_due(now)
    assert result == {"sent": 0, "retry": 4, "failed": 0, "skipped": 0}
    for row in Outbox.objects.all():
        assert row.state == OutboxState.QUEUED and row.attempts == 1
        assert "Connection refused" in row.last_error or "Errno" in row.last_error
        assert row.next_attempt_at == now + dt.timedelta(minutes=1)
        assert row.reminders.count() == 1  # its content is fixed: a retry sends the same reminders
    # Before the back-off has passed, nothing is tried.
    assert outbox.send_due(now + dt.timedelta(seconds=30))["retry"] == 0
    # Still down a minute later: the second wait is two minutes.
    outbox.send_due(now + dt.timedelta(minutes=1))
    row = Outbox.objects.get(user=with_emails["lead_head"])
    assert row.attempts == 2 and row.next_attempt_at == now + dt.timedelta(minutes=3)
    # The server comes up: the next run sends them all, once.
    server = SMTPServer(smtp_settings)
    server.start()
    try:
        assert outbox.send_due(now + dt.timedelta(minutes=3))["sent"] == 4
        assert outbox.send_due(now + dt.timedelta(hours=1))["sent"] == 0
        assert sorted(r[0] for r, _ in server.inbox.received) == sorted(
            f"{u}@tuyenquang.gov.vn" for u in ("syt.tt", "syt.cb", "tt", "cb"))
    finally:
        server.stop()
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (OutboxState.SENT, 3, "")


def test_back_off_then_failed_for_the_admin(plan, with_emails, smtp_settings, client):
    sweep(DAY)
    now = at(DAY, 8)
    delays = []
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.send_due(now)
        row = Outbox.objects.get(user=with_emails["lead_head"])
        if row.state == OutboxState.QUEUED:
            delays.append(round((row.next_attempt_at - now).total_seconds() / 60))
            now = row.next_attempt_at
    assert delays[:8] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert row.state == OutboxState.FAILED and row.attempts == outbox.MAX_ATTEMPTS and row.last_error
    assert outbox.send_due(now + dt.timedelta(days=1))["retry"] == 0  # stopped: the admin decides
    # The admin sees it, and queues it again.
    client.force_login(with_emails["admin"])
    page = client.get("/quan-tri/notify/outbox/?state__exact=failed")
    assert page.status_code == 200 and "syt.tt" in page.content.decode()
    response = client.post("/quan-tri/notify/outbox/", {"action": "requeue", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxState.QUEUED, 0)


def test_a_worker_that_died_while_sending_is_taken_over(plan, with_emails, smtp):
    sweep(DAY)
    now = at(DAY, 8)
    claimed = outbox.claim(now)  # this worker "dies" here: rows stay "sending"
    assert len(claimed) == 4
    assert outbox.send_due(now + dt.timedelta(minutes=5))["sent"] == 0  # the lease holds
    assert outbox.send_due(now + outbox.LEASE + dt.timedelta(seconds=1))["sent"] == 4
    assert len(smtp.inbox.received) == 4


def test_reminders_made_without_an_address_go_once_there_is_one(plan, people, smtp, client):
    """Syt's head has no address on 30/9: reminded in the app, the reminder kept for e-mail and shown to the admin as
    waiting for an address. An address is set on 1/10: that day's send run (the sweep, then the digests) delivers
    it, read as it stands then (one day overdue), over a real SMTP exchange."""
    head = people["lead_head"]
    sweep(DAY)
    assert not Outbox.objects.filter(user=head).exists()
    kept = Reminder.objects.get(user=head)
    assert (kept.kind, kept.emailable, kept.outbox_id) == ("due_today", True, None)
    assert outbox.send_due(at(DAY, 8))["sent"] == 0 and smtp.inbox.received == []
    client.force_login(people["admin"])
    listed = client.get("/quan-tri/notify/reminder/?thu=cho-dia-chi").content.decode()
    assert "4 nhắc việc" in listed and "syt.tt" in listed  # the four people of Sở Y tế and Sở Tài chính

    head.email = "syt.tt@tuyenquang.gov.vn"
    head.save()
    next_day = DAY + dt.timedelta(days=1)
    run = sweep(next_day)  # 1.1#1 is one day overdue: no reminder of its own today (every 3 days)
    assert (run.reminders, run.digests) == (0, 1)
    assert outbox.send_due(at(next_day, 8))["sent"] == 1
    [(rcpt, message)] = smtp.inbox.received
    assert rcpt == ["syt.tt@tuyenquang.gov.vn"]
    assert str(message["Subject"]) == "[dondoc] Nhắc việc ngày 01/10/2024: 1 nhiệm vụ quá hạn"
    assert "- 1.1#1: Triển khai bệnh án điện tử" in message.get_body(("plain",)).get_content()
    kept.refresh_from_db()
    assert kept.outbox.state == OutboxState.SENT
    # The others, still without an address, keep waiting; nobody is mailed twice.
    assert outbox.send_due(at(next_day, 9))["sent"] == 0 and len(smtp.inbox.received) == 1
    assert Reminder.objects.filter(outbox__isnull=True, emailable=True).count() == 3


def test_an_address_removed_before_the_digest_goes_keeps_its_reminders(plan, with_emails, smtp):
    head = with_emails["lead_head"]
    sweep(DAY)
    User.objects.filter(pk=head.pk).update(email="")
    outbox.send_due(at(DAY, 8))
    row = Outbox.objects.get(user=head)
    assert row.state == OutboxState.SKIPPED and "chờ đến khi có địa chỉ" in row.last_error
    assert Reminder.objects.get(user=head).outbox_id is None  # back to waiting
    User.objects.filter(pk=head.pk).update(email="syt.tt@tuyenquang.gov.vn")
    sweep(DAY + dt.timedelta(days=1))
    outbox.send_due(at(DAY + dt.timedelta(days=1), 8))
    assert len(smtp.inbox.to("syt.tt@tuyenquang.gov.vn")) == 1


def in_threads(n, fn):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def many_people(plan, make_user, orgs, with_emails):
    """A head with an address in every department given III.1#1, so there are many digests to share out."""
    for code in ("sct", "sgddt", "sgtvt", "skhcn", "sldtbxh", "snv", "snnptnt", "stnmt", "stttt", "stp", "svhttdl",
                 "sxd", "thanh-tra", "vp-ubnd", "ban-dan-toc", "bql-kcn", "cong-an"):
        make_user(f"{code}.tt2", Role.HEAD, orgs[code], email=f"{code}.tt2@tuyenquang.gov.vn")
    set_due(plan.tasks.get(ref="III.1#1"), DAY)
    return with_emails


def _two_workers_deliver_each_digest_once(smtp, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH", 3)  # small batches: the workers' claims interleave
    sweep(DAY)
    expected = sorted(Outbox.objects.values_list("user__email", flat=True))
    assert len(expected) >= 20
    results = in_threads(2, lambda i: outbox.send_due(at(DAY, 8)))
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["sent"] for r in results) == len(expected)
    received = sorted(r[0] for r, _ in smtp.inbox.received)
    assert received == expected  # each digest exactly once
    assert set(Outbox.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    # Every reminder is in exactly one e-mail.
    assert not Reminder.objects.filter(emailable=True, outbox__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_each_digest_once(many_people, smtp, monkeypatch):
    _two_workers_deliver_each_digest_once(smtp, monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_make_each_reminder_once(many_people):
    from dondoc.tracking.models import Notification

    results = in_threads(2, lambda i: sweep(DAY))
    assert all(not isinstance(r, Exception) for r in results), results
    assert sum(r.reminders for r in results) == Reminder.objects.count() > 20
    assert Notification.objects.filter(kind="reminder").count() == Reminder.objects.values("user").distinct().count()
    assert Outbox.objects.count() == Reminder.objects.filter(emailable=True).values("user").distinct().count()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_with_postgresql_row_locks(many_people, smtp, monkeypatch):
    """The same, where the claim really is SELECT ... FOR UPDATE SKIP LOCKED between two connections."""
    assert connection.features.has_select_for_update_skip_locked
    _two_workers_deliver_each_digest_once(smtp, monkeypatch)
