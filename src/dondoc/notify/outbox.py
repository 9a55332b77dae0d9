"""Sending the digest e-mails waiting in the outbox: claimed atomically, retried with back-off, never twice.

A worker claims a batch of due rows in one transaction (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL; on
SQLite the transaction takes the write lock at BEGIN IMMEDIATE, so claims are serialised) and, in the same
transaction, attaches to each row the person's reminders not yet in any e-mail. The row is then "sending" under
a lease (renewed while the batch is being sent): another worker skips it; if the worker dies, the lease runs
out and the row is claimed again — the one case where a person might receive a digest twice: the server accepted
it but the worker died before writing "sent" (results are written RECORD_EVERY at a time). Each worker sends
over a few SMTP connections at once. A failure puts the row back in the queue 1, 2, 4 … 60 minutes later with the error kept for the
admin (Django admin, "Hộp thư đi"); after MAX_ATTEMPTS it stops as "failed" until the admin queues it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import secrets
import threading
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery

from dondoc.accounts.models import User
from dondoc.core import clock
from dondoc.tracking.status import LOCAL_TZ

from . import digest, live
from .models import Outbox, OutboxState, Reminder
from .reminders import _retrying

log = logging.getLogger(__name__)

BATCH = 100
LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 15  # 1+2+4+8+16+32 minutes, then hourly: about ten hours of trying
MAX_DELAY_MINUTES = 60
SMTP_TIMEOUT = 30
RECORD_EVERY = 20  # digests recorded per transaction


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4, 8 … minutes, capped at an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_DELAY_MINUTES))


def _due(now: dt.datetime, ignore_hour: bool) -> Q:
    q = Q(state=OutboxState.QUEUED, next_attempt_at__lte=now) | Q(state=OutboxState.SENDING, lease_until__lt=now)
    if ignore_hour:  # `send_reminders --all`: digests never tried yet go now, whatever the person's hour
        q |= Q(state=OutboxState.QUEUED, attempts=0)
    return q


def claim(now: dt.datetime, limit: int = BATCH, *, ignore_hour: bool = False) -> list[tuple[int, int, dt.date]]:
    """Claim up to `limit` due digests for this worker: [(outbox id, user id, day)]."""
    token = secrets.token_hex(16)
    due = _due(now, ignore_hour)
    with transaction.atomic():
        qs = Outbox.objects.filter(due).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Outbox.objects.filter(due, pk__in=ids).update(state=OutboxState.SENDING, claim=token, lease_until=now + LEASE,
                                                      attempts=F("attempts") + 1)
        claimed = list(Outbox.objects.filter(claim=token, state=OutboxState.SENDING).values_list("pk", "user_id", "day"))
        users = {u for _, u, _ in claimed}
        if users:
            # The person's reminders waiting for an e-mail go into this one (the earliest claimed, if two).
            first = (Outbox.objects.filter(claim=token, user_id=OuterRef("user_id")).order_by("day", "pk").values("pk")[:1])
            Reminder.objects.filter(outbox__isnull=True, emailable=True, user_id__in=users).update(outbox_id=Subquery(first))
    return claimed


def _lines(outbox_ids: list[int], day: dt.date) -> dict[int, list[digest.Line]]:
    # Done, cancelled, awaiting confirmation or given more time since the reminder was made: read as it stands on
    # the day the mail goes (live.py), the same reading as the page "Nhắc việc".
    return live.lines(Reminder.objects.filter(outbox_id__in=outbox_ids), day, by="outbox_id")


class _Recorder:
    """Writes what happened to each digest, a few rows per transaction: one commit per answer costs more than the
    SMTP exchange on PostgreSQL. At most RECORD_EVERY digests are answered but unrecorded at any moment — the
    ones a crashed worker's successor could send again."""

    def __init__(self, now: dt.datetime, ids: list[int]):
        self.now, self.ids, self.pending, self.started = now, ids, [], time.monotonic()

    def __call__(self, pk: int, *, detach: bool = False, **fields) -> None:
        self.pending.append((pk, fields, detach))
        if len(self.pending) >= RECORD_EVERY:
            self.flush()

    def failed(self, pk: int, attempts: int, error: str) -> None:
        error = error[:2000] or "Lỗi không rõ"
        if attempts >= MAX_ATTEMPTS:
            self(pk, state=OutboxState.FAILED, last_error=error, claim="", lease_until=None)
        else:
            self(pk, state=OutboxState.QUEUED, last_error=error, claim="", lease_until=None,
                 next_attempt_at=self.now + backoff(attempts))

    def flush(self) -> None:
        pending, self.pending = self.pending, []

        def write():
            with transaction.atomic():
                for pk, fields, detach in pending:
                    if Outbox.objects.filter(pk=pk, state=OutboxState.SENDING).update(**fields) and detach:
                        Reminder.objects.filter(outbox_id=pk).update(outbox=None)
                # A slow server must not let the lease run out under the rows still being sent.
                elapsed = dt.timedelta(seconds=time.monotonic() - self.started)
                Outbox.objects.filter(pk__in=self.ids, state=OutboxState.SENDING).update(
                    lease_until=self.now + elapsed + LEASE)

        if pending:
            _retrying(write)


