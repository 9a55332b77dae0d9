"""What waits for a person in plans (the home page, web/views.home): drafts to review and publish."""

from __future__ import annotations

from django.urls import reverse

from dondoc.core.waiting import SHOWN, Row, Waiting

from .access import DRAFT_ROLES, visible_plans
from .models import PlanStatus


def waiting_for(user, day) -> list[Waiting]:
    if user.role not in DRAFT_ROLES:
        return []
    drafts = visible_plans(user).filter(status=PlanStatus.DRAFT).order_by("-created_at", "-pk")
    return [Waiting("drafts", "Bản nháp kế hoạch chờ rà soát, ban hành giao việc", drafts.count(),
                    reverse("plans:list"),
                    [Row(str(p), reverse("plans:review", args=[p.pk]), f"tải lên ngày {p.created_at:%d/%m/%Y}")
                     for p in drafts[:SHOWN]], css="secondary")]
