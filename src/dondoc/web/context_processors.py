from django.conf import settings
from django.urls import reverse

from dondoc.accounts.roles import OVERSIGHT_ROLES, Role


def navigation(request):
    """Menu entries by role; every entry's view checks the role again."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Trang chủ", reverse("web:home")))
        if user.role in (Role.HEAD, Role.FOCAL) and user.agency_id:
            from dondoc.tracking.work import overdue_count

            late = overdue_count(user.agency_id)  # one indexed count, on every page: not memoised
            items.append((f"Việc của tôi ({late} quá hạn)" if late else "Việc của tôi", reverse("tracking:my_work")))
        if user.role in OVERSIGHT_ROLES:
            items.append(("Tổng hợp", reverse("dashboard:overview")))
        elif user.agency_id:
            items.append(("Đơn vị tôi", reverse("dashboard:agency")))
        items.append(("Xếp hạng", reverse("dashboard:ranking")))
        items.append(("Kế hoạch", reverse("plans:list")))
        items.append(("Chỉ tiêu", reverse("targets:index")))
        items.append(("Báo cáo", reverse("reports:index")))
        items.append(("Cơ quan, đơn vị", reverse("orgs:search")))
        if user.role == Role.ADMIN:
            items.append(("Quản trị", reverse("admin:index")))
    unread = 0
    if user is not None and user.is_authenticated:
        from dondoc.tracking.models import Notification

        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
        items.append((f"Thông báo ({unread})" if unread else "Thông báo", reverse("tracking:notifications")))
    return {"nav_items": items, "demo_mode": not settings.PRODUCTION, "unread_notifications": unread}