def _send_batch(claimed: list[tuple[int, int, dt.date]], now: dt.datetime) -> dict[str, int]:
    result = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    today = now.astimezone(LOCAL_TZ).date()
    ids = [pk for pk, _, _ in claimed]

    def read():
        return (_lines(ids, today), User.objects.select_related("agency").in_bulk({u for _, u, _ in claimed}),
                dict(Outbox.objects.filter(pk__in=ids).values_list("pk", "attempts")))

    lines, users, attempts = _retrying(read)  # (an in-memory SQLite's shared cache locks readers out too)
    record = _Recorder(now, ids)
    try:
        _compose_and_send(claimed, lines, users, attempts, record, result)
    finally:
        record.flush()
    return result


def _compose_and_send(claimed, lines, users, attempts, record, result) -> None:
    messages = []
    for pk, user_id, day in claimed:
        user = users.get(user_id)
        if not lines.get(pk):
            record(pk, state=OutboxState.SKIPPED, claim="", lease_until=None, last_error="Không còn nhiệm vụ cần nhắc.")
            result["skipped"] += 1
        elif user is None or not user.is_active:
            record(pk, state=OutboxState.SKIPPED, claim="", lease_until=None, last_error="Tài khoản đã bị khóa.")
            result["skipped"] += 1
        elif not user.email:
            # The address was removed after the row was made: its reminders go back to wait for one (reminders.py).
            record(pk, state=OutboxState.SKIPPED, claim="", lease_until=None, detach=True,
                   last_error="Không có địa chỉ e-mail: nhắc việc chờ đến khi có địa chỉ.")
            result["skipped"] += 1
        else:
            msg = digest.message(to=user.email, name=user.display_name, agency=user.agency.name if user.agency else "",
                                 day=day, lines=lines[pk])
            messages.append((pk, user.email, msg))
    for pk, address, msg, error in _deliver(messages) if messages else ():
        if error is None:
            record(pk, state=OutboxState.SENT, sent_at=clock.now(), to_email=address[:254], subject=msg.subject[:255],
                   last_error="", claim="", lease_until=None)
            result["sent"] += 1
        else:
            record.failed(pk, attempts[pk], f"{type(error).__name__}: {error}")
            result["retry" if attempts[pk] < MAX_ATTEMPTS else "failed"] += 1


def connections() -> int:
    return max(1, settings.DONDOC_SMTP_CONNECTIONS)


def _deliver(messages: list[tuple]):
    """Send over a few SMTP connections at once (the exchange is mostly waiting for the server's replies) and yield
    (pk, address, message, error or None) as each one is answered, so the caller records it straight away. The
    connections live in their own threads and never touch the database."""
    work: queue.Queue = queue.Queue()
    for item in messages:
        work.put(item)
    answers: queue.Queue = queue.Queue()
    unreachable: list[Exception] = []
    timeout = settings.EMAIL_TIMEOUT or SMTP_TIMEOUT

    def sender():
        mailer = get_connection(fail_silently=False, timeout=timeout)
        try:
            mailer.open()
        except Exception as exc:  # this connection cannot reach the server: leave the work to the others
            unreachable.append(exc)
            answers.put(None)
            return
        try:
            while True:
                try:
                    pk, address, msg = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    if mailer.send_messages([msg]) != 1:
                        raise RuntimeError("máy chủ thư không nhận thư")
                    answers.put((pk, address, msg, None))
                except Exception as exc:
                    answers.put((pk, address, msg, exc))
                    try:
                        mailer.close()  # reopened by the next send_messages()
                    except Exception:
                        pass
        finally:
            try:
                mailer.close()
            except Exception:
                pass
            answers.put(None)

    threads = [threading.Thread(target=sender, daemon=True, name=f"dondoc-smtp-{i}")
               for i in range(min(connections(), len(messages)))]
    for t in threads:
        t.start()
    running = len(threads)
    while running:
        answer = answers.get()
        if answer is None:
            running -= 1
        else:
            yield answer
    # Nobody could connect (SMTP down): everything left waits for a later try.
    if not work.empty():
        error = unreachable[-1] if unreachable else RuntimeError("không gửi được thư")
        log.warning("digest e-mail: cannot reach the mail server: %s", error)
        while not work.empty():
            pk, address, msg = work.get_nowait()
            yield pk, address, msg, error


def send_due(now: dt.datetime | None = None, *, ignore_hour: bool = False, limit: int | None = None) -> dict[str, int]:
    """Send every digest due at `now` (default: the clock's now), batch after batch. Returns counts."""
    now = now or clock.now()
    totals = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    done = 0
    while limit is None or done < limit:
        claimed = _retrying(claim, now, BATCH if limit is None else min(BATCH, limit - done), ignore_hour=ignore_hour)
        if not claimed:
            break
        done += len(claimed)
        for key, n in _send_batch(claimed, now).items():
            totals[key] += n
    return totals
