"""Sample agency reports on Plan 78 for the demo (dữ liệu minh họa), made through the real actions under the demo
clock: one report went the whole way (accepted by the coordinator four days before the demo day), another waits for
the coordinator — sent the day before the demo day, so it is flagged late when that is after the plan's report date
(`DONDOC_TODAY=2024-12-12`: sent 11/12, due 10/12) —, and a third, sent the day before, waits for its head."""

from __future__ import annotations

import datetime as dt

from django.test.utils import override_settings

from dondoc.accounts.models import User
from dondoc.tracking.models import Update

from . import actions, deadlines

LABEL = "[Dữ liệu minh họa] "


def _on(day: dt.date):
    return override_settings(DEMO_TODAY=day)


def seed_reports(plan, today: dt.date) -> int:
    """Reports of the two agencies with the most progress updates on the plan; returns how many were made."""
    period = deadlines.default_period(plan, today)
    coordinator = User.objects.filter(username="tonghop").first()
    counts: dict[str, int] = {}
    for code in (Update.objects.filter(assignment__task__plan=plan, withdrawn_at__isnull=True)
                 .values_list("assignment__agency__code", flat=True)):
        counts[code] = counts.get(code, 0) + 1
    made = 0
    for rank, code in enumerate(sorted(counts, key=lambda c: (-counts[c], c))[:2]):
        focal = User.objects.filter(username=f"{code}.canbo").first()
        head = User.objects.filter(username=f"{code}.truong").first()
        if focal is None or head is None or coordinator is None:
            continue
        start = today - dt.timedelta(days=4 if rank == 0 else 1)
        with _on(start):
            try:
                report = actions.do_create_report(plan, focal, period=period.id)
            except actions.ReportError:
                continue
            report = actions.do_edit_report(report, focal, version=report.version,
                                            summary=LABEL + "Đơn vị đã quán triệt, xây dựng kế hoạch triển khai và phân "
                                                            "công cán bộ theo dõi từng nhiệm vụ được giao.")
            report = actions.do_submit(report, focal)
        with _on(start + dt.timedelta(days=1)):
            report = actions.do_approve(report, head)
        if rank == 0:
            with _on(start + dt.timedelta(days=2)):
                actions.do_accept(report, coordinator)
        made += 1
    # A third waits for its head's approval: Sở Tài chính's, the agency the demo banner names (stc.truong sees it
    # on his home page), unless it is one of the two above.
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    third = "stc" if "stc" not in ranked[:2] else next(iter(ranked[2:]), None)
    focal = User.objects.filter(username=f"{third}.canbo").first() if third else None
    if focal is not None:
        with _on(today - dt.timedelta(days=1)):
            try:
                report = actions.do_create_report(plan, focal, period=period.id)
            except actions.ReportError:
                return made
            actions.do_submit(report, focal)
        made += 1
    return made
