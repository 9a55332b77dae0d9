"""Sample progress on Plan 78 for the demo (dữ liệu minh họa): updates, claims confirmed and returned, an extension,
a direction. Made through the real actions, each on its own day under the demo clock, so statuses, history and
notifications read as they would have."""

from __future__ import annotations

import datetime as dt

from django.test.utils import override_settings

from dondoc.accounts.models import User
from dondoc.plans.models import Assignment

LABEL = "[Dữ liệu minh họa] "
START = dt.date(2024, 5, 6)


def _on(day: dt.date):
    return override_settings(DEMO_TODAY=day)


def _user(code: str, suffix: str) -> User | None:
    return User.objects.filter(username=f"{code}.{suffix}").first()


def seed_progress(plan, last_day: dt.date) -> int:
    from dondoc.tracking import actions

    coordinator = User.objects.get(username="tonghop")
    leader = User.objects.filter(username="lanhdao").first()
    leads = list(Assignment.objects.filter(task__plan=plan, role="lead", provisional=False)
                 .select_related("task", "agency").order_by("task__order", "agency__sort_key"))
    done = 0
    for i, a in enumerate(leads[::9][:45]):  # a spread of tasks and agencies, not only the first section
        focal, head = _user(a.agency.code, "canbo"), _user(a.agency.code, "truong")
        if focal is None or head is None:
            continue
        day = min(START + dt.timedelta(days=3 * i), last_day - dt.timedelta(days=6))
        kind = i % 5
        with _on(day):
            actions.do_post_update(a, focal, text=LABEL + "Đã xây dựng kế hoạch triển khai, phân công cán bộ phụ trách.",
                                   percent=100 if kind in (0, 2, 3) else 40,
                                   difficulties="" if kind else "Nguồn lực còn hạn chế.",
                                   proposals="" if kind != 1 else "Đề nghị bổ sung kinh phí thực hiện.")
            if kind in (0, 2, 3):
                actions.do_claim(a, head, completed_on=day, output=LABEL + f"Văn bản số {100 + i}/KH-{a.agency.code.upper()}")
        if kind == 0:
            with _on(day + dt.timedelta(days=2)):
                actions.do_confirm(a.claims.get(), coordinator)
        elif kind == 2:
            with _on(day + dt.timedelta(days=3)):
                actions.do_return(a.claims.get(), coordinator, reason=LABEL + "Chưa gửi kèm văn bản chứng minh kết quả.")
        done += 1
    # Plan 78's own dates all fall after mid-October: the coordinator brought a few forward (an audited amendment),
    # which is what makes some tasks overdue on the demo day.
    idle = [a for i, a in enumerate(leads[::9][:45]) if i % 5 == 4][:4]
    with _on(dt.date(2024, 6, 14)):
        for a in idle:
            actions.do_amend_task(a.task, coordinator, version=a.task.version, deadline_date=dt.date(2024, 9, 30),
                                  deadline_text="trước ngày 30/9/2024")
    if idle:
        a = idle[0]
        head = _user(a.agency.code, "truong")
        if head is not None:
            with _on(dt.date(2024, 9, 25)):
                ext = actions.do_request_extension(a, head, new_deadline=dt.date(2024, 11, 29),
                                                   reason=LABEL + "Chờ hướng dẫn của Bộ, ngành Trung ương.")
            with _on(dt.date(2024, 9, 27)):
                actions.do_decide_extension(ext, coordinator, approve=True, note=LABEL + "Đồng ý gia hạn.")
    if leader is not None and len(idle) > 1:
        with _on(last_day - dt.timedelta(days=4)):
            actions.do_give_direction(idle[1].task, leader, agency=idle[1].agency,
                                      text=LABEL + "Đề nghị khẩn trương hoàn thành, báo cáo kết quả trước ngày 31/10/2024.")
    partner = Assignment.objects.filter(task__plan=plan, role="coordinating").select_related("agency").first()
    if partner is not None and _user(partner.agency.code, "canbo"):
        with _on(last_day - dt.timedelta(days=10)):
            actions.do_post_update(partner, _user(partner.agency.code, "canbo"),
                                   text=LABEL + "Đã phối hợp cung cấp số liệu cho cơ quan chủ trì.")
    return done
