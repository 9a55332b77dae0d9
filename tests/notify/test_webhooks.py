"""Webhooks against a real HTTP receiver on 127.0.0.1: signed, retried with the outbox's back-off, bounded in time,
https outside demo mode, queued with their action's transaction, and never about what their owner may not read."""

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.accounts import actions as account_actions
from dondoc.audit.models import Event
from dondoc.audit.signals import recorded
from dondoc.core import clock
from dondoc.notify import scheduler, webhooks
from dondoc.notify.models import (HTTPS_REQUIRED, WEBHOOK_KINDS, DeliveryState, WebhookDelivery, WebhookSubscription)
from dondoc.reports import actions as report_actions
from dondoc.tracking import actions
from dondoc.tracking.actions import TrackingError
from dondoc.tracking.models import DecisionState

from tests.core.test_admin_language import RAW_CODE, english_in, visible

MINUTE = dt.timedelta(minutes=1)


class Receiver:
    """A real HTTP server in a thread: records every request; answers from a script of (status, seconds to wait)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[tuple[int, float]] = []
        self.trickle = 0.0  # > 0: the answer's headers come one byte every `trickle` seconds
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    status, wait = receiver.script.pop(0) if receiver.script else (200, 0)
                time.sleep(wait)
                if receiver.trickle:
                    self.wfile.write(b"HTTP/1.0 200 OK\r\n")
                    for byte in b"X-Slow: " + b"x" * 200:
                        self.wfile.write(bytes([byte]))
                        time.sleep(receiver.trickle)
                    return
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that gave up: a broken pipe here
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook?from=dondoc"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def subscribe(owner, url, kinds=None, **extra) -> WebhookSubscription:
    return WebhookSubscription.objects.create(name="Trung tâm điều hành", url=url, kinds=list(kinds or WEBHOOK_KINDS),
                                              owner=owner, **extra)


def verify(secret: str, request: dict) -> bool:
    """What a receiver does (README, "Webhooks"), written here from the rule, not from the code."""
    timestamp = request["headers"]["X-Dondoc-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Dondoc-Signature"], f"sha256={expected}")


def post_update(lead, people, text="Đã triển khai tại 5/12 bệnh viện", percent=40):
    return actions.do_post_update(lead, people["lead_focal"], text=text, percent=percent)


# --- Signing and delivering ------------------------------------------------------------------------------------

def test_a_delivery_is_signed_with_the_subscription_secret(people, lead, receiver):
    subscription = subscribe(people["admin"], receiver.url)
    update = post_update(lead, people)
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []  # the action queued it; only the worker sends
    assert webhooks.send_due() == {"delivered": 1, "retry": 0, "failed": 0, "cancelled": 0}
    [request] = receiver.requests
    assert request["path"] == "/hook?from=dondoc"
    assert request["headers"]["X-Dondoc-Event"] == "update.posted"
    assert request["headers"]["X-Dondoc-Delivery"] == str(delivery.pk)
    assert abs(int(request["headers"]["X-Dondoc-Timestamp"]) - time.time()) < 60
    assert verify(subscription.secret, request)
    assert not verify(subscription.secret + "x", request)
    tampered = dict(request, body=request["body"].replace(b"40", b"41"))
    assert not verify(subscription.secret, tampered)
    body = json.loads(request["body"])
    assert body["id"] == delivery.pk and body["event"] == "update.posted"
    assert body["assignment"]["id"] == lead.pk and body["assignment"]["task"]["ref"] == "1.1#1"
    assert body["assignment"]["agency"]["code"] == lead.agency.code and body["assignment"]["role"] == "lead"
    assert body["assignment"]["url"] == f"http://127.0.0.1:8000{reverse('tracking:assignment', args=[lead.pk])}"
    assert body["data"]["update"] == update.pk and body["data"]["percent"] == 40 and body["actor"] == "syt.cb"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.DELIVERED, 1, 200)
    assert delivery.delivered_at is not None and delivery.last_duration_ms is not None
    assert [(a.number, a.status, a.error) for a in delivery.attempt_log.all()] == [(1, 200, "")]
    assert webhooks.send_due() == {"delivered": 0, "retry": 0, "failed": 0, "cancelled": 0}  # never twice
    assert len(receiver.requests) == 1


def test_a_500_is_tried_again_after_the_back_off_then_delivered(people, lead, receiver):
    subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    receiver.script = [(500, 0)]
    start = clock.now() + dt.timedelta(seconds=1)
    assert webhooks.send_due(start)["retry"] == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.QUEUED, 1, 500)
    assert delivery.next_attempt_at == start + MINUTE  # the first wait is one minute
    assert "500" in delivery.last_error
    assert webhooks.send_due(start + 59 * dt.timedelta(seconds=1))["retry"] == 0  # not before its time
    assert len(receiver.requests) == 1
    assert webhooks.send_due(start + MINUTE)["delivered"] == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_error) == (
        DeliveryState.DELIVERED, 2, 200, "")
    assert [(a.number, a.status) for a in delivery.attempt_log.all()] == [(1, 500), (2, 200)]
    first, second = receiver.requests
    assert first["body"] == second["body"]  # the same event, the same id
    assert first["headers"]["X-Dondoc-Delivery"] == second["headers"]["X-Dondoc-Delivery"] == str(delivery.pk)


def test_the_waits_double_up_to_an_hour_then_the_delivery_stops_as_failed(people, lead, receiver):
    subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    receiver.script = [(503, 0)] * 20
    now, waits = clock.now() + dt.timedelta(seconds=1), []
    for _ in range(webhooks.MAX_ATTEMPTS):
        webhooks.send_due(now)
        delivery = WebhookDelivery.objects.get()
        if delivery.state != DeliveryState.QUEUED:
            break
        waits.append(int((delivery.next_attempt_at - now) / MINUTE))
        now = delivery.next_attempt_at
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, webhooks.MAX_ATTEMPTS)
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS == delivery.attempt_log.count()
    assert webhooks.send_due(now + dt.timedelta(days=1))["failed"] == 0  # stopped until an administrator asks again
    assert webhooks.requeue([delivery.pk], now) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.QUEUED, 0)


def test_a_slow_receiver_fails_the_try_at_the_timeout(people, lead, receiver, settings):
    settings.WEBHOOK_TIMEOUT = 0.5
    subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    receiver.script = [(200, 3)]
    started = time.monotonic()
    assert webhooks.send_due()["retry"] == 1
    assert time.monotonic() - started < 2
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.QUEUED and delivery.last_status is None
    assert "Quá thời gian chờ" in delivery.last_error
    assert delivery.attempt_log.get().duration_ms < 1500


def test_an_answer_trickled_byte_by_byte_is_cut_at_the_deadline(people, lead, receiver, settings):
    """Each byte comes well within the timeout: only a deadline over the whole exchange stops it."""
    settings.WEBHOOK_TIMEOUT = 1
    subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    receiver.trickle = 0.1  # 20 s for the whole answer
    started = time.monotonic()
    assert webhooks.send_due()["retry"] == 1
    assert time.monotonic() - started < 3
    assert "Quá thời gian chờ" in WebhookDelivery.objects.get().last_error


def test_a_redirect_is_not_followed(people, lead, receiver):
    subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    receiver.script = [(302, 0)]
    assert webhooks.send_due()["retry"] == 1
    assert [r["path"] for r in receiver.requests] == ["/hook?from=dondoc"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status == 302 and "chuyển hướng" in delivery.last_error


def test_an_address_nobody_answers_is_a_failed_try(people, lead):
    from tests.notify.conftest import free_port

    subscribe(people["admin"], f"http://127.0.0.1:{free_port()}/")
    post_update(lead, people)
    assert webhooks.send_due()["retry"] == 1
    assert "Không gửi được" in WebhookDelivery.objects.get().last_error


# --- The address ------------------------------------------------------------------------------------------------

def test_http_is_refused_outside_demo_mode(people, lead, receiver, settings):
    made_in_demo = subscribe(people["admin"], receiver.url)
    made_in_demo.full_clean()  # demo mode (make run): a receiver on the laptop may use http
    settings.PRODUCTION = True
    with pytest.raises(ValidationError) as refused:
        WebhookSubscription(name="A", url="http://example.org/hook", kinds=["update.posted"], owner=people["admin"]).full_clean()
    assert refused.value.message_dict["url"] == [HTTPS_REQUIRED]
    WebhookSubscription(name="A", url="https://example.org/hook", kinds=["update.posted"], owner=people["admin"]).full_clean()
    # One saved while in demo mode is not sent over http once in production: the try fails with the same message.
    post_update(lead, people)
    assert webhooks.send_due()["retry"] == 1
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().last_error == HTTPS_REQUIRED


@pytest.mark.parametrize("url", ["ftp://example.org/x", "javascript:alert(1)", "example.org/hook", "https://",
                                 "https://user:pw@example.org/", "https://example.org:port/", ""])
def test_what_is_not_a_webhook_address(url, people):
    with pytest.raises(ValidationError):
        WebhookSubscription(name="A", url=url, kinds=["update.posted"], owner=people["admin"]).full_clean()


@pytest.mark.parametrize("url", ["https://127.0.0.1/hook", "https://127.8.0.1:8443/", "https://[::1]/hook",
                                 "https://169.254.169.254/latest/meta-data/", "https://0.0.0.0/", "https://localhost/",
                                 "https://api.localhost/", "https://[::ffff:127.0.0.1]/", "https://224.0.0.1/"])
def test_this_machine_is_not_a_webhook_address_outside_demo_mode(url, people, settings):
    made = WebhookSubscription(name="A", url=url, kinds=["update.posted"], owner=people["admin"])
    made.full_clean()  # demo mode: the laptop's own receiver
    settings.PRODUCTION = True
    with pytest.raises(ValidationError) as refused:
        made.full_clean()
    assert "chính máy chủ" in refused.value.message_dict["url"][0]


@pytest.mark.parametrize("url", ["https://10.20.30.40/ioc", "https://192.168.1.5:8443/hook", "https://172.16.0.9/",
                                 "https://ioc.tuyenquang.gov.vn/hook"])
def test_a_private_network_is_a_webhook_address(url, people, settings):
    settings.PRODUCTION = True  # a province's operations centre often lives on its own network
    WebhookSubscription(name="A", url=url, kinds=["update.posted"], owner=people["admin"]).full_clean()


def test_a_name_that_leads_to_this_machine_gets_nothing(receiver, settings):
    """A name the URL check cannot judge (it resolves only when sent): the address connected to is checked before a
    byte goes out, TLS greeting included."""
    settings.PRODUCTION = True
    port = receiver.server.server_address[1]
    status, error, _ = webhooks.post(f"https://localhost:{port}/hook", b"{}", {"Content-Type": "application/json"})
    assert status is None and "chính máy chủ" in error and "127.0.0.1" in error
    time.sleep(0.2)
    assert receiver.requests == []
    settings.PRODUCTION = False  # the same call in demo mode reaches it (over http, which the receiver speaks)
    assert webhooks.post(f"http://localhost:{port}/hook", b"{}", {})[0] == 200
    assert receiver.requests[0]["headers"]["Host"] == f"localhost:{port}"


def test_https_is_sent_only_to_a_certificate_the_machine_trusts(tmp_path, monkeypatch):
    import ssl
    import subprocess

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", tmp_path / "key.pem",
                    "-out", tmp_path / "cert.pem"], check=True, capture_output=True)
    with Receiver() as receiver:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
        receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
        url = f"https://localhost:{receiver.server.server_address[1]}/hook"
        status, error, _ = webhooks.post(url, b"{}", {})  # a certificate nobody vouches for
        assert status is None and "CERTIFICATE_VERIFY_FAILED" in error and receiver.requests == []
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))  # the machine now trusts it
        assert webhooks.post(url, b'{"a": 1}', {}) == (200, "", pytest.approx(0, abs=5000))
        assert receiver.requests[0]["body"] == b'{"a": 1}'


# --- Who may read what --------------------------------------------------------------------------------------------

def test_nothing_is_queued_that_the_reader_may_not_read(people, lead, partner, receiver):
    other = subscribe(people["admin"], receiver.url, as_user=people["other_head"])  # Sở Công Thương: not on 1.1#1
    own = subscribe(people["admin"], receiver.url, as_user=people["lead_head"])  # Sở Y tế: the lead
    both = subscribe(people["admin"], receiver.url, as_user=people["partner_focal"])  # Sở Tài chính: the partner
    everything = subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    actions.do_post_update(partner, people["partner_focal"], text="Đã bố trí kinh phí")
    queued = sorted((d.subscription_id, d.object_id) for d in WebhookDelivery.objects.all())
    assert queued == sorted([(own.pk, lead.pk), (both.pk, partner.pk), (everything.pk, lead.pk),
                             (everything.pk, partner.pk)])
    assert not WebhookDelivery.objects.filter(subscription=other).exists()
    webhooks.send_due()
    sent = [json.loads(r["body"])["assignment"]["id"] for r in receiver.requests]
    assert sorted(sent) == sorted([lead.pk, partner.pk, lead.pk, partner.pk])


def test_a_reader_who_lost_sight_of_the_object_gets_nothing(people, lead, receiver, orgs):
    subscription = subscribe(people["admin"], receiver.url, as_user=people["lead_focal"])
    post_update(lead, people)
    assert WebhookDelivery.objects.count() == 1
    moved = people["lead_focal"]
    moved.agency = orgs["sct"]  # moved to another agency before the worker sends
    moved.save()
    assert webhooks.send_due() == {"delivered": 0, "retry": 0, "failed": 0, "cancelled": 1}
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.CANCELLED and delivery.attempts == 0
    assert "không được xem" in delivery.last_error
    # An owner who is no longer active reads nothing either: nothing is queued.
    subscription.as_user = None
    subscription.save()
    people["admin"].is_active = False
    people["admin"].save()
    actions.do_post_update(lead, people["lead_head"], text="Lần hai")
    assert WebhookDelivery.objects.count() == 1


def test_a_subscription_switched_off_sends_nothing_more(people, lead, receiver):
    subscription = subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    subscription.active = False
    subscription.save()
    assert webhooks.send_due()["cancelled"] == 1
    post_update(lead, people, text="Lần hai")
    assert WebhookDelivery.objects.count() == 1 and receiver.requests == []


def test_only_the_kinds_chosen(people, lead, receiver):
    subscribe(people["admin"], receiver.url, kinds=["claim.posted"])
    post_update(lead, people)
    assert not WebhookDelivery.objects.exists()
    actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 14))
    assert list(WebhookDelivery.objects.values_list("kind", flat=True)) == ["claim.posted"]


# --- Every kind, from its action, with its transaction ----------------------------------------------------------

def test_every_kind_is_queued_by_its_action(people, lead, plan, receiver, settings):
    assert set(webhooks.FROM_AUDIT.values()) | {webhooks.OVERDUE} == set(WEBHOOK_KINDS)
    subscribe(people["admin"], receiver.url)
    kinds = lambda: list(WebhookDelivery.objects.order_by("pk").values_list("kind", flat=True))  # noqa: E731
    post_update(lead, people)
    ext = actions.do_request_extension(lead, people["lead_head"], new_deadline=dt.date(2024, 10, 15), reason="Chờ vốn")
    assert kinds() == ["update.posted"]  # a request is not a decision
    actions.do_decide_extension(ext, people["coordinator"], approve=True, note="Đồng ý")
    returned_claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 14), output="Bệnh án")
    actions.do_return(returned_claim, people["coordinator"], reason="Thiếu minh chứng")
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 15))
    actions.do_confirm(claim, people["coordinator"])
    second = plan.tasks.get(ref="III.1#1").assignments.filter(agency=lead.agency).get()
    refused = actions.do_request_extension(second, people["lead_head"], new_deadline=dt.date(2025, 1, 15), reason="Chờ")
    actions.do_decide_extension(refused, people["leader"], approve=False)
    assert kinds() == ["update.posted", "extension.decided", "claim.posted", "claim.returned", "claim.posted",
                       "claim.confirmed", "extension.decided"]
    decided = WebhookDelivery.objects.filter(kind="extension.decided").order_by("pk")
    assert [d.payload["data"]["decision"] for d in decided] == ["approved", "rejected"]
    returned = WebhookDelivery.objects.get(kind="claim.returned")
    assert returned.payload["data"] == {"claim": returned_claim.pk, "reason": "Thiếu minh chứng"}

    settings.DEMO_TODAY = dt.date(2024, 10, 5)
    report = report_actions.do_create_report(plan, people["lead_focal"], period="2024-Q4")
    report = report_actions.do_submit(report, people["lead_focal"])
    report = report_actions.do_approve(report, people["lead_head"])
    report = report_actions.do_accept(report, people["coordinator"])
    assert kinds()[-2:] == ["report.submitted", "report.accepted"]
    accepted = WebhookDelivery.objects.get(kind="report.accepted")
    assert accepted.object_type == "reports.agencyreport" and accepted.payload["report"]["id"] == report.pk
    assert accepted.payload["report"]["period"] == "2024-Q4" and accepted.payload["report"]["state"] == "accepted"

    # Each delivery is keyed by the audit event it came from.
    events = {f"event:{e.pk}" for e in Event.objects.filter(action__in=list(webhooks.FROM_AUDIT))}
    assert set(WebhookDelivery.objects.values_list("key", flat=True)) == events
    assert webhooks.send_due()["delivered"] == WebhookDelivery.objects.count() == len(receiver.requests) == 9
    # Sent from a few threads at once: in no promised order (the body's "occurred_at" orders them).
    assert sorted(r["headers"]["X-Dondoc-Event"] for r in receiver.requests) == sorted(kinds())


def test_an_assignment_become_overdue_is_announced_once(people, lead, partner, receiver, settings):
    subscription = subscribe(people["admin"], receiver.url, kinds=["task.overdue"])
    WebhookSubscription.objects.filter(pk=subscription.pk).update(created_at=clock.now() - dt.timedelta(days=30))
    scoped = subscribe(people["admin"], receiver.url, kinds=["task.overdue"], as_user=people["other_head"])
    assert webhooks.enqueue_overdue(dt.date(2024, 9, 30)) == 0  # due that day: still in time
    assert webhooks.enqueue_overdue(dt.date(2024, 10, 1)) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.subscription == subscription and delivery.kind == "task.overdue"
    assert delivery.object_id == lead.pk and delivery.key == f"overdue:{lead.pk}:2024-09-30"  # the lead's, not the partner's
    assert delivery.payload["data"] == {"due": "2024-09-30", "overdue_since": "2024-10-01"}
    assert delivery.payload["assignment"]["task"]["ref"] == "1.1#1"
    assert webhooks.enqueue_overdue(dt.date(2024, 10, 1)) == 0  # once, however often the sweep runs
    assert webhooks.enqueue_overdue(dt.date(2024, 10, 3)) == 0
    assert not WebhookDelivery.objects.filter(subscription=scoped).exists()  # another agency's
    settings.DEMO_TODAY = dt.date(2024, 10, 2)
    webhooks.send_due()
    [request] = receiver.requests
    assert request["headers"]["X-Dondoc-Event"] == "task.overdue" and verify(subscription.secret, request)


def test_overdue_long_ago_or_before_the_subscription_is_not_announced(people, lead, receiver):
    old = subscribe(people["admin"], receiver.url, kinds=["task.overdue"])
    WebhookSubscription.objects.filter(pk=old.pk).update(created_at=clock.now() - dt.timedelta(days=60))
    assert webhooks.enqueue_overdue(dt.date(2024, 10, 20)) == 0  # overdue for 20 days: past the catch-up week
    assert webhooks.enqueue_overdue(dt.date(2024, 10, 7)) == 1
    new = subscribe(people["admin"], receiver.url, kinds=["task.overdue"])  # made on 15/9 (the demo clock)
    WebhookSubscription.objects.filter(pk=new.pk).update(created_at=dt.datetime(2024, 10, 5, 9, tzinfo=dt.UTC))
    assert webhooks.enqueue_overdue(dt.date(2024, 10, 7)) == 0  # overdue since 1/10, before it was made


def test_a_rolled_back_action_queues_nothing(people, lead, receiver):
    subscribe(people["admin"], receiver.url)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            post_update(lead, people)
            assert WebhookDelivery.objects.count() == 1  # queued inside the action's transaction...
            raise RuntimeError("the step after it failed")
    assert WebhookDelivery.objects.count() == 0  # ...and gone with it
    with pytest.raises(TrackingError):
        post_update(lead, people, text="")
    with pytest.raises(TrackingError):
        actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2030, 1, 1))
    assert WebhookDelivery.objects.count() == 0
    webhooks.send_due()
    assert receiver.requests == []


# --- Claims between workers ------------------------------------------------------------------------------------

def test_a_claimed_delivery_is_not_claimed_again_until_its_lease_runs_out(people, lead, receiver):
    subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    now = clock.now() + dt.timedelta(seconds=1)
    token, first = webhooks.claim(now)
    assert len(first) == 1
    assert webhooks.claim(now + MINUTE)[1] == []
    token2, again = webhooks.claim(now + webhooks.LEASE + MINUTE)  # the first worker died
    assert [d.pk for d in again] == [first[0].pk] and again[0].attempts == 2
    # The dead worker's late answer is not written over the new claim's.
    webhooks._finish(first[0], token, now, 200, "", 5)
    assert WebhookDelivery.objects.get().state == DeliveryState.SENDING


# --- The worker and the command ---------------------------------------------------------------------------------

def test_the_scheduler_and_the_command_send(people, lead, receiver, settings):
    settings.DEMO_TODAY = dt.date(2024, 10, 1)
    subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    result = scheduler.tick(clock.now() + dt.timedelta(seconds=1))
    assert result["webhooks_overdue"] == 1 and result["webhooks"]["delivered"] == 2
    assert sorted(r["headers"]["X-Dondoc-Event"] for r in receiver.requests) == ["task.overdue", "update.posted"]
    post_update(lead, people, text="Lần hai")
    import io

    out = io.StringIO()
    call_command("send_webhooks", stdout=out)
    assert "đã gửi 1" in out.getvalue() and len(receiver.requests) == 3


# --- The cost on the hot path -----------------------------------------------------------------------------------

def _queries_of_a_post(client, lead, headers, text) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(f"/api/v1/assignments/{lead.pk}/updates", {"text": text}, content_type="application/json",
                               **headers)
    assert response.status_code in (200, 201), response.content
    return len(ctx.captured_queries)


def test_posting_an_update_costs_no_query_more_without_subscriptions(client, people, lead, receiver):
    _, raw = account_actions.do_create_token(people["lead_focal"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    _queries_of_a_post(client, lead, headers, "khởi động")  # warm whatever the first request fills
    recorded.disconnect(dispatch_uid="notify.webhooks.enqueue")
    try:
        without_webhooks = _queries_of_a_post(client, lead, headers, "không có webhook")
    finally:
        recorded.connect(webhooks._on_recorded, dispatch_uid="notify.webhooks.enqueue")
    from django.core.cache import cache

    cache.delete(webhooks.SUBSCRIBED_KEY)
    cold = _queries_of_a_post(client, lead, headers, "bộ nhớ đệm trống")
    warm = _queries_of_a_post(client, lead, headers, "bộ nhớ đệm đã có")
    assert (cold - without_webhooks, warm - without_webhooks) == (1, 0)
    subscribe(people["admin"], receiver.url)
    first = _queries_of_a_post(client, lead, headers, "có một webhook")  # the set of kinds read again
    subscribed = _queries_of_a_post(client, lead, headers, "có một webhook, lần hai")
    # The subscriptions, whether its owner reads the assignment, the insert.
    assert (first - without_webhooks, subscribed - without_webhooks) == (4, 3)
    assert WebhookDelivery.objects.count() == 2


# --- The admin ------------------------------------------------------------------------------------------------

def test_the_delivery_log_in_the_admin(client, people, lead, receiver):
    subscription = subscribe(people["admin"], receiver.url)
    post_update(lead, people)
    receiver.script = [(500, 0)]
    webhooks.send_due()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED)
    client.force_login(people["admin"])
    page = client.get("/quan-tri/notify/webhookdelivery/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Báo cáo tiến độ mới" in text and subscription.name in text and "Gửi lỗi" in text
    for url in ("/quan-tri/notify/webhookdelivery/", f"/quan-tri/notify/webhooksubscription/{subscription.pk}/change/",
                "/quan-tri/notify/webhooksubscription/", "/quan-tri/notify/webhooksubscription/add/"):
        read = visible(client.get(url).content.decode())
        codes = [c for c in RAW_CODE.findall(read) if c not in {u.username for u in people.values()}]  # "syt.cb"
        assert english_in(read) + codes == [], url  # Vietnamese, and no kind as a raw code
    for query in ("?state__exact=failed", "?kind__exact=update.posted", f"?subscription__id__exact={subscription.pk}"):
        assert client.get(f"/quan-tri/notify/webhookdelivery/{query}").status_code == 200
    assert "Trung tâm" not in client.get("/quan-tri/notify/webhookdelivery/?state__exact=delivered").content.decode()
    one = client.get(f"/quan-tri/notify/webhookdelivery/{delivery.pk}/change/")
    assert one.status_code == 200 and "Người nhận trả lời mã 500" in one.content.decode()
    response = client.post("/quan-tri/notify/webhookdelivery/", {"action": "requeue", "_selected_action": [delivery.pk]})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.QUEUED, 0)
    assert Event.objects.filter(action="webhook.deliveries_requeued", actor=people["admin"]).exists()
    assert client.get("/quan-tri/notify/webhooksubscription/").status_code == 200
    page = client.get(f"/quan-tri/notify/webhooksubscription/{subscription.pk}/change/").content.decode()
    assert subscription.secret in page  # administrators read the secret
    for who in ("coordinator", "leader", "lead_head", "lead_focal", "viewer"):
        client.force_login(people[who])
        assert client.get("/quan-tri/notify/webhookdelivery/").status_code == 403, who
        assert client.get(f"/quan-tri/notify/webhooksubscription/{subscription.pk}/change/").status_code == 403, who
    client.logout()
    assert client.get("/quan-tri/notify/webhookdelivery/").status_code == 302


def test_an_administrator_subscribes_in_the_admin(client, people, settings):
    client.force_login(people["admin"])
    form = {"name": "Trung tâm IOC", "url": "https://ioc.example.org/dondoc", "kinds": ["claim.posted", "task.overdue"],
            "active": "on", "as_user": ""}
    response = client.post("/quan-tri/notify/webhooksubscription/add/", form, follow=True)
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert subscription.owner == people["admin"] and subscription.kinds == ["claim.posted", "task.overdue"]
    assert len(subscription.secret) >= 40 and subscription.secret in response.content.decode()  # shown on creation
    assert Event.objects.filter(action="webhooksubscription.created").exists()
    assert "secret" not in str(Event.objects.get(action="webhooksubscription.created").changes)
    settings.PRODUCTION = True
    refused = client.post("/quan-tri/notify/webhooksubscription/add/", dict(form, url="http://ioc.example.org/"))
    assert refused.status_code == 200 and HTTPS_REQUIRED in refused.content.decode()
    none = client.post("/quan-tri/notify/webhooksubscription/add/", dict(form, kinds=[]))
    assert "Hãy chọn ít nhất một sự kiện." in none.content.decode()
    assert WebhookSubscription.objects.count() == 1
    old = subscription.secret
    client.post("/quan-tri/notify/webhooksubscription/", {"action": "rotate_secret", "_selected_action": [subscription.pk]})
    subscription.refresh_from_db()
    assert subscription.secret != old


def test_a_decided_claim_is_delivered_with_what_was_decided(people, lead, receiver):
    subscribe(people["admin"], receiver.url, kinds=["claim.confirmed"])
    claim = actions.do_claim(lead, people["lead_head"], completed_on=dt.date(2024, 9, 14))
    actions.do_confirm(claim, people["coordinator"])
    claim.refresh_from_db()
    assert claim.state == DecisionState.CONFIRMED
    webhooks.send_due()
    body = json.loads(receiver.requests[0]["body"])
    assert body["event"] == "claim.confirmed" and body["data"]["claim"] == claim.pk and body["actor"] == "th"
