"""Who sees and who changes targets. The actions enforce it; views and the API use the same checks for 403/404.

- Oversight roles (admin, leader, coordinator, viewer) see every target of a published plan.
- An agency's people (head, focal) see the targets of the tasks their agency is assigned to (lead or partner);
  another agency's target answers 404, so its existence is not revealed.
- Only the lead agency's people (a live lead assignment on the task) enter actual values.
- The coordinator (and the admin) add targets by hand and set a target's baseline.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from dondoc.accounts.roles import AGENCY_ROLES, OVERSIGHT_ROLES, Role
from dondoc.plans.models import Assignment, PlanStatus
from dondoc.tracking.access import Forbidden

from .models import Target

SEE_ALL = OVERSIGHT_ROLES
COORDINATORS = (Role.ADMIN, Role.COORDINATOR)

__all__ = ["COORDINATORS", "Forbidden", "SEE_ALL", "is_lead_member", "require_lead_member", "target_or_404",
           "visible_targets"]


def visible_targets(user, queryset: QuerySet[Target] | None = None) -> QuerySet[Target]:
    qs = (queryset if queryset is not None else Target.objects.all()).exclude(task__plan__status=PlanStatus.DRAFT)
    if user.role in SEE_ALL:
        return qs
    if user.role in AGENCY_ROLES and user.agency_id is not None:
        own = Assignment.objects.filter(task_id=OuterRef("task_id"), agency_id=user.agency_id)
        return qs.filter(Exists(own))
    return qs.none()


def target_or_404(user, pk, queryset: QuerySet[Target] | None = None) -> Target:
    target = visible_targets(user, queryset).filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


def is_lead_member(user, target: Target) -> bool:
    """Head or focal point of an agency with a live lead assignment on the target's task."""
    if user.role not in AGENCY_ROLES or user.agency_id is None:
        return False
    return Assignment.objects.filter(task_id=target.task_id, agency_id=user.agency_id, role="lead",
                                     ended_at__isnull=True).exists()


def require_lead_member(user, target: Target) -> None:
    if not is_lead_member(user, target):
        raise Forbidden("Chỉ cán bộ của cơ quan chủ trì nhiệm vụ mới nhập số liệu thực hiện chỉ tiêu.")


def require_coordinator(user) -> None:
    if user.role not in COORDINATORS:
        raise Forbidden("Chỉ cơ quan theo dõi, tổng hợp thêm chỉ tiêu hoặc sửa giá trị xuất phát.")
