"""Sample actual values on Plan 78's targets for the demo (dữ liệu minh họa), entered through the real actions by
the lead agencies' demo accounts, so the targets page shows every colour on the demo day (15/10/2024)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test.utils import override_settings

from dondoc.accounts.models import User
from dondoc.plans.models import Assignment

from . import actions
from .models import Target

LABEL = "[Dữ liệu minh họa] "

# (unit, target value) -> (baseline or None, period, value typed as an agency would, note)
SCENARIOS = {
    ("rank", Decimal(35)): (Decimal(45), "2024-Q3", "38", "Xếp hạng DTI tạm tính của quý."),
    ("%", Decimal(95)): (None, "2024-Q3", "55,3", "Tỷ lệ giải ngân đến hết ngày chốt số liệu quý III."),
    ("%", Decimal(3)): (None, "2024-Q3", "1,2", "Tỷ lệ hộ nghèo giảm so với đầu năm (ước tính)."),
    ("count", Decimal(2)): (None, "2024-Q3", "2", "Đã hoàn thành 02 chỉ tiêu còn thiếu của năm 2023."),
}


def seed_targets(plan, last_day: dt.date) -> int:
    """Make the plan's targets (idempotent), then enter the sample actuals not yet entered. Returns how many."""
    actions.sync_targets(plan)
    coordinator = User.objects.filter(username="tonghop").first()
    done = 0
    for target in Target.objects.filter(task__plan=plan).select_related("task"):
        scenario = SCENARIOS.get((target.unit, target.value.normalize()))
        if scenario is None or target.actuals.exists():
            continue
        baseline, period, value, note = scenario
        lead = (Assignment.objects.filter(task=target.task, role="lead", ended_at__isnull=True, provisional=False)
                .select_related("agency").order_by("agency__sort_key").first())
        person = User.objects.filter(username=f"{lead.agency.code}.canbo").first() if lead else None
        if person is None:
            continue
        with override_settings(DEMO_TODAY=min(dt.date(2024, 9, 20), last_day)):
            if baseline is not None and coordinator is not None:
                actions.do_set_baseline(target, coordinator, baseline=baseline)
            unit = {"rank": "hạng", "count": "số lượng"}.get(target.unit, target.unit)
            actions.do_enter_actual(target, person, period=period, value=value, unit=unit, note=LABEL + note)
        done += 1
    return done
