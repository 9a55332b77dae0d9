"""The application's notion of today, in Asia/Ho_Chi_Minh calendar days.

`DONDOC_TODAY=YYYY-MM-DD` (demo and tests only; production refuses it) makes the application take that day as
today, so Plan 78 can be shown mid-way, as its users lived it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    """The current moment; under the demo clock, today's time of day on the demo date (so records made in a demo
    fall on the day the application shows)."""
    fixed = settings.DEMO_TODAY
    if fixed is None:
        return timezone.now()
    local = timezone.localtime()
    return dt.datetime.combine(fixed, local.timetz())


def today() -> dt.date:
    fixed = settings.DEMO_TODAY
    return fixed or timezone.localdate()


def start_of(day: dt.date) -> dt.datetime:
    """The first moment of a local calendar day: where an assignment handed over or amended on it ends."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)


def day_option(value: str | None) -> dt.date:
    """A command's `--date YYYY-MM-DD` (None: today); a malformed one stops the command with the reason."""
    from django.core.management.base import CommandError

    if not value:
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày “{value}” không hợp lệ: dùng dạng YYYY-MM-DD.") from None
