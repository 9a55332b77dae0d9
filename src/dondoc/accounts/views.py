from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from dondoc.audit import record
from dondoc.core.permissions import login_required

from . import actions
from .forms import LoginForm, PasswordChangeForm


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "core:home")
    form = LoginForm(request.POST or None)
    error = None
    status = 200
    if request.method == "POST" and form.is_valid():
        user, error = actions.attempt_login(request, form.cleaned_data["username"], form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            record("login.succeeded", actor=user, obj=user, request=request)
            return redirect(next_url or "core:home")
        status = 429 if error.startswith(actions.LOCKED_OUT[:40]) else 200
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record("logout", actor=request.user, obj=request.user, request=request)
    logout(request)
    return redirect("accounts:login")


@sensitive_post_parameters()
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            error = actions.check_own_password(request.user, form.cleaned_data["old_password"], request=request)
            if error is None:
                actions.do_change_own_password(request.user, form.cleaned_data["new_password1"], request=request)
                update_session_auth_hash(request, request.user)
                messages.success(request, "Đã đổi mật khẩu.")
                return redirect("core:home")
            form.add_error("old_password", error)
            status = 429 if error.startswith(actions.LOCKED_OUT[:40]) else 400
    return render(request, "accounts/password_change.html", {"form": form}, status=status)
