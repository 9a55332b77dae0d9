"""Webhooks: the chosen events POSTed, signed, to an administrator's address by the worker, never by a request.

Queueing. Every action records its audit event inside its transaction (audit.record); the audit trail's `recorded`
signal brings each event here, and the kinds a webhook can follow (FROM_AUDIT) become one WebhookDelivery per active
subscription that wants the kind and whose owner (and `as_user`, when set) may read the object — tracking/access.py
and reports/access.py decide, as for a page. The row is written in the action's transaction: a delivery exists if and
only if the action committed. "task.overdue" has no action: `enqueue_overdue(day)` reads the status cache for the lead
assignments that became overdue in the last CATCH_UP_DAYS days (their due date passed), run with the reminder sweep.
Each delivery's `key` is unique per subscription, so running anything twice queues nothing twice.

Cost on the actions: every action's event passes through `_on_recorded`; an event of no webhook kind returns at once,
and one of a kind no active subscription follows returns after reading the cached set of followed kinds (django's
cache, SUBSCRIBED_SECONDS; a change of subscriptions clears it in this process at once — in every process with a
shared cache — and a per-process cache elsewhere within SUBSCRIBED_SECONDS).

Sending, like the e-mail outbox (outbox.py): a worker claims due rows in one transaction (SELECT ... FOR UPDATE SKIP
LOCKED on PostgreSQL; on SQLite BEGIN IMMEDIATE serialises the claims, and the conditional UPDATE lets one worker
only take a row), under a lease; a few threads POST them (no database in the threads), each exchange within
settings.WEBHOOK_TIMEOUT seconds (the deadline covers the whole answer, so a receiver that trickles it cannot hold a
worker longer); redirects are not followed. A 2xx answer is delivered; anything else is retried after outbox.backoff
(1, 2, 4 … 60 minutes), and after MAX_ATTEMPTS the row stops as failed until an administrator queues it again
("Gửi lại" in the admin). Each try is logged (WebhookAttempt: status, error, time taken). Before each try the
address is checked again (https outside demo mode, not this machine: models.forbidden_address, also on the address
connected to, before a byte is sent) and who may read the object: a subscription switched off, or
whose readers lost sight of the object, has its delivery cancelled, not sent.

The receiver checks `X-Dondoc-Signature: sha256=<hex HMAC-SHA256 of "<X-Dondoc-Timestamp>.<body>" with the secret>`
(README, "Webhooks").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import logging
import queue
import secrets
import ssl
import threading
import time
from http.client import HTTPConnection, HTTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from dondoc.audit.signals import recorded
from dondoc.core import clock
from dondoc.plans.models import Assignment
from dondoc.reports.access import visible_reports
from dondoc.reports.models import AgencyReport
from dondoc.tracking import spans
from dondoc.tracking.access import visible_assignments
from dondoc.tracking.status import LOCAL_TZ
from dondoc.tracking.status_sql import overdue_q

from .models import (OWN_MACHINE, WEBHOOK_KINDS, DeliveryState, WebhookAttempt, WebhookDelivery, WebhookSubscription,
                     check_webhook_url, forbidden_address)
from .outbox import backoff
from .reminders import _retrying

log = logging.getLogger(__name__)

# Audit actions (audit/labels.py) → the webhook kind they are delivered as.
FROM_AUDIT = {
    "update.posted": "update.posted",
    "claim.posted": "claim.posted",
    "claim.confirmed": "claim.confirmed",
    "claim.returned": "claim.returned",
    "extension.approved": "extension.decided",
    "extension.rejected": "extension.decided",
    "report.submitted": "report.submitted",
    "report.accepted": "report.accepted",
}
OVERDUE = "task.overdue"  # no action: enqueue_overdue(), from the reminder sweep

SUBSCRIBED_KEY = "webhooks:subscribed-kinds"
SUBSCRIBED_SECONDS = 30
CATCH_UP_DAYS = 7  # an assignment that became overdue while no worker ran is still announced within a week
BATCH = 20
THREADS = 4
LEASE = dt.timedelta(minutes=5)  # a batch takes at most BATCH / THREADS * WEBHOOK_TIMEOUT seconds
MAX_ATTEMPTS = 10  # 1+2+4+8+16+32 minutes, then hourly: about four hours of trying
RUN_SECONDS = 40  # a scheduler tick stops claiming new batches after this, so the minute's other work still runs
MAX_ANSWER = 2048  # bytes of the receiver's answer read (and kept, shortened, with an error)
USER_AGENT = "dondoc-webhooks/1"


# --- Who may read what --------------------------------------------------------------------------------------

READABLE = {"plans.assignment": (Assignment, visible_assignments), "reports.agencyreport": (AgencyReport, visible_reports)}


def readable(user, object_type: str, object_id) -> bool:
    """Whether `user` may read the object, as its page would decide (the app's access.py)."""
    if user is None or not user.is_active or object_type not in READABLE:
        return False
    model, visible = READABLE[object_type]
    return visible(user, model.objects.filter(pk=object_id)).exists()


def sees(subscription: WebhookSubscription, object_type: str, object_id) -> bool:
    return all(readable(user, object_type, object_id) for user in subscription.readers())


# --- Queueing -----------------------------------------------------------------------------------------------

def subscribed_kinds() -> frozenset[str]:
    """The kinds some active subscription follows, from the cache (one query when it is empty)."""
    found = cache.get(SUBSCRIBED_KEY)
    if found is None:
        found = frozenset(kind for kinds in WebhookSubscription.objects.filter(active=True).values_list("kinds", flat=True)
                          for kind in kinds or ())
        cache.set(SUBSCRIBED_KEY, found, SUBSCRIBED_SECONDS)
    return found


@receiver(post_save, sender=WebhookSubscription, dispatch_uid="notify.webhooks.subscriptions_saved")
@receiver(post_delete, sender=WebhookSubscription, dispatch_uid="notify.webhooks.subscriptions_deleted")
def _subscriptions_changed(sender, **kwargs) -> None:
    cache.delete(SUBSCRIBED_KEY)
    # Again once committed: another request may have filled the cache from the rows as they were before.
    transaction.on_commit(lambda: cache.delete(SUBSCRIBED_KEY))


def _following(kind: str) -> list[WebhookSubscription]:
    return [s for s in WebhookSubscription.objects.filter(active=True).select_related("owner", "as_user").order_by("pk")
            if kind in (s.kinds or ())]


@receiver(recorded, dispatch_uid="notify.webhooks.enqueue")
def _on_recorded(sender, event, obj=None, **kwargs) -> None:
    kind = FROM_AUDIT.get(event.action)
    if kind is None or obj is None or kind not in subscribed_kinds():
        return
    enqueue(kind, event, obj)


def enqueue(kind: str, event, obj) -> list[WebhookDelivery]:
    """One delivery of the audit `event` (about `obj`) for each subscription that follows `kind` and may read `obj`.
    Called inside the action's transaction."""
    targets = [s for s in _following(kind) if sees(s, event.object_type, obj.pk)]
    if not targets:
        return []
    payload = _event_payload(kind, event, obj)
    now = clock.now()
    return WebhookDelivery.objects.bulk_create([
        WebhookDelivery(subscription=s, kind=kind, key=f"event:{event.pk}", object_type=event.object_type,
                        object_id=obj.pk, payload=payload, next_attempt_at=now, created_at=now) for s in targets])


def _absolute(path: str) -> str:
    return f"{settings.DONDOC_BASE_URL}{path}"


def _agency(pk, code, name) -> dict:
    return {"id": pk, "code": code, "name": name}


def _assignment(pk, task_id, ref, plan_id, agency: dict, role) -> dict:
    return {"id": pk, "url": _absolute(reverse("tracking:assignment", args=[pk])), "role": role,
            "task": {"id": task_id, "ref": ref}, "plan": {"id": plan_id}, "agency": agency}


def _event_payload(kind: str, event, obj) -> dict:
    data = dict(event.changes or {})
    if kind == "extension.decided":
        data["decision"] = event.action.rpartition(".")[2]  # approved | rejected
    payload = {"event": kind, "occurred_at": event.at.isoformat(), "actor": event.actor_name, "data": data}
    if isinstance(obj, Assignment):
        task, agency = obj.task, obj.agency
        payload["assignment"] = _assignment(obj.pk, task.pk, task.ref, task.plan_id,
                                            _agency(agency.pk, agency.code, agency.name), obj.role)
    elif isinstance(obj, AgencyReport):
        agency = obj.agency
        payload["report"] = {"id": obj.pk, "url": _absolute(reverse("reports:detail", args=[obj.pk])),
                             "plan": {"id": obj.plan_id}, "agency": _agency(agency.pk, agency.code, agency.name),
                             "period": obj.period, "state": obj.state, "deadline": obj.deadline.isoformat(),
                             "late": obj.late}
    return payload


def enqueue_overdue(day: dt.date | None = None) -> int:
    """Queue "task.overdue" for the lead assignments that are overdue on `day` and became so (the day after their due
    date) within CATCH_UP_DAYS, and not before their subscription was made. Returns how many were queued."""
    day = day or clock.today()
    subscriptions = _following(OVERDUE)
    if not subscriptions:
        return 0
    now, created = clock.now(), 0
    for s in subscriptions:
        if not all(u.is_active for u in s.readers()):
            continue
        since = max(day - dt.timedelta(days=CATCH_UP_DAYS), s.created_at.astimezone(LOCAL_TZ).date() - dt.timedelta(days=1))
        qs = spans.on(day).filter(overdue_q(day), role="lead", due__gte=since)
        for user in s.readers():
            qs = visible_assignments(user, qs)
        rows = {f"overdue:{r[0]}:{r[-1].isoformat()}": r for r in qs.values_list(
            "assignment_id", "task_id", "task__ref", "plan_id", "agency_id", "agency__code", "agency__name", "role", "due")}
        if not rows:
            continue

        def write(s=s, rows=rows):
            with transaction.atomic():
                known = set(WebhookDelivery.objects.filter(subscription=s, key__in=list(rows)).values_list("key", flat=True))
                fresh = []
                for key, (a_id, task_id, ref, plan_id, agency_id, code, name, role, due) in rows.items():
                    if key in known:
                        continue
                    became = due + dt.timedelta(days=1)
                    payload = {"event": OVERDUE, "actor": "",
                               "occurred_at": dt.datetime.combine(became, dt.time(0), tzinfo=LOCAL_TZ).isoformat(),
                               "assignment": _assignment(a_id, task_id, ref, plan_id, _agency(agency_id, code, name), role),
                               "data": {"due": due.isoformat(), "overdue_since": became.isoformat()}}
                    fresh.append(WebhookDelivery(subscription=s, kind=OVERDUE, key=key, object_type="plans.assignment",
                                                 object_id=a_id, payload=payload, next_attempt_at=now, created_at=now))
                WebhookDelivery.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)  # another worker's
                return len(fresh)

        created += _retrying(write)
    return created


