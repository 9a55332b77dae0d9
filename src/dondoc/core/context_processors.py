from django.conf import settings
from django.urls import reverse

from dondoc.accounts.roles import Role


def navigation(request):
    """Menu entries by role; every entry's view checks the role again."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Trang chủ", reverse("core:home")))
        items.append(("Kế hoạch", reverse("plans:list")))
        items.append(("Cơ quan, đơn vị", reverse("orgs:search")))
        if user.role == Role.ADMIN:
            items.append(("Quản trị", reverse("admin:index")))
    return {"nav_items": items, "demo_mode": not settings.PRODUCTION}
