from django.http import JsonResponse
from django.shortcuts import render

from dondoc.accounts.roles import Role
from dondoc.core import clock
from dondoc.core.permissions import login_required
from dondoc.dashboard.waiting import waiting_for as dashboard_waiting
from dondoc.plans.waiting import waiting_for as plans_waiting
from dondoc.reports.waiting import waiting_for as reports_waiting
from dondoc.tracking.waiting import waiting_for as tracking_waiting


@login_required
def home(request):
    """What waits for this person, from every app that has something (each decides by role), with counts."""
    day = clock.today()
    waiting = [w for source in (tracking_waiting, reports_waiting, plans_waiting, dashboard_waiting)
               for w in source(request.user, day)]
    return render(request, "web/home.html", {"role_label": Role(request.user.role).label, "waiting": waiting,
                                             "anything_waiting": any(w.count for w in waiting)})


def _api(request, status: int, detail: str):
    """The API answers JSON even where Django does (a path no route matches, an error before the view)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return None


def csrf_failure(request, reason=""):
    return _api(request, 403, "Yêu cầu bị từ chối (CSRF).") or render(request, "errors/csrf.html", status=403)


def error_403(request, exception=None):
    """Every page refused for a role leaves an audit event (a probe for what one may not see is worth knowing)."""
    from dondoc.audit import record

    record("access.refused", request=request, changes={"method": request.method, "path": request.path[:200]})
    return _api(request, 403, "Không có quyền.") or render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return _api(request, 404, "Không tìm thấy.") or render(request, "errors/404.html", status=404)


def error_500(request):
    return _api(request, 500, "Lỗi hệ thống.") or render(request, "errors/500.html", status=500)
