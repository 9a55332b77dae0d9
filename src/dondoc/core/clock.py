"""The application's notion of today, in Asia/Ho_Chi_Minh calendar days.

`DONDOC_TODAY=YYYY-MM-DD` (demo and tests only; production refuses it) makes the application take that day as
today, so Plan 78 can be shown mid-way, as its users lived it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    fixed = getattr(settings, "DEMO_TODAY", None)
    return fixed or timezone.localdate()
