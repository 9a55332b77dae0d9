from django.shortcuts import render

from dondoc.accounts.roles import Role
from dondoc.core.permissions import login_required


@login_required
def home(request):
    return render(request, "core/home.html", {"role_label": Role(request.user.role).label})


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)


def error_403(request, exception=None):
    """Every page refused for a role leaves an audit event (a probe for what one may not see is worth knowing)."""
    from dondoc.audit import record

    record("access.refused", request=request, changes={"method": request.method, "path": request.path[:200]})
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
