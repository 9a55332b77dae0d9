from django.contrib import messages
import time

from django.contrib.auth import load_backend, login, logout, update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from dondoc.audit import record
from dondoc.core.params import parse_int
from dondoc.core.permissions import login_required

from . import actions, two_factor
from .forms import LoginForm, PasswordChangeForm
from .models import User


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "web:home")
    form = LoginForm(request.POST or None)
    error = None
    status = 200
    if request.method == "POST" and form.is_valid():
        user, error = actions.attempt_login(request, form.cleaned_data["username"], form.cleaned_data["password"])
        if user is not None:
            step = two_factor.next_step(user)
            if step is not None:
                return _begin_second_step(request, user, next_url, step)
            login(request, user)
            record("login.succeeded", actor=user, obj=user, request=request)
            return redirect(next_url or "web:home")
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
                return redirect("web:home")
            form.add_error("old_password", error)
            status = 429 if error.startswith(actions.LOCKED_OUT[:40]) else 400
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


# --- Two-factor sign-in (accounts/two_factor.py) ---------------------------------------------------------------

PENDING = "two_factor_pending"


def _begin_second_step(request, user, next_url, step):
    """The password was right; nobody is signed in until the second step. The session (a new key) remembers who."""
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": time.time(), "next": next_url}
    return redirect("accounts:two_factor" if step == "code" else "accounts:two_factor_enrol")


def _pending(request):
    """(user, data) of a sign-in half-way through, or None (none, expired, or the account may no longer sign in)."""
    data = request.session.get(PENDING)
    if not data:
        return None
    user = User.objects.filter(pk=data.get("user")).first()
    fresh = time.time() - data.get("at", 0) < two_factor.PENDING_MINUTES * 60
    if not fresh or user is None or not load_backend(data["backend"]).user_can_authenticate(user):
        request.session.pop(PENDING, None)
        return None
    return user, data


def _finish(request, user, data, *, second_factor: str, device=None):
    request.session.pop(PENDING, None)
    if device is not None:
        user.otp_device = device  # django-otp marks the session as verified with it
    login(request, user, backend=data["backend"])
    actions.clear_attempts(user)
    record("login.succeeded", actor=user, obj=user, request=request, changes={"second_factor": second_factor})


def _status(message: str) -> int:
    return 429 if message.startswith(actions.LOCKED_OUT[:40]) else 400


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def two_factor_code(request):
    """The second step: a code from the app, or a recovery code."""
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:login")
    user, data = pending
    error, status = None, 200
    if request.method == "POST":
        try:
            kind = two_factor.verify(request, user, request.POST.get("code", ""))
        except two_factor.TwoFactorError as exc:
            error, status = str(exc), _status(str(exc))
            if status == 429:
                request.session.pop(PENDING, None)  # locked: start again from the password
        else:
            _finish(request, user, data, second_factor=kind, device=two_factor.device_for(user) if kind == "totp" else None)
            if kind == "recovery":
                left = two_factor.recovery_codes_left(user)
                messages.warning(request, f"Bạn vừa dùng một mã khôi phục; còn {left} mã. Hãy tạo mã mới trong "
                                          "trang Xác thực hai bước nếu sắp hết.")
            return redirect(data.get("next") or "web:home")
    return render(request, "accounts/two_factor_code.html", {"error": error}, status=status)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def two_factor_enrol(request):
    """Set up the app: during a sign-in that requires it, or from the account page."""
    pending = None if request.user.is_authenticated else _pending(request)
    if pending is None and not request.user.is_authenticated:
        return redirect("accounts:login")
    user = request.user if pending is None else pending[0]
    if pending is None and two_factor.device_for(user) is not None:
        return redirect("accounts:two_factor_settings")
    device = two_factor.start_enrolment(user)
    error, status = None, 200
    if request.method == "POST":
        try:
            codes = two_factor.do_enrol(request, user, device, request.POST.get("code", ""))
        except two_factor.TwoFactorError as exc:
            error, status = str(exc), _status(str(exc))
            if status == 429 and pending is not None:
                request.session.pop(PENDING, None)
                return render(request, "accounts/two_factor_code.html", {"error": error}, status=429)
        else:
            if pending is not None:
                _finish(request, user, pending[1], second_factor="totp", device=device)
            return render(request, "accounts/two_factor_codes.html",
                          {"codes": codes, "next": (pending[1].get("next") if pending else "") or "/"})
    return render(request, "accounts/two_factor_enrol.html", {
        "qr": mark_safe(two_factor.qr_svg(device)), "secret": two_factor.secret_text(device), "error": error,
        "required": two_factor.is_required(user), "during_login": pending is not None}, status=status)


@sensitive_post_parameters("code")
@login_required
def two_factor_settings(request):
    """The account's second factor: set it up, or make new recovery codes."""
    user = request.user
    device = two_factor.device_for(user)
    error, status = None, 200
    if request.method == "POST" and device is not None:
        try:
            codes = two_factor.do_new_recovery_codes(request, user, request.POST.get("code", ""))
        except two_factor.TwoFactorError as exc:
            error, status = str(exc), _status(str(exc))
        else:
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": "/"})
    return render(request, "accounts/two_factor.html", {
        "device": device, "required": two_factor.is_required(user), "left": two_factor.recovery_codes_left(user),
        "error": error}, status=status)


@never_cache
@login_required
def api_tokens(request):
    """The account's API tokens: made here (the token is shown once, on the answer to the POST), revoked here."""
    from dondoc.core.permissions import attempt_for_page

    created, error, status = None, None, 200
    if request.method == "POST":
        if request.POST.get("revoke"):
            token = actions.active_tokens(request.user).filter(pk=parse_int(request.POST["revoke"])).first()
            if token is not None:
                attempt_for_page(actions.do_revoke_token, token, actor=request.user, request=request)
                messages.success(request, f"Đã thu hồi token {token.prefix}…")
            return redirect("accounts:api_tokens")
        outcome = attempt_for_page(actions.do_create_token, request.user, name=request.POST.get("name", ""),
                                   actor=request.user, request=request)
        if outcome.error:
            error, status = outcome.error, outcome.status
        else:
            created = outcome.value  # (token, raw): the raw token appears in this answer only
    return render(request, "accounts/api_tokens.html", {
        "tokens": actions.active_tokens(request.user).order_by("-created_at", "-pk"), "created": created,
        "error": error}, status=status)