# --- Signing and posting ------------------------------------------------------------------------------------

def body_of(delivery: WebhookDelivery) -> bytes:
    """The JSON the receiver gets: the delivery's id beside the event (the same bytes on every try)."""
    return json.dumps({"id": delivery.pk, **delivery.payload}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def headers_for(delivery: WebhookDelivery, body: bytes, timestamp: str | None = None) -> dict[str, str]:
    timestamp = timestamp or str(int(time.time()))  # the wall clock, not the demo clock: receivers compare it with theirs
    return {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
            "X-Dondoc-Event": delivery.kind, "X-Dondoc-Delivery": str(delivery.pk), "X-Dondoc-Timestamp": timestamp,
            "X-Dondoc-Signature": signature(delivery.subscription.secret, timestamp, body)}


class _DeadlineSocket:
    """The connection's socket under one deadline for the whole exchange: each send or receive may wait only for what
    is left of it, so a receiver that answers slowly, or a byte at a time, cannot hold the worker past it."""

    def __init__(self, sock, deadline: float):
        self._sock, self._deadline = sock, deadline

    def _arm(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        self._sock.settimeout(left)

    def sendall(self, data, *args):
        self._arm()
        return self._sock.sendall(data, *args)

    def recv_into(self, buffer, *args):
        self._arm()
        return self._sock.recv_into(buffer, *args)

    def makefile(self, mode="rb", *args, **kwargs):
        return io.BufferedReader(_Reader(self))

    def close(self) -> None:
        pass  # http.client closes as soon as it has the headers of a closing answer: post() closes after reading it

    def __getattr__(self, name):
        return getattr(self._sock, name)


class _Reader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket):
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._sock.recv_into(buffer)


def timeout() -> float:
    return float(settings.WEBHOOK_TIMEOUT)


class _Refused(Exception):
    pass


def post(url: str, body: bytes, headers: dict[str, str], seconds: float | None = None) -> tuple[int | None, str, int]:
    """POST `body` to `url`: (status or None, error or "", milliseconds). Never raises; never follows a redirect."""
    seconds = timeout() if seconds is None else seconds
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    status, error, raw = None, "", None
    tls = ssl.create_default_context() if parts.scheme == "https" else None
    # A plain connection first: the peer it reached is checked before a byte (TLS hello included) is sent to it.
    conn = HTTPConnection(parts.hostname, parts.port or (443 if tls else 80), timeout=seconds)
    try:
        conn.connect()
        peer = conn.sock.getpeername()[0]
        if forbidden_address(peer):
            raise _Refused(OWN_MACHINE.format(address=peer))
        if tls:
            conn.sock = tls.wrap_socket(conn.sock, server_hostname=parts.hostname)
        raw = conn.sock
        conn.sock = _DeadlineSocket(raw, started + seconds)
        conn.request("POST", path, body=body, headers={"Host": parts.netloc, **headers})  # as the URL wrote it
        response = conn.getresponse()
        answer = response.read(MAX_ANSWER)
        status = response.status
        if 300 <= status < 400:
            error = f"Người nhận trả lời chuyển hướng (mã {status}) — không đi theo; hãy sửa địa chỉ webhook."
        elif not 200 <= status < 300:
            text = answer.decode("utf-8", "replace").strip()[:300]
            error = f"Người nhận trả lời mã {status}" + (f": {text}" if text else ".")
    except _Refused as exc:
        error = str(exc)
    except TimeoutError:
        error = f"Quá thời gian chờ ({seconds:g} giây): người nhận không trả lời kịp."
    except ssl.SSLError as exc:
        error = f"Lỗi TLS: {exc}"
    except (OSError, HTTPException) as exc:
        error = f"Không gửi được: {type(exc).__name__}: {exc}"
    except Exception as exc:  # a worker thread must always answer
        error = f"Lỗi không rõ: {type(exc).__name__}: {exc}"
    finally:
        conn.close()
        if raw is not None:
            raw.close()
    return status, error[:2000], int((time.monotonic() - started) * 1000)


# --- The worker's side --------------------------------------------------------------------------------------

def _due(now: dt.datetime) -> Q:
    return (Q(state=DeliveryState.QUEUED, next_attempt_at__lte=now)
            | Q(state=DeliveryState.SENDING, lease_until__lt=now))


def claim(now: dt.datetime, limit: int = BATCH) -> tuple[str, list[WebhookDelivery]]:
    """Claim up to `limit` due deliveries for this worker: (the claim's token, the rows)."""
    token = secrets.token_hex(16)
    due = _due(now)
    if not WebhookDelivery.objects.filter(due).exists():  # the usual minute: no write lock taken for nothing (SQLite)
        return token, []
    with transaction.atomic():
        qs = WebhookDelivery.objects.filter(due).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:limit])
        if not ids:
            return token, []
        # The UPDATE asks `due` again: a row another worker claimed in between is no longer due and stays theirs.
        WebhookDelivery.objects.filter(due, pk__in=ids).update(state=DeliveryState.SENDING, claim=token,
                                                               lease_until=now + LEASE, attempts=F("attempts") + 1)
        claimed = list(WebhookDelivery.objects.filter(claim=token, state=DeliveryState.SENDING)
                       .select_related("subscription__owner", "subscription__as_user").order_by("pk"))
    return token, claimed


