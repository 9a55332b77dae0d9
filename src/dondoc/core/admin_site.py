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


def finish_registry(site) -> None:
    """What third-party apps register, made to read in Vietnamese (run once every app's admin.py is loaded):
    - the second factor's devices are hidden: an administrator resets a lost phone from the account list
      ("Đặt lại xác thực hai bước"), and the device's model carries an English name no catalogue can translate;
    - django-tasks' results keep their read-only list, its columns named in Vietnamese (the field names are
      translated in locale/vi, the columns its admin names in plain English are renamed here)."""
    from django.contrib import admin
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.admin import DBTaskResultAdmin
    from django_tasks_db.models import DBTaskResult

    if site.is_registered(TOTPDevice):
        site.unregister(TOTPDevice)
    if site.is_registered(DBTaskResult):
        site.unregister(DBTaskResult)

    class TaskResultAdmin(DBTaskResultAdmin):
        list_display = ("id", "task", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name")

        @admin.display(description="việc", ordering="task_path")
        def task(self, obj):
            return obj.task_name

        @admin.display(description="lỗi (traceback)")
        def formatted_traceback(self, obj):
            return super().formatted_traceback(obj)

        @admin.display(description="chạy từ lúc")
        def display_run_after(self, obj):
            return super().display_run_after(obj)

    site.register(DBTaskResult, TaskResultAdmin)
