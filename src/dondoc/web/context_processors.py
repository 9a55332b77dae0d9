from django.conf import settings
from django.urls import reverse

from dondoc.accounts.roles import OVERSIGHT_ROLES, Role
from dondoc.core.prepared import Prepared


def _unread_query(user_id):
    from django.db.models import Count

    from dondoc.tracking.models import Notification

    return (Notification.objects.filter(user_id=user_id, read_at__isnull=True).order_by().values("user_id")
            .annotate(n=Count("id")).values_list("n"))


_UNREAD = Prepared(_unread_query, user_id=987_654_321_321)  # on every page: compiled once


def navigation(request):
    """Menu entries by role, each (label, url, count, count_title); every entry's view checks the role again. A count
    shows as a small badge after the label (short enough for the menu to fit a 1280 px screen, issue 16)."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Trang chủ", reverse("web:home"), 0, ""))
        if user.role in (Role.HEAD, Role.FOCAL) and user.agency_id:
            from dondoc.tracking.work import overdue_count

            late = overdue_count(user.agency_id)  # memoised with the work list's figures
            items.append(("Việc của tôi", reverse("tracking:my_work"), late, "quá hạn"))
        if user.role in OVERSIGHT_ROLES:
            items.append(("Tổng hợp", reverse("dashboard:overview"), 0, ""))
        elif user.agency_id:
            items.append(("Đơn vị tôi", reverse("dashboard:agency"), 0, ""))
        items.append(("Xếp hạng", reverse("dashboard:ranking"), 0, ""))
        items.append(("Kế hoạch", reverse("plans:list"), 0, ""))
        items.append(("Chỉ tiêu", reverse("targets:index"), 0, ""))
        items.append(("Báo cáo", reverse("reports:index"), 0, ""))
        items.append(("Cơ quan, đơn vị", reverse("orgs:search"), 0, ""))
        if user.role == Role.ADMIN:
            items.append(("Quản trị", reverse("admin:index"), 0, ""))
    unread = 0
    if user is not None and user.is_authenticated:
        unread = sum(n for n, in _UNREAD.rows(user_id=user.pk))
        items.append(("Thông báo", reverse("tracking:notifications"), unread, "chưa đọc"))
    return {"nav_items": items, "demo_mode": not settings.PRODUCTION, "unread_notifications": unread}
