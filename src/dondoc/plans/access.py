"""Who sees which plans and tasks, and who works on drafts: the one place these rules live.

Every page, API endpoint and export reads plans and tasks through `visible_plans` / `visible_tasks` (in the spirit
of NetBox's `RestrictedQuerySet.restrict`), and every action checks its role through `require_role` (Zulip's
`access_*` before `do_*`). A draft is the coordinator's work: other roles get 404 for it and for its tasks, so its
existence is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dondoc.accounts.roles import AGENCY_ROLES, Role
from dondoc.core.errors import Forbidden

from .models import Plan, PlanStatus, Task

# Who works on drafts: loading, reviewing and publishing a plan is the coordinator's job.
DRAFT_ROLES = (Role.ADMIN, Role.COORDINATOR)

__all__ = ["DRAFT_ROLES", "Forbidden", "plan_for_user_or_404", "published_plan_or_404", "require_role",
           "status_agency", "visible_plans", "visible_tasks"]


def require_role(user, roles, message: str = "Vai trò của bạn không được thực hiện thao tác này.") -> None:
    """Forbidden (HTTP 403) unless the user's role is one of `roles`."""
    if getattr(user, "role", None) not in roles:
        raise Forbidden(message)


def visible_plans(user, queryset: QuerySet[Plan] | None = None) -> QuerySet[Plan]:
    qs = (queryset if queryset is not None else Plan.objects.all()).select_related("coordinating_agency")
    if user.role not in DRAFT_ROLES:
        qs = qs.exclude(status=PlanStatus.DRAFT)
    return qs


def plan_for_user_or_404(user, pk: int) -> Plan:
    """The plan, by visible_plans(); compiled once per kind of scope (drafts seen or not: all visible_plans reads of
    the user), as tracking/access.assignment_or_404 is: every plan page and API call starts here."""
    found = _visible_one(user.role in DRAFT_ROLES).run(pk=pk)
    if not found:
        raise Http404
    return found[0]


_ONE: dict = {}


def _visible_one(drafts: bool):
    from types import SimpleNamespace

    from dondoc.core.prepared import Prepared

    if drafts not in _ONE:
        who = SimpleNamespace(role=DRAFT_ROLES[0] if drafts else Role.VIEWER)
        _ONE[drafts] = Prepared(lambda pk: visible_plans(who).filter(pk=pk).order_by(), pk=987_654_321_987)
    return _ONE[drafts]


def published_plan_or_404(user, pk: int) -> Plan:
    """A plan that is being carried out (followed up, reported on); a draft answers 404 to everyone."""
    plan = plan_for_user_or_404(user, pk)
    if plan.status == PlanStatus.DRAFT:
        raise Http404
    return plan


def visible_tasks(user, queryset: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Tasks of the plans the user sees: a draft's tasks for the drafting roles only."""
    qs = queryset if queryset is not None else Task.objects.all()
    if user.role not in DRAFT_ROLES:
        qs = qs.exclude(plan__status=PlanStatus.DRAFT)
    return qs


def status_agency(user, agency_id: int | None) -> int | None:
    """The agency whose statuses a task-list status filter reads. Statuses are follow-up figures: the oversight
    roles read any agency's (or the plan's, with None); an agency's people read their own agency's only, as their
    dashboards do. Asking for another agency's is Forbidden (the plan dashboard answers them 403 too)."""
    if user.role not in AGENCY_ROLES:
        return agency_id
    if agency_id not in (None, user.agency_id) or user.agency_id is None:
        raise Forbidden("Cán bộ của cơ quan chỉ lọc được tình trạng nhiệm vụ của cơ quan mình.")
    return user.agency_id
