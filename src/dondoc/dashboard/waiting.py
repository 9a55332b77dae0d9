"""What waits for the oversight roles on the home page (web/views.home): the province's overdue tasks, as the
overview counts them (figures.province_summary)."""

from __future__ import annotations

from django.urls import reverse

from dondoc.accounts.roles import OVERSIGHT_ROLES
from dondoc.core.waiting import Row, Waiting

from . import figures


def waiting_for(user, day) -> list[Waiting]:
    if user.role not in OVERSIGHT_ROLES:
        return []
    province = figures.province_summary(day)
    rows = [Row(f"Kế hoạch số {p['plan']['number']}" if p["plan"]["number"] else "Kế hoạch",
                reverse("dashboard:plan", args=[p["plan"]["id"]]), f"{p['overdue']} nhiệm vụ quá hạn")
            for p in sorted(province["by_plan"], key=lambda p: -p["overdue"]) if p["overdue"]][:5]
    return [Waiting("overdue-tasks", "Nhiệm vụ quá hạn", province["overdue"], reverse("dashboard:overview"), rows,
                    css="danger")]
