"""Targets (chỉ tiêu) of a plan's tasks and the actual values the lead agency reports per period.

Colours are derived (rules.py) from these records and the dates, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dondoc.core import clock

from . import rules


class Op(models.TextChoices):
    GT = ">", "trên (>)"
    GE = ">=", "ít nhất (≥)"
    EQ = "=", "đạt (=)"
    LE = "<=", "không quá (≤)"
    LT = "<", "dưới (<)"


class Source(models.TextChoices):
    PARSER = "parser", "Từ văn bản kế hoạch"
    MANUAL = "manual", "Thêm thủ công"


class Target(models.Model):
    """One measurable target of a task: "giải ngân trên 95% kế hoạch vốn" is (>, 95, %)."""

    task = models.ForeignKey("plans.Task", verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="target_items")
    text = models.TextField("chỉ tiêu (như văn bản ghi)")
    op = models.CharField("phép so sánh", max_length=2, choices=Op.choices)
    value = models.DecimalField("giá trị chỉ tiêu", max_digits=20, decimal_places=4)
    unit = models.CharField("đơn vị tính", max_length=50, help_text="%, rank (thứ hạng), count (số lượng) hoặc đơn vị như km.")
    baseline = models.DecimalField("giá trị xuất phát", max_digits=20, decimal_places=4, null=True, blank=True,
                                   help_text="Giá trị khi bắt đầu kế hoạch; cần để đánh giá tiến độ chỉ tiêu càng thấp càng tốt.")
    source = models.CharField("nguồn", max_length=8, choices=Source.choices, default=Source.MANUAL)
    # Place in Task.targets of a target the parser found: what makes sync_targets idempotent.
    source_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["task__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "source_index"], condition=Q(source="parser"),
                                    name="one_target_per_parsed_item"),
            models.CheckConstraint(condition=Q(op__in=rules.OPS), name="target_op_valid"),
        ]

    def __str__(self):
        return f"{self.task.ref}: {self.text[:80]}" if self.task_id else self.text[:80]

    @property
    def lower_is_better(self) -> bool:
        """The direction, derived from the operator and the unit (ranks: lower is better)."""
        return rules.lower_is_better(self.op, self.unit)

    @property
    def label(self) -> str:
        return rules.describe(self.op, self.value, self.unit)

    @property
    def unit_label(self) -> str:
        return rules.unit_label(self.unit)


class TargetActual(models.Model):
    """An actual value for one reporting period. Never deleted or changed: a correction is a new row for the same
    period that supersedes the previous one; in a period the latest entry counts, and the history stays."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="actuals")
    period = models.CharField("kỳ báo cáo", max_length=16, help_text="Mã kỳ: 2024-Q3, 2024-H1, 2024-9M, 2024, 2024-M03.")
    period_end = models.DateField("ngày chốt số liệu của kỳ", editable=False)
    value = models.DecimalField("giá trị thực hiện", max_digits=20, decimal_places=4)
    unit = models.CharField("đơn vị tính (như đã nhập)", max_length=50)
    note = models.TextField("ghi chú", blank=True)
    agency = models.ForeignKey("orgs.Agency", verbose_name="cơ quan báo cáo", on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nhập", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("thời điểm nhập", default=clock.now)
    supersedes = models.ForeignKey("self", verbose_name="đính chính cho", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="corrections")

    class Meta:
        verbose_name = "số liệu thực hiện chỉ tiêu"
        verbose_name_plural = "số liệu thực hiện chỉ tiêu"
        ordering = ["-period_end", "-entered_at", "-id"]
        indexes = [models.Index(fields=["target", "period_end", "entered_at"], name="actual_latest")]

    def __str__(self):
        return f"{self.period}: {rules.format_number(self.value)} {self.unit}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Số liệu thực hiện chỉ tiêu không được xóa; nhập số liệu mới để đính chính.")
