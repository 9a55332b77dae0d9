"""The reminder schedule: defaults, validation (Vietnamese messages), reading and changing it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.db import transaction

from dondoc.accounts.roles import Role
from dondoc.audit import record
from dondoc.core import clock
from dondoc.core.errors import ActionError, Forbidden
from dondoc.core.params import MAX_ID, parse_int

from .models import ReminderSchedule

MAX_BEFORE = 90  # days before a deadline
MAX_OFFSETS = 10
MAX_REPEAT = 30  # overdue repeat interval, days
EDITORS = (Role.ADMIN, Role.COORDINATOR)


class ScheduleError(ActionError):
    """Refused schedule, with a message in Vietnamese (HTTP 400)."""


@dataclass(frozen=True)
class Schedule:
    before_days: tuple[int, ...] = (7, 1)
    on_the_day: bool = True
    overdue_every: int = 3
    report_before_days: tuple[int, ...] = (7, 1)

    def as_dict(self) -> dict:
        d = asdict(self)
        return {**d, "before_days": list(self.before_days), "report_before_days": list(self.report_before_days)}


DEFAULT = Schedule()
FIELDS = ("before_days", "on_the_day", "overdue_every", "report_before_days")
_LABELS = {"before_days": "Số ngày nhắc trước hạn", "report_before_days": "Số ngày nhắc trước hạn báo cáo định kỳ"}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _offsets(name: str, value) -> tuple[int, ...]:
    label = _LABELS[name]
    if not isinstance(value, (list, tuple)):
        raise ScheduleError(f"{label} phải là một danh sách số nguyên, ví dụ 7, 1.")
    if len(value) > MAX_OFFSETS:
        raise ScheduleError(f"{label}: tối đa {MAX_OFFSETS} mốc nhắc (nhận được {len(value)}).")
    out = set()
    for item in value:
        if not _is_int(item):
            raise ScheduleError(f"{label}: “{item}” không phải số nguyên.")
        if not 1 <= item <= MAX_BEFORE:
            raise ScheduleError(f"{label} phải từ 1 đến {MAX_BEFORE} ngày (nhận được {item}); "
                                "nhắc đúng ngày đến hạn là một lựa chọn riêng.")
        out.add(item)
    return tuple(sorted(out, reverse=True))


def validate(data: dict, base: Schedule = DEFAULT) -> Schedule:
    """A Schedule from `data` (missing keys keep `base`'s values), or ScheduleError. Integers only: 7.0, "7"
    and True are refused, so a typing slip never becomes a schedule."""
    if not isinstance(data, dict):
        raise ScheduleError("Lịch nhắc việc không hợp lệ.")
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ScheduleError(f"Trường không được hỗ trợ: {', '.join(sorted(unknown))}.")
    values = asdict(base)
    if "before_days" in data:
        values["before_days"] = _offsets("before_days", data["before_days"])
    if "report_before_days" in data:
        values["report_before_days"] = _offsets("report_before_days", data["report_before_days"])
    if "on_the_day" in data:
        if not isinstance(data["on_the_day"], bool):
            raise ScheduleError("“Nhắc đúng ngày đến hạn” phải là có hoặc không.")
        values["on_the_day"] = data["on_the_day"]
    if "overdue_every" in data:
        every = data["overdue_every"]
        if not _is_int(every):
            raise ScheduleError(f"Chu kỳ nhắc lại khi quá hạn: “{every}” không phải số nguyên.")
        if not 1 <= every <= MAX_REPEAT:
            raise ScheduleError(f"Chu kỳ nhắc lại khi quá hạn phải từ 1 đến {MAX_REPEAT} ngày (nhận được {every}).")
        values["overdue_every"] = every
    return Schedule(**values)


def parse_offsets(text: str, name: str) -> list[int]:
    """“7, 1” (a form field) as integers; anything else is refused with the offending piece named."""
    out = []
    for piece in re.split(r"[,;\s]+", (text or "").strip()):
        if not piece:
            continue
        number = parse_int(piece.lstrip("+"), minimum=-MAX_ID)
        if number is None:
            raise ScheduleError(f"{_LABELS[name]}: “{piece}” không phải số nguyên.")
        out.append(number)
    return out


def current() -> Schedule:
    row = ReminderSchedule.objects.filter(pk=1).first()
    if row is None:
        return DEFAULT
    try:
        return validate({"before_days": row.before_days, "on_the_day": row.on_the_day,
                         "overdue_every": row.overdue_every, "report_before_days": row.report_before_days})
    except ScheduleError:  # edited by hand in the database: fall back rather than stop reminding
        return DEFAULT


def can_edit(user) -> bool:
    return getattr(user, "role", None) in EDITORS


@transaction.atomic
def do_set_schedule(user, data: dict, request=None) -> Schedule:
    if not can_edit(user):
        raise Forbidden("Chỉ cơ quan theo dõi, tổng hợp hoặc quản trị hệ thống được sửa lịch nhắc việc.")
    before = current()
    new = validate(data, before)
    row, _ = ReminderSchedule.objects.select_for_update().get_or_create(pk=1)
    row.before_days, row.on_the_day = list(new.before_days), new.on_the_day
    row.overdue_every, row.report_before_days = new.overdue_every, list(new.report_before_days)
    row.updated_at, row.updated_by = clock.now(), user
    row.save()
    record("reminders.schedule_changed", actor=user, obj=row, request=request,
           changes={"before": before.as_dict(), "after": new.as_dict()})
    return new
