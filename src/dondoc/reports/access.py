"""Who sees and does what on agency reports. Enforced in the actions; views use the same checks for 403/404.

Oversight roles (admin, leader, coordinator, viewer) see every report; an agency's head and focal point see their
own agency's and get 404 on another's. Focal point and head write and submit; the head approves or sends back;
the coordinator (and the admin) accepts or returns. The consolidated report is for the oversight roles.
"""

from __future__ import annotations

from django.http import Http404

from dondoc.accounts.roles import AGENCY_ROLES, OVERSIGHT_ROLES, Role
from dondoc.core.errors import Forbidden  # noqa: F401  (one exception for every app: HTTP 403)

SEE_ALL = OVERSIGHT_ROLES
COORDINATORS = (Role.ADMIN, Role.COORDINATOR)
CONSOLIDATED = SEE_ALL


def visible_reports(user, queryset=None):
    from .models import AgencyReport

    qs = AgencyReport.objects.all() if queryset is None else queryset
    if user.role in SEE_ALL:
        return qs
    if user.role in AGENCY_ROLES and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def report_or_404(user, pk, queryset=None):
    """Another agency's report answers 404, so its existence is not revealed."""
    report = visible_reports(user, queryset).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def is_member(user, agency_id) -> bool:
    return user.role in AGENCY_ROLES and user.agency_id is not None and user.agency_id == agency_id


def require_member(user, agency_id) -> None:
    if not is_member(user, agency_id):
        raise Forbidden("Chỉ thủ trưởng hoặc cán bộ đầu mối của đơn vị mới soạn, gửi báo cáo của đơn vị.")


def require_head(user, agency_id) -> None:
    if user.role != Role.HEAD or user.agency_id != agency_id:
        raise Forbidden("Chỉ thủ trưởng đơn vị duyệt hoặc trả lại báo cáo của đơn vị.")


def require_coordinator(user) -> None:
    if user.role not in COORDINATORS:
        raise Forbidden("Chỉ cơ quan theo dõi, tổng hợp tiếp nhận hoặc trả lại báo cáo.")
