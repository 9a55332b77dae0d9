"""What agencies report and what the coordinator and leaders decide. Statuses are derived from these records
(tracking/status.py), never stored."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from dondoc.core import clock
from dondoc.core.limits import length_checks


class Update(models.Model):
    """A progress report on one assignment (báo cáo tiến độ). Never deleted: a mistaken one is withdrawn."""

    assignment = models.ForeignKey("plans.Assignment", on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("thời điểm", default=clock.now, db_index=True)
    text = models.TextField("kết quả thực hiện")
    percent = models.PositiveSmallIntegerField("tỷ lệ hoàn thành (%)", null=True, blank=True)
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdraw_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["assignment", "created_at"])]
        constraints = length_checks("update", "text", "difficulties", "proposals")


class Evidence(models.Model):
    update = models.ForeignKey(Update, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    kind = models.CharField(max_length=16)  # pdf, docx, xlsx, doc, xls, png, jpeg


class DecisionState(models.TextChoices):
    PENDING = "pending", "Chờ xem xét"
    CONFIRMED = "confirmed", "Đã xác nhận"
    RETURNED = "returned", "Đã trả lại"
    APPROVED = "approved", "Đã đồng ý"
    REJECTED = "rejected", "Không đồng ý"


class Claim(models.Model):
    """The lead agency declares the assignment completed; the coordinator confirms or returns it."""

    assignment = models.ForeignKey("plans.Assignment", on_delete=models.PROTECT, related_name="claims")
    completed_on = models.DateField("ngày hoàn thành")
    output = models.CharField("sản phẩm (số văn bản ...)", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    state = models.CharField(max_length=16, choices=DecisionState.choices, default=DecisionState.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField("lý do trả lại", blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = length_checks("claim", "reason")


class Extension(models.Model):
    """A request for a later deadline; the original deadline stays on the task."""

    assignment = models.ForeignKey("plans.Assignment", on_delete=models.PROTECT, related_name="extensions")
    original_due = models.DateField("thời hạn trước khi gia hạn", null=True, blank=True)
    new_deadline = models.DateField("thời hạn đề nghị")
    reason = models.TextField("lý do")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    state = models.CharField(max_length=16, choices=DecisionState.choices, default=DecisionState.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = length_checks("extension", "reason", "decision_note")


class Direction(models.Model):
    """A leader's direction (ý kiến chỉ đạo) on a task, to every agency on it or to one."""

    task = models.ForeignKey("plans.Task", on_delete=models.PROTECT, related_name="directions")
    agency = models.ForeignKey("orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    text = models.TextField("ý kiến chỉ đạo")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = length_checks("direction", "text")


class DirectionAck(models.Model):
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="acks")
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["direction", "agency"], name="one_ack_per_agency")]


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]


class StatusSpan(models.Model):
    """Derived cache, never edited: a run of days over which one assignment's status facts stay the same
    (status.spans). Rebuilt from the records by tracking/spans.py whenever they change, checked by
    `dondoc status_spans --check`. Lists and figures count in SQL from it; the status on a day is
    `state`, except that an open span is overdue after `due`."""

    assignment = models.ForeignKey("plans.Assignment", on_delete=models.CASCADE, related_name="spans")
    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="+", db_index=False)
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+", db_index=False)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.CASCADE, related_name="+", db_index=False)
    role = models.CharField(max_length=16)
    order = models.PositiveIntegerField(default=0)  # the task's place in its plan: lists sort without a join
    start = models.DateField()
    end = models.DateField()
    state = models.CharField(max_length=24)
    due = models.DateField(null=True)
    completed_on = models.DateField(null=True)
    returned = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "end"], name="span_agency"),
            # An agency's current spans in the order its work list shows them, read from the index alone where
            # the database can (PostgreSQL; SQLite ignores INCLUDE): each group's first rows without a sort.
            models.Index(fields=["agency", "due", "order", "assignment"], name="span_current",
                         condition=models.Q(end=datetime.date(9999, 12, 31)),
                         include=["state", "returned", "start", "task", "plan", "id"]),
            models.Index(fields=["plan", "end", "role"], name="span_plan"),
            models.Index(fields=["task", "end"], name="span_task"),
            models.Index(fields=["role", "end", "due"], name="span_role_due"),
            # The lists across plans (api /assignments), by due date either way, on any day, whatever the filters:
            # an index-only walk in the order shown that stops at the page's last row (status_sql's conditions are
            # on state and due, both here).
            models.Index(fields=["due", "order", "assignment"], name="span_due",
                         include=["state", "start", "end", "plan", "agency", "role", "task"]),
        ]


class StatusVersion(models.Model):
    """One row counting changes to the spans, bumped in the same transaction: figures memoised under
    (version, day) can never outlive the data they were computed from."""

    n = models.BigIntegerField(default=0)


class HandOver(models.Model):
    """An ended agency's open work given to its successors from a day (the 2025 reorganisation, issue 18): what was
    moved with it (accounts, the plans it coordinated), kept so that the hand-over can be undone the same day.

    One prepared before its day is `scheduled` with the coordinator's choices; the worker applies it on the day (as
    the person who prepared it), or marks it `failed` with the reason when the organisation changed meanwhile."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Đã lên lịch"
        APPLIED = "applied", "Đã bàn giao"
        CANCELLED = "cancelled", "Đã hủy lịch"
        FAILED = "failed", "Không áp dụng được"

    agency = models.ForeignKey("orgs.Agency", verbose_name="cơ quan bàn giao", on_delete=models.PROTECT,
                               related_name="handovers")
    effective = models.DateField("có hiệu lực từ ngày")
    state = models.CharField(max_length=10, choices=State.choices, default=State.APPLIED)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=clock.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    # What a scheduled hand-over will do: {assignment id: [successor ids]}, the accounts' choice and their agency.
    choices = models.JSONField(default=dict)
    accounts_choice = models.CharField(max_length=10, default="move")
    accounts_to = models.ForeignKey("orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    error = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    # [[user id, agency id before, active before], ...] and [[plan id, coordinating agency id before], ...]
    accounts = models.JSONField(default=list)
    plans = models.JSONField(default=list)
    # The extensions the successors' new assignments inherited (the old one's approved deadline), removed by undo.
    inherited = models.JSONField(default=list)

    class Meta:
        verbose_name = "bàn giao công việc"
        verbose_name_plural = "bàn giao công việc"

    def __str__(self):
        return f"{self.agency} → từ {self.effective:%d/%m/%Y}"


class HandOverItem(models.Model):
    """One assignment handed over to one successor: `new` continues `old` from the hand-over day. When the successor
    already had the same part in the task, that assignment continues it and `created` is false (undo keeps it)."""

    handover = models.ForeignKey(HandOver, on_delete=models.CASCADE, related_name="items")
    old = models.ForeignKey("plans.Assignment", on_delete=models.PROTECT, related_name="+")
    successor = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    new = models.ForeignKey("plans.Assignment", null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.BooleanField(default=True)
