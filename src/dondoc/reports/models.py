"""Holidays (for report deadlines) and agency periodic reports (báo cáo định kỳ) with their per-task items.

A report's lateness is derived from two stored facts, never typed: its deadline (fixed when the report is
created, from the plan's own dates or the generic regime, deadlines.py) and the local day it was first
submitted. The workflow lives in actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from dondoc.core import clock
from dondoc.core.limits import length_checks


class Holiday(models.Model):
    """A day off (ngày nghỉ lễ, Tết, nghỉ bù) that a report deadline skips; the administrator keeps the list."""

    date = models.DateField("ngày", unique=True)
    name = models.CharField("tên ngày nghỉ", max_length=200)

    class Meta:
        verbose_name = "ngày nghỉ lễ"
        verbose_name_plural = "ngày nghỉ lễ"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.name}"


class ReportState(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Chờ thủ trưởng duyệt"
    APPROVED = "approved", "Đã gửi cơ quan tổng hợp"
    ACCEPTED = "accepted", "Đã tiếp nhận"
    RETURNED = "returned", "Bị trả lại"


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class AgencyReport(models.Model):
    """One agency's report on one plan for one period (kỳ báo cáo, periods.py id: "2024", "2024-Q4")."""

    plan = models.ForeignKey("plans.Plan", verbose_name="kế hoạch", on_delete=models.PROTECT, related_name="agency_reports")
    agency = models.ForeignKey("orgs.Agency", verbose_name="cơ quan, đơn vị", on_delete=models.PROTECT, related_name="reports")
    period = models.CharField("kỳ báo cáo", max_length=16)
    state = models.CharField("trạng thái", max_length=16, choices=ReportState.choices, default=ReportState.DRAFT,
                             db_index=True)
    deadline = models.DateField("hạn gửi báo cáo")
    summary = models.TextField("đánh giá chung", blank=True)
    difficulties = models.TextField("khó khăn, vướng mắc chung", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị chung", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    # The first submission decides lateness: a report returned for corrections is not late for being corrected.
    submitted_on = models.DateField("ngày gửi lần đầu", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    accepted_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    returned_at = models.DateTimeField("trả lại lúc", null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    return_reason = models.TextField("lý do trả lại", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "báo cáo định kỳ"
        verbose_name_plural = "báo cáo định kỳ"
        ordering = ["plan", "period", "agency__sort_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "agency", "period"], name="one_report_per_period"),
                       *length_checks("agencyreport", "summary", "difficulties", "proposals", "return_reason")]
        indexes = [models.Index(fields=["deadline"], name="report_deadline",
                                condition=Q(submitted_on__isnull=False))]

    def __str__(self):
        return f"Báo cáo {self.period} của {self.agency} về {self.plan}" if self.agency_id and self.plan_id else "Báo cáo"

    @property
    def label(self) -> str:
        """"báo cáo Quý IV/2024 về Kế hoạch số 78/KH-UBND", for a sentence."""
        from .periods import parse_period

        return f"báo cáo {parse_period(self.period).label} về {self.plan}"

    @property
    def late(self) -> bool:
        """Submitted after the deadline (the deadline day itself is on time)."""
        return self.submitted_on is not None and self.submitted_on > self.deadline

    def overdue_on(self, day) -> bool:
        """Not yet submitted and past the deadline on `day`."""
        return self.submitted_on is None and day > self.deadline

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @classmethod
    def late_q(cls) -> Q:
        return Q(submitted_on__isnull=False, submitted_on__gt=F("deadline"))


class AgencyReportItem(models.Model):
    """One task of the report: what the agency did in the period, pre-filled from its progress updates."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="items")
    assignment = models.ForeignKey("plans.Assignment", on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey("plans.Task", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)
    role = models.CharField("vai trò", max_length=16)
    results = models.TextField("kết quả thực hiện", blank=True)
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    percent = models.PositiveSmallIntegerField("tỷ lệ hoàn thành (%)", null=True, blank=True)
    # Snapshot on the report's day (status.py values): refreshed at each submission, kept once accepted.
    status = models.CharField("tình hình thực hiện", max_length=24, blank=True)
    from_updates = models.BooleanField("lấy từ báo cáo tiến độ", default=False)

    class Meta:
        verbose_name = "nội dung báo cáo"
        verbose_name_plural = "nội dung báo cáo"
        ordering = ["report", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "assignment"], name="one_item_per_assignment"),
                       *length_checks("agencyreportitem", "results", "difficulties", "proposals")]

    def __str__(self):
        return f"{self.task.ref}" if self.task_id else "Nội dung"
