"""Who sees and does what on assignments. Enforced in the actions; views use the same checks for 403/404."""

from __future__ import annotations

from django.http import Http404

from dondoc.accounts.roles import AGENCY_ROLES, OVERSIGHT_ROLES, Role

# Roles that see every agency's work; viewers change nothing.
SEE_ALL = OVERSIGHT_ROLES
COORDINATORS = (Role.ADMIN, Role.COORDINATOR)
DECIDE_EXTENSIONS = (Role.ADMIN, Role.COORDINATOR, Role.LEADER)
DIRECT = (Role.ADMIN, Role.LEADER)


class Forbidden(PermissionError):
    """An action this user may not take, with a message in Vietnamese (HTTP 403)."""


def sees_assignment(user, assignment) -> bool:
    if user.role in SEE_ALL:
        return True
    return user.role in AGENCY_ROLES and user.agency_id is not None and assignment.agency_id == user.agency_id


def assignment_or_404(user, queryset, pk):
    """Another agency's assignment answers 404, so its existence is not revealed."""
    assignment = queryset.filter(pk=pk).first()
    if assignment is None or not sees_assignment(user, assignment):
        raise Http404
    return assignment


def require_agency_member(user, assignment) -> None:
    if user.role not in AGENCY_ROLES or user.agency_id != assignment.agency_id:
        raise Forbidden("Chỉ cán bộ của cơ quan được giao mới thực hiện được thao tác này.")


def require_lead_member(user, assignment) -> None:
    require_agency_member(user, assignment)
    if assignment.role != "lead":
        raise Forbidden("Chỉ cơ quan chủ trì mới báo cáo hoàn thành hoặc đề nghị gia hạn; cơ quan phối hợp gửi báo cáo tiến độ.")


def require_role(user, roles, message="Vai trò của bạn không được thực hiện thao tác này.") -> None:
    if user.role not in roles:
        raise Forbidden(message)
