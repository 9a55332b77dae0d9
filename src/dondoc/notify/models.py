"""Reminders (nhắc việc), the daily digest e-mail outbox, people's preferences and calendar feed tokens.

Idempotence lives in the database: a Reminder is unique per (person, assignment, kind, day), so generating the
day's reminders twice — a restart, a second worker — inserts nothing new; an Outbox row (one digest e-mail for
one person for one day) is unique per (person, day) and is claimed atomically before it is sent.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from dondoc.core import clock

# --- Reminder kinds ----------------------------------------------------------------------------------------

BEFORE = "before"  # N days before the (effective) due date
DUE_TODAY = "due_today"  # the due date is today
OVERDUE = "overdue"  # past due, every `overdue_every` days
REPORT_BEFORE = "report_before"  # N days before a recurring task's period report date
REPORT_TODAY = "report_today"  # a recurring task's period report date is today

KIND_LABELS = {
    OVERDUE: "Quá hạn",
    DUE_TODAY: "Đến hạn hôm nay",
    BEFORE: "Sắp đến hạn",
    REPORT_TODAY: "Hạn báo cáo định kỳ hôm nay",
    REPORT_BEFORE: "Sắp đến hạn báo cáo định kỳ",
}
# Mandatory reminders reach everyone concerned, whatever their preferences: a deadline that is today or already
# passed is what đôn đốc (urging) is about. Advance notices ("7 ngày trước hạn", "trước kỳ báo cáo") are a
# convenience a person may turn off.
MANDATORY_KINDS = frozenset({DUE_TODAY, OVERDUE, REPORT_TODAY})
OPTIONAL_KINDS = frozenset({BEFORE, REPORT_BEFORE})


class ReminderSchedule(models.Model):
    """The one reminder schedule of the installation (row pk=1), edited by the coordinator or the admin.

    One schedule for every plan keeps the rule easy to explain to agencies ("7 ngày và 1 ngày trước hạn, đúng
    ngày, rồi 3 ngày một lần khi quá hạn"); a per-plan override can be added later as a nullable plan key."""

    before_days = models.JSONField("nhắc trước hạn (số ngày)", default=list)
    on_the_day = models.BooleanField("nhắc đúng ngày đến hạn", default=True)
    overdue_every = models.PositiveSmallIntegerField("khi quá hạn, nhắc lại sau mỗi (ngày)", default=3)
    report_before_days = models.JSONField("nhắc trước hạn báo cáo định kỳ (số ngày)", default=list)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "lịch nhắc việc"
        verbose_name_plural = "lịch nhắc việc"

    def __str__(self):
        return "Lịch nhắc việc"


class NotificationPreference(models.Model):
    """A person's choices; no row means the defaults (07:00, e-mail on, every reminder)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="notification_preference")
    digest_hour = models.PositiveSmallIntegerField("giờ nhận thư tổng hợp", default=7)
    email_digest = models.BooleanField("nhận thư tổng hợp qua e-mail", default=True)
    only_mandatory = models.BooleanField("chỉ nhận nhắc việc bắt buộc", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tùy chọn nhắc việc"
        verbose_name_plural = "tùy chọn nhắc việc"


class SweepRun(models.Model):
    """One run of the reminder sweep for a day (several per day are normal and harmless)."""

    day = models.DateField("ngày nhắc", db_index=True)
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveIntegerField("nhắc việc mới", default=0)
    people = models.PositiveIntegerField("số người", default=0)
    digests = models.PositiveIntegerField("thư tổng hợp mới", default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "lượt quét nhắc việc"
        verbose_name_plural = "lượt quét nhắc việc"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Quét nhắc việc ngày {self.day:%d/%m/%Y}"


class OutboxState(models.TextChoices):
    QUEUED = "queued", "Đang chờ gửi"
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"
    SKIPPED = "skipped", "Không cần gửi"
    FAILED = "failed", "Gửi lỗi (đã dừng thử lại)"


class Outbox(models.Model):
    """One digest e-mail: one person, one day. Its reminders are attached when a worker claims it, so a retry
    sends the same content and no reminder is ever in two e-mails."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="người nhận")
    day = models.DateField("ngày")
    state = models.CharField("trạng thái", max_length=16, choices=OutboxState.choices, default=OutboxState.QUEUED)
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    next_attempt_at = models.DateTimeField("gửi từ lúc")
    lease_until = models.DateTimeField("đang gửi đến lúc", null=True, blank=True)
    claim = models.CharField("mã lượt gửi", max_length=32, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    to_email = models.CharField("địa chỉ", max_length=254, blank=True)
    subject = models.CharField("tiêu đề", max_length=255, blank=True)
    created_at = models.DateTimeField("tạo lúc", default=clock.now)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thư nhắc việc"
        verbose_name_plural = "hộp thư đi (nhắc việc)"
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_person_per_day")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"Thư nhắc việc ngày {self.day:%d/%m/%Y} cho {self.user}"


class Reminder(models.Model):
    """One reminder to one person about one assignment on one day. Never edited, except to attach it to the
    e-mail that carries it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="người nhận")
    assignment = models.ForeignKey("plans.Assignment", on_delete=models.CASCADE, related_name="+", verbose_name="giao việc")
    agency = models.ForeignKey("orgs.Agency", on_delete=models.CASCADE, related_name="+", db_index=False,
                               verbose_name="cơ quan")
    kind = models.CharField("loại nhắc", max_length=16, choices=list(KIND_LABELS.items()))
    occurrence = models.DateField("ngày nhắc")
    due = models.DateField("hạn được nhắc")  # the effective due date, or the period's report date
    # False: in-app only, the person turned e-mail off. A person without an address keeps True: the reminder waits
    # for the first digest after an address is set (reminders.py).
    emailable = models.BooleanField("gửi qua e-mail", default=True)
    sweep = models.ForeignKey(SweepRun, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False,
                              verbose_name="lượt quét")
    outbox = models.ForeignKey(Outbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders",
                               verbose_name="thư")
    created_at = models.DateTimeField("tạo lúc", default=clock.now)

    class Meta:
        verbose_name = "nhắc việc"
        verbose_name_plural = "nhắc việc"
        constraints = [models.UniqueConstraint(fields=["user", "assignment", "kind", "occurrence"], name="one_reminder")]
        indexes = [
            models.Index(fields=["user", "occurrence"], name="reminder_user_day"),
            models.Index(fields=["sweep", "agency"], name="reminder_sweep"),
            # Reminders still waiting for an e-mail: few at any time.
            models.Index(fields=["user"], condition=Q(outbox__isnull=True, emailable=True), name="reminder_unmailed"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ngày {self.occurrence:%d/%m/%Y}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class CalendarScope(models.TextChoices):
    PERSONAL = "personal", "Lịch cá nhân"
    AGENCY = "agency", "Lịch của cơ quan"


class CalendarToken(models.Model):
    """The secret in a calendar feed URL (/lich/<token>.ics). Only its SHA-256 is stored: the URL is shown
    once, like an API token; a lost URL is revoked and a new one made. A feed stops working when revoked, when
    its owner is deactivated, or (agency feeds) when the owner leaves the agency."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens",
                             verbose_name="người tạo")
    scope = models.CharField("phạm vi", max_length=16, choices=CalendarScope.choices)
    agency = models.ForeignKey("orgs.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name="cơ quan")
    prefix = models.CharField("tiền tố", max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("tạo lúc", default=clock.now)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "đường dẫn lịch"
        verbose_name_plural = "đường dẫn lịch"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_scope_display()} {self.prefix}… ({self.user})"

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)  # 32 random bytes, 43 characters


class Lease(models.Model):
    """A named lease the scheduler takes before a periodic sweep, so several workers do not all run it."""

    name = models.CharField(max_length=64, primary_key=True)
    until = models.DateTimeField()
    holder = models.CharField(max_length=64, blank=True)


# --- Webhooks (notify/webhooks.py) -------------------------------------------------------------------------

# The events a webhook may subscribe to, as the receiver reads them in `X-Dondoc-Event` and the body's "event".
WEBHOOK_KINDS = {
    "update.posted": "Báo cáo tiến độ mới",
    "claim.posted": "Báo cáo hoàn thành",
    "claim.confirmed": "Xác nhận hoàn thành",
    "claim.returned": "Trả lại báo cáo hoàn thành",
    "extension.decided": "Quyết định về đề nghị gia hạn",
    "task.overdue": "Nhiệm vụ quá hạn",
    "report.submitted": "Gửi báo cáo định kỳ",
    "report.accepted": "Tiếp nhận báo cáo định kỳ",
}
HTTPS_REQUIRED = "Địa chỉ webhook phải dùng https."
OWN_MACHINE = ("Địa chỉ webhook trỏ vào chính máy chủ hoặc địa chỉ nội bộ của máy ({address}): không gửi. "
               "Hãy dùng địa chỉ của hệ thống nhận.")


def forbidden_address(address: str) -> bool:
    """Outside demo mode, an address a webhook may not reach: this machine (loopback), link-local (where a cloud's
    metadata service answers), unspecified, multicast or reserved — what a subscription could use to make the server
    call itself. Private networks (10/8, 172.16/12, 192.168/16) stay allowed: a province's operations centre and
    e-office usually live on one. Checked on the address in the URL when saved and on the address actually connected
    to at each delivery (webhooks.post), so a name that resolves elsewhere later is caught too."""
    import ipaddress

    if not settings.PRODUCTION:
        return False  # make run: a receiver on the laptop
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return address.lower().rstrip(".") == "localhost" or address.lower().endswith(".localhost")
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast or ip.is_reserved


def check_webhook_url(url: str) -> None:
    """The one rule for a webhook's address, at saving and again before each delivery: an absolute http(s) URL with a
    host; https, except in demo mode (not DONDOC_PRODUCTION), where a receiver on the laptop may use http; not this
    machine (forbidden_address)."""
    from urllib.parse import urlsplit

    from django.core.exceptions import ValidationError

    try:
        parts = urlsplit((url or "").strip())
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        raise ValidationError("Địa chỉ webhook không hợp lệ.", code="invalid")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Địa chỉ webhook phải là một địa chỉ https://… đầy đủ.", code="invalid")
    if parts.username or parts.password:
        raise ValidationError("Địa chỉ webhook không được chứa tên đăng nhập hay mật khẩu.", code="invalid")
    if parts.scheme != "https" and settings.PRODUCTION:
        raise ValidationError(HTTPS_REQUIRED, code="https")
    if forbidden_address(parts.hostname):
        raise ValidationError(OWN_MACHINE.format(address=parts.hostname), code="address")


def webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """An address the worker POSTs the chosen events to, each signed with the subscription's own secret.

    Made by an administrator (the owner). An event goes out only when the owner — and `as_user`, when set — may read
    the object it is about (tracking/access.py, reports/access.py), checked when it is queued and again when sent: a
    subscription for one agency's system names one of that agency's accounts as `as_user`."""

    name = models.CharField("tên", max_length=100)
    url = models.CharField("địa chỉ nhận (URL)", max_length=500, validators=[check_webhook_url],
                           help_text="https://… (http chỉ được dùng ở chế độ thử nghiệm).")
    kinds = models.JSONField("sự kiện", default=list)
    secret = models.CharField("khóa bí mật", max_length=64, default=webhook_secret, editable=False)
    active = models.BooleanField("đang dùng", default=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="người tạo")
    as_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name="chỉ gửi những gì tài khoản này được xem",
                                help_text="Để trống: những gì người tạo được xem.")
    created_at = models.DateTimeField("tạo lúc", default=clock.now)

    class Meta:
        verbose_name = "đăng ký webhook"
        verbose_name_plural = "đăng ký webhook"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def readers(self) -> list:
        return [self.owner] + ([self.as_user] if self.as_user_id else [])


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Đang chờ gửi"
    SENDING = "sending", "Đang gửi"
    DELIVERED = "delivered", "Đã gửi"
    FAILED = "failed", "Gửi lỗi (đã dừng thử lại)"
    CANCELLED = "cancelled", "Không gửi"


