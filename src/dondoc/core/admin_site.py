from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied


class DondocAdminSite(AdminSite):
    """The Django admin, for the administrator role only: other signed-in roles get 403, not a second login form."""

    site_header = "Quản trị dondoc"
    site_title = "Quản trị dondoc"
    index_title = "Dữ liệu dùng chung"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and getattr(user, "role", None) == "admin"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next") or request.get_full_path())
