"""Target actions: targets from a published plan, targets added by hand, baselines, actual values per period.

Each checks who may act (access.py), changes the database in one transaction and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dondoc.audit import record
from dondoc.core import clock
from dondoc.core.errors import ActionError
from dondoc.plans.models import Assignment, Plan, PlanStatus, Task
from dondoc.reports import periods

from . import access, rules
from .models import Source, Target, TargetActual

NOTE_MAX = 2000
TEXT_MAX = 2000


class TargetError(ActionError):
    """Refused input, with a message for the user in Vietnamese (HTTP 400)."""


def plan_start(plan: Plan) -> dt.date:
    """Where a plan's targets start being measured: its date of issue, else the day it was published."""
    if plan.issued_on:
        return plan.issued_on
    if plan.published_at:
        return timezone.localtime(plan.published_at).date()
    return clock.today()


# --- From the plan ----------------------------------------------------------------------------------------

@dataclass
class SyncResult:
    created: int = 0
    kept: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (task ref, text) of unmeasurable targets


@transaction.atomic
def sync_targets(plan: Plan, *, user=None, request=None) -> SyncResult:
    """Create a Target for every measurable target the parser (or the reviewer) left in Task.targets.

    Idempotent: a target already created for the same task and place in Task.targets is kept as it is (with its
    actuals and baseline). Drafts are left alone: their targets are still being reviewed. Call it after
    publishing, inside the same transaction.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    result = SyncResult()
    if plan.status == PlanStatus.DRAFT:
        return result
    existing = set(Target.objects.filter(task__plan=plan, source=Source.PARSER).values_list("task_id", "source_index"))
    new: list[Target] = []
    now = clock.now()
    for task in Task.objects.filter(plan=plan).order_by("order").only("id", "ref", "targets"):
        for index, item in enumerate(task.targets or []):
            if (task.pk, index) in existing:
                result.kept += 1
                continue
            cleaned = rules.clean_parsed_target(item)
            if cleaned is None:
                text = str(item.get("text") if isinstance(item, dict) else item)[:200]
                result.skipped.append((task.ref, text))
                continue
            new.append(Target(task=task, text=cleaned["text"][:TEXT_MAX], op=cleaned["op"], value=cleaned["value"],
                              unit=cleaned["unit"], source=Source.PARSER, source_index=index, order=index,
                              created_by=user if getattr(user, "pk", None) else None, created_at=now))
    if new:
        Target.objects.bulk_create(new, ignore_conflicts=True)
        result.created = len(new)
        record("targets.synced", actor=user, obj=plan, request=request,
               changes={"created": result.created, "skipped": [f"{ref}: {text}" for ref, text in result.skipped]})
    return result


# --- By hand (coordinator) --------------------------------------------------------------------------------

def _baseline(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = rules.parse_number(value)
    except rules.TargetInputError as exc:
        raise TargetError(f"Giá trị xuất phát: {exc}")
    if number < 0:
        raise TargetError("Giá trị xuất phát không được âm.")
    return number


@transaction.atomic
def do_add_target(task: Task, user, *, op: str, value, unit: str, text: str = "", baseline=None,
                  request=None) -> Target:
    """The coordinator adds a target the parser missed (or a plan stated elsewhere) to a published task."""
    access.require_coordinator(user)
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if task.plan.status == PlanStatus.DRAFT:
        raise TargetError("Kế hoạch chưa ban hành: chỉ tiêu của bản nháp sửa trong màn hình rà soát nhiệm vụ.")
    if task.cancelled_at:
        raise TargetError("Nhiệm vụ đã hủy: không thêm chỉ tiêu.")
    try:
        op, number, unit = rules.check_target(op, value, unit)
    except rules.TargetInputError as exc:
        raise TargetError(str(exc))
    base = _baseline(baseline)
    text = " ".join((text or "").split())[:TEXT_MAX] or rules.describe(op, number, unit)
    order = (Target.objects.filter(task=task).aggregate(m=Max("order"))["m"] or 0) + 1
    target = Target.objects.create(task=task, text=text, op=op, value=number, unit=unit, baseline=base,
                                   source=Source.MANUAL, order=order, created_by=user)
    record("target.added", actor=user, obj=target, request=request,
           changes={"task": task.ref, "text": text, "op": op, "value": str(number), "unit": unit,
                    "baseline": str(base) if base is not None else None})
    return target


@transaction.atomic
def do_set_baseline(target: Target, user, *, baseline, request=None) -> Target:
    """The value the target starts from (needed to pace a "lower is better" target); empty clears it."""
    access.require_coordinator(user)
    target = Target.objects.select_for_update().get(pk=target.pk)
    base = _baseline(baseline)
    if base != target.baseline:
        old = target.baseline
        target.baseline = base
        target.save(update_fields=["baseline"])
        record("target.baseline_set", actor=user, obj=target, request=request,
               changes={"baseline": [str(old) if old is not None else None, str(base) if base is not None else None]})
    return target


# --- Actual values (lead agency) --------------------------------------------------------------------------

def read_period(period_id) -> periods.Period:
    text = (period_id or "").strip() if isinstance(period_id, str) else ""
    if not text:
        raise TargetError("Hãy chọn kỳ báo cáo.")
    try:
        return periods.parse_period(text)
    except ValueError as exc:
        raise TargetError(str(exc))


def read_actual(target: Target, value, unit: str | None) -> tuple:
    """The value and unit an agency typed, checked against the target: (Decimal, unit as entered)."""
    value, unit_in_value = rules.split_percent(value)
    unit = (unit or "").strip() if isinstance(unit, str) else ""
    if unit_in_value:
        if unit and rules.normalize_unit(unit) != rules.PERCENT:
            raise TargetError(f"Sai đơn vị tính: giá trị ghi “%” nhưng đơn vị tính là “{unit[:40]}”.")
        unit = unit or "%"
    try:
        number = rules.parse_number(value)
        rules.check_unit(target.unit, unit)
        rules.check_value(target.unit, target.value, number)
    except rules.TargetInputError as exc:
        raise TargetError(str(exc))
    return number, unit[:50]


@transaction.atomic
def do_enter_actual(target: Target, user, *, period, value, unit, note: str = "", request=None) -> TargetActual:
    """The lead agency reports the actual value of a target for a period (kỳ báo cáo).

    A period that has not begun is refused; one that has begun but not ended is accepted (an estimate, "ước
    thực hiện", is corrected later by a new entry for the same period, which supersedes it).
    """
    access.require_lead_member(user, target)
    target = Target.objects.select_for_update().select_related("task", "task__plan").get(pk=target.pk)
    task = target.task
    if task.cancelled_at:
        raise TargetError("Nhiệm vụ đã hủy: không nhận số liệu mới.")
    if task.plan.status == PlanStatus.SUPERSEDED:
        raise TargetError("Kế hoạch đã được thay thế bằng bản sửa đổi: nhập số liệu ở kế hoạch mới.")
    p = read_period(period)
    today = clock.today()
    if p.start > today:
        raise TargetError(f"Kỳ báo cáo {p.label} chưa bắt đầu (từ ngày {p.start:%d/%m/%Y}): chưa nhập được số liệu.")
    start = plan_start(task.plan)
    if p.end < start:
        raise TargetError(f"Kỳ báo cáo {p.label} kết thúc trước khi kế hoạch bắt đầu ({start:%d/%m/%Y}).")
    number, unit = read_actual(target, value, unit)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise TargetError(f"Ghi chú dài quá {NOTE_MAX} ký tự.")
    agency_id = (Assignment.objects.filter(task=task, agency_id=user.agency_id, role="lead", ended_at__isnull=True)
                 .values_list("agency_id", flat=True).first())
    previous = TargetActual.objects.filter(target=target, period=p.id).order_by("-entered_at", "-id").first()
    actual = TargetActual.objects.create(target=target, period=p.id, period_end=p.end, value=number, unit=unit, note=note,
                                         agency_id=agency_id, entered_by=user, entered_at=clock.now(), supersedes=previous)
    record("target.actual_entered", actor=user, obj=target, request=request,
           changes={"actual": actual.pk, "period": p.id, "value": str(number), "unit": unit, "note": note,
                    "supersedes": previous.pk if previous else None})
    return actual