def _finish(delivery: WebhookDelivery, token: str, now: dt.datetime, status, error: str, duration_ms: int) -> str:
    """Write one try's outcome: delivered, queued again after the back-off, or failed for good."""
    if status is not None and 200 <= status < 300 and not error:
        outcome, fields = "delivered", {"state": DeliveryState.DELIVERED, "delivered_at": clock.now()}
    elif delivery.attempts >= MAX_ATTEMPTS:
        outcome, fields = "failed", {"state": DeliveryState.FAILED}
    else:
        outcome, fields = "retry", {"state": DeliveryState.QUEUED, "next_attempt_at": now + backoff(delivery.attempts)}

    def write():
        with transaction.atomic():
            if WebhookDelivery.objects.filter(pk=delivery.pk, claim=token, state=DeliveryState.SENDING).update(
                    claim="", lease_until=None, last_status=status, last_error=error, last_duration_ms=duration_ms,
                    **fields):
                WebhookAttempt.objects.create(delivery_id=delivery.pk, number=delivery.attempts, at=clock.now(),
                                              status=status, error=error, duration_ms=duration_ms)

    _retrying(write)
    return outcome


def _cancel(delivery: WebhookDelivery, token: str, reason: str) -> None:
    _retrying(WebhookDelivery.objects.filter(pk=delivery.pk, claim=token, state=DeliveryState.SENDING).update,
              state=DeliveryState.CANCELLED, claim="", lease_until=None, last_error=reason,
              attempts=F("attempts") - 1)  # nothing was sent