class WebhookDelivery(models.Model):
    """One event for one subscription: queued in the action's transaction, sent by the worker, retried with back-off.
    `key` names the event ("event:<audit event id>", "overdue:<assignment>:<due date>"), unique per subscription, so
    an event is queued once whatever runs twice."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name="đăng ký")
    kind = models.CharField("sự kiện", max_length=32, choices=list(WEBHOOK_KINDS.items()))
    key = models.CharField("mã sự kiện", max_length=64)
    # What the event is about ("plans.assignment", "reports.agencyreport"): who may read it is checked again on sending.
    object_type = models.CharField("loại đối tượng", max_length=64)
    object_id = models.BigIntegerField("mã đối tượng")
    payload = models.JSONField("nội dung", default=dict)
    state = models.CharField("trạng thái", max_length=16, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    next_attempt_at = models.DateTimeField("gửi từ lúc", default=clock.now)
    lease_until = models.DateTimeField("đang gửi đến lúc", null=True, blank=True)
    claim = models.CharField("mã lượt gửi", max_length=32, blank=True)
    last_status = models.PositiveSmallIntegerField("mã trả lời gần nhất", null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    last_duration_ms = models.PositiveIntegerField("thời gian trả lời (ms)", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", default=clock.now)
    delivered_at = models.DateTimeField("gửi được lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lần gửi webhook"
        verbose_name_plural = "nhật ký gửi webhook"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "key"], name="one_delivery_per_event")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.subscription}"


class WebhookAttempt(models.Model):
    """One POST of a delivery and how the receiver answered (or did not)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log",
                                 verbose_name="lần gửi")
    number = models.PositiveSmallIntegerField("lần thử")
    at = models.DateTimeField("lúc", default=clock.now)
    status = models.PositiveSmallIntegerField("mã trả lời", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    duration_ms = models.PositiveIntegerField("thời gian (ms)", default=0)

    class Meta:
        verbose_name = "lượt thử gửi webhook"
        verbose_name_plural = "các lượt thử gửi"
        ordering = ["delivery", "number", "id"]

    def __str__(self):
        return f"Lần thử {self.number}"