def _post_all(jobs: list[tuple]):
    """POST from a few threads at once (they never touch the database); yield (delivery, status, error, ms) as each
    answer comes."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    answers: queue.Queue = queue.Queue()

    def sender():
        while True:
            try:
                delivery, url, body, headers = work.get_nowait()
            except queue.Empty:
                return
            answers.put((delivery, *post(url, body, headers)))

    for i in range(min(THREADS, len(jobs))):
        threading.Thread(target=sender, daemon=True, name=f"dondoc-webhook-{i}").start()
    for _ in jobs:
        yield answers.get()


def _send_batch(token: str, claimed: list[WebhookDelivery], now: dt.datetime) -> dict[str, int]:
    result = {"delivered": 0, "retry": 0, "failed": 0, "cancelled": 0}
    jobs = []
    for delivery in claimed:
        subscription = delivery.subscription
        if not subscription.active:
            _cancel(delivery, token, "Đăng ký webhook đã tắt: không gửi.")
            result["cancelled"] += 1
            continue
        if not _retrying(sees, subscription, delivery.object_type, delivery.object_id):
            _cancel(delivery, token, "Người tạo đăng ký (hoặc tài khoản được chọn) không được xem nội dung này: không gửi.")
            result["cancelled"] += 1
            continue
        try:
            check_webhook_url(subscription.url)
        except ValidationError as exc:
            result[_finish(delivery, token, now, None, " ".join(exc.messages), 0)] += 1
            continue
        body = body_of(delivery)
        jobs.append((delivery, subscription.url.strip(), body, headers_for(delivery, body)))
    for delivery, status, error, duration_ms in _post_all(jobs) if jobs else ():
        result[_finish(delivery, token, now, status, error, duration_ms)] += 1
    return result


def send_due(now: dt.datetime | None = None, *, seconds: float | None = None) -> dict[str, int]:
    """Send every delivery due at `now` (default: the clock's now), batch after batch; with `seconds`, claim no new
    batch after that long. Returns counts."""
    now = now or clock.now()
    started = time.monotonic()
    totals = {"delivered": 0, "retry": 0, "failed": 0, "cancelled": 0}
    while seconds is None or time.monotonic() - started < seconds:
        token, claimed = _retrying(claim, now)
        if not claimed:
            break
        for key, n in _send_batch(token, claimed, now).items():
            totals[key] += n
    return totals


# --- The administrator's side -------------------------------------------------------------------------------

def requeue(ids, now: dt.datetime | None = None) -> int:
    """Queue failed or cancelled deliveries again, from their first try (the admin's "Gửi lại")."""
    return WebhookDelivery.objects.filter(pk__in=list(ids), state__in=(DeliveryState.FAILED, DeliveryState.CANCELLED)) \
        .update(state=DeliveryState.QUEUED, attempts=0, next_attempt_at=now or clock.now(), claim="", lease_until=None)
