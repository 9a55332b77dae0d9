"""Account actions: sign-in with lockout, accounts, API tokens. Each change is audited."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction

from dondoc.audit import record
from dondoc.core import clock, errors
from dondoc.core.prepared import Prepared

from . import two_factor
from .models import ApiToken, LoginThrottle, User, hash_token
from .roles import AGENCY_ROLES, Role

WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED_OUT = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. "
    "Vui lòng thử lại sau {minutes} phút hoặc liên hệ quản trị viên."
)


def _throttle_for_update(key: str) -> LoginThrottle:
    try:
        LoginThrottle.objects.get_or_create(username=key)
    except IntegrityError:  # created by a concurrent request: fine, lock it below
        pass
    return LoginThrottle.objects.select_for_update().get(username=key)


def _count_attempt(key: str, request, *, kind: str = "login") -> tuple[str | None, bool]:
    """Count one attempt and decide the lock, in one transaction with the throttle row locked, before any secret is
    checked: N parallel guesses make at most LOCKOUT_THRESHOLD checks, on any number of app servers.

    Returns (refusal, locks): a refusal message when the account is locked already (no check may run), and whether
    this attempt is the one that locks it (it is still checked: the right secret lifts the lock)."""
    now = clock.now()
    window = dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    with transaction.atomic():
        throttle = _throttle_for_update(key)
        if throttle.locked_until and throttle.locked_until > now:
            record(f"{kind}.refused_locked", actor_name=key, request=request)
            return LOCKED_OUT.format(minutes=settings.LOCKOUT_MINUTES), False
        if throttle.first_failure_at is None or now - throttle.first_failure_at > window:
            throttle.failures, throttle.first_failure_at = 0, now
        throttle.failures += 1
        locks = throttle.failures >= settings.LOCKOUT_THRESHOLD
        if locks:
            throttle.locked_until = now + window
            throttle.failures, throttle.first_failure_at = 0, None
        throttle.save()
    return None, locks


def _settle_attempt(key: str, request, *, ok: bool, locks: bool, kind: str = "login", user=None) -> str | None:
    """After the check: the right secret clears the count (and a lock this attempt decided); a wrong one is audited
    (it was counted before the check). Returns the message for a wrong secret."""
    if ok:
        LoginThrottle.objects.filter(username=key).update(failures=0, first_failure_at=None, locked_until=None)
        return None
    with transaction.atomic():
        record(f"{kind}.failed", actor=user, actor_name=key, request=request)
        if locks:
            until = LoginThrottle.objects.filter(username=key).values_list("locked_until", flat=True).first()
            record(f"{kind}.locked_out", actor=user, actor_name=key, request=request,
                   changes={"until": until.isoformat() if until else None})
    return LOCKED_OUT.format(minutes=settings.LOCKOUT_MINUTES) if locks else None


def throttle_key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def attempt_login(request, username: str, password: str) -> tuple[User | None, str | None]:
    """Check a sign-in. Returns (user, None) or (None, message); the message never says whether the account exists."""
    key = throttle_key(username)
    refusal, locks = _count_attempt(key, request)
    if refusal:
        return None, refusal
    user = authenticate(request, username=username, password=password)
    if user is not None and two_factor.next_step(user) is not None:
        # Half-way: the count is cleared when the second step is done, so a known password cannot reset the
        # count of guessed codes.
        record("login.password_ok", actor=user, obj=user, request=request)
        return user, None
    message = _settle_attempt(key, request, ok=user is not None, locks=locks)
    return user, (None if user is not None else message or WRONG_CREDENTIALS)


def clear_attempts(user) -> None:
    """A sign-in completed: its count starts again."""
    LoginThrottle.objects.filter(username=throttle_key(user.get_username())).update(
        failures=0, first_failure_at=None, locked_until=None)


def check_own_password(user: User, password: str, request=None) -> str | None:
    """The password-change form's "current password", under the same count and lock as a sign-in (a stolen session
    must not become an unthrottled password oracle). Returns None when right, else the message to show."""
    key = throttle_key(user.get_username())
    refusal, locks = _count_attempt(key, request, kind="password_check")
    if refusal:
        return refusal
    ok = user.check_password(password)
    message = _settle_attempt(key, request, ok=ok, locks=locks, kind="password_check", user=user)
    return None if ok else message or "Mật khẩu hiện tại không đúng."


def unlock(actor, username: str, request=None) -> None:
    with transaction.atomic():
        LoginThrottle.objects.filter(username=username.lower()).update(failures=0, first_failure_at=None, locked_until=None)
        record("login.unlocked", actor=actor, request=request, changes={"username": username})


class AccountError(errors.ActionError):
    """A refused account change, with a message for the user in Vietnamese."""


def _check_role_agency(role: str, agency) -> None:
    if role not in Role.values:
        raise AccountError(f"Vai trò không hợp lệ: {role}")
    if role in AGENCY_ROLES and agency is None:
        raise AccountError("Thủ trưởng và cán bộ đầu mối phải thuộc một cơ quan, đơn vị.")


def new_password() -> str:
    return secrets.token_urlsafe(9)


@transaction.atomic
def do_create_user(actor, *, username: str, role: str, agency=None, full_name: str = "", email: str = "",
                   password: str | None = None, is_demo: bool = False, request=None) -> User:
    username = username.strip()
    if not username:
        raise AccountError("Tên đăng nhập không được để trống.")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(f"Tên đăng nhập {username} đã có.")
    _check_role_agency(role, agency)
    user = User(username=username, role=role, agency=agency, full_name=full_name, email=email, is_demo=is_demo)
    user.set_password(password or new_password())
    user.save()
    record("account.created", actor=actor, obj=user, request=request,
           changes={"role": role, "agency": agency.code if agency else None})
    return user


@transaction.atomic
def do_reset_password(actor, user: User, request=None) -> str:
    password = new_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    record("account.password_reset", actor=actor, obj=user, request=request)
    return password


@transaction.atomic
def do_set_active(actor, user: User, active: bool, request=None) -> None:
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
    record("account.activated" if active else "account.deactivated", actor=actor, obj=user, request=request)


@transaction.atomic
def do_change_own_password(user: User, password: str, request=None) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record("account.password_changed", actor=user, obj=user, request=request)


MAX_ACTIVE_TOKENS = 20  # per account: an integration needs a few; more is a leak waiting to happen


def active_tokens(user: User):
    """The account's tokens in use: what its owner lists and may revoke."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


@transaction.atomic
def do_create_token(user: User, *, name: str = "", actor=None, request=None) -> tuple[ApiToken, str]:
    if not user.is_active:
        raise AccountError("Tài khoản đã bị vô hiệu hóa.")
    name = " ".join((name or "").split())
    if len(name) > 100:
        raise AccountError("Tên token dài quá 100 ký tự.")
    User.objects.select_for_update().filter(pk=user.pk).first()  # two requests at once cannot pass the cap together
    if active_tokens(user).count() >= MAX_ACTIVE_TOKENS:
        raise AccountError(f"Tài khoản đã có {MAX_ACTIVE_TOKENS} token đang dùng; hãy thu hồi token không dùng nữa "
                           "trước khi tạo token mới.")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[3:11], digest=hash_token(raw))
    record("token.created", actor=actor or user, obj=token, request=request, changes={"user": user.username, "name": name})
    return token, raw


@transaction.atomic
def do_revoke_token(token: ApiToken, *, actor=None, request=None) -> None:
    """Revoke a token: its owner, an administrator, or the command line (no actor)."""
    if actor is not None and actor.pk != token.user_id and actor.role != Role.ADMIN:
        raise errors.Forbidden("Chỉ người sở hữu token hoặc quản trị hệ thống được thu hồi token.")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record("token.revoked", actor=actor, obj=token, request=request)


class TokenRefused(Exception):
    """A real token whose account may not use it now (locked, deactivated): said to the client (HTTP 401)."""


def _token_lookup(digest: str, now: dt.datetime):
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Lower

    locked = LoginThrottle.objects.filter(username=Lower(OuterRef("user__username")), locked_until__gt=now)
    return (ApiToken.objects.select_related("user", "user__agency").annotate(locked=Exists(locked))
            .filter(digest=digest).order_by()[:1])


# Every API request runs it: compiled once (core/prepared.py), not on each request.
_TOKEN_LOOKUP = Prepared(_token_lookup, digest="(probe: not a digest)",
                         now=dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc))


def user_for_token(raw: str) -> User | None:
    """The account of a live token, None for an unknown or revoked one; TokenRefused for a locked or deactivated
    account, so that an API client does not outlive the lockout or the deactivation."""
    if not raw:
        return None
    now = clock.now()
    found = _TOKEN_LOOKUP.run(digest=hash_token(raw), now=now)
    if not found:
        return None
    token = found[0]
    if not token.user.is_active:
        raise TokenRefused("Tài khoản đã bị vô hiệu hóa: token của tài khoản không còn dùng được.")
    if token.revoked_at is not None or (settings.PRODUCTION and token.user.is_demo):
        return None
    if token.locked:
        raise TokenRefused(LOCKED_OUT.format(minutes=settings.LOCKOUT_MINUTES))
    # Touch at most once a minute: an API client should not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Accounts from an Excel sheet -------------------------------------------------------------------

HEADERS = {
    "username": ("tên đăng nhập", "tài khoản", "username"),
    "full_name": ("họ và tên", "họ tên", "full name"),
    "email": ("email", "thư điện tử"),
    "role": ("vai trò", "role"),
    "agency": ("mã cơ quan", "cơ quan", "đơn vị", "agency"),
}
ROLE_WORDS = {
    "admin": Role.ADMIN, "quản trị": Role.ADMIN, "quản trị hệ thống": Role.ADMIN,
    "leader": Role.LEADER, "lãnh đạo": Role.LEADER, "lãnh đạo ubnd": Role.LEADER,
    "coordinator": Role.COORDINATOR, "tổng hợp": Role.COORDINATOR, "theo dõi, tổng hợp": Role.COORDINATOR,
    "cơ quan theo dõi, tổng hợp": Role.COORDINATOR,
    "head": Role.HEAD, "thủ trưởng": Role.HEAD, "thủ trưởng đơn vị": Role.HEAD,
    "focal": Role.FOCAL, "đầu mối": Role.FOCAL, "cán bộ đầu mối": Role.FOCAL,
    "viewer": Role.VIEWER, "chỉ xem": Role.VIEWER, "thanh tra": Role.VIEWER,
}


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: list[tuple[User, str]] = field(default_factory=list)


def read_user_sheet(data) -> tuple[list[dict], list[tuple[int, str]]]:
    """Rows of an .xlsx account sheet, found by header words; row-level errors with sheet row numbers."""
    import openpyxl

    from dondoc.core.text import fold

    from dondoc.parsing.archives import check_archive

    try:
        raw = data.read() if hasattr(data, "read") else data
        check_archive(raw, ".xlsx")  # a zip bomb is refused like any unreadable file
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        return [], [(0, "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")]
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    header_row, columns = None, {}
    for i, row in enumerate(rows[:10]):
        found = {}
        for j, cell in enumerate(row):
            label = fold(str(cell or ""))
            for key, words in HEADERS.items():
                if key not in found and any(label == fold(w) for w in words):
                    found[key] = j
        if "username" in found and "role" in found:
            header_row, columns = i, found
            break
    if header_row is None:
        return [], [(0, "Không tìm thấy dòng tiêu đề (cần các cột «Tên đăng nhập» và «Vai trò»).")]
    out = []
    for i, row in enumerate(rows[header_row + 1:], start=header_row + 2):
        values = {k: (str(row[j]).strip() if j < len(row) and row[j] is not None else "") for k, j in columns.items()}
        if not any(values.values()):
            continue
        values["row"] = i
        out.append(values)
    return out, []


def do_import_users(actor, data, request=None) -> ImportResult:
    """Create every account of the sheet, or none: row errors are returned and nothing is saved."""
    from dondoc.core.text import fold
    from dondoc.orgs.lookup import find_agency_by_code_or_name

    rows, errors = read_user_sheet(data)
    result = ImportResult(errors=errors)
    if errors:
        return result
    if not rows:
        result.errors.append((0, "Bảng tính không có dòng tài khoản nào."))
        return result
    role_by_word = {fold(word): role for word, role in ROLE_WORDS.items()}
    prepared, seen = [], set()
    for values in rows:
        n = values["row"]
        username = values.get("username", "")
        role = role_by_word.get(fold(values.get("role", "")))
        agency = find_agency_by_code_or_name(values["agency"]) if values.get("agency") else None
        if not username:
            result.errors.append((n, "Thiếu tên đăng nhập."))
        elif username.lower() in seen:
            result.errors.append((n, f"Tên đăng nhập {username} lặp lại trong bảng."))
        elif User.objects.filter(username__iexact=username).exists():
            result.errors.append((n, f"Tên đăng nhập {username} đã có."))
        if role is None:
            result.errors.append((n, f"Vai trò không hợp lệ: «{values.get('role', '')}»."))
        if values.get("agency") and agency is None:
            result.errors.append((n, f"Không tìm thấy cơ quan «{values['agency']}»."))
        elif role in AGENCY_ROLES and agency is None:
            result.errors.append((n, "Thủ trưởng và cán bộ đầu mối phải thuộc một cơ quan, đơn vị."))
        seen.add(username.lower())
        prepared.append((username, role, agency, values))
    if result.errors:
        return result
    with transaction.atomic():
        for username, role, agency, values in prepared:
            password = new_password()
            user = do_create_user(actor, username=username, role=role, agency=agency, full_name=values.get("full_name", ""),
                                  email=values.get("email", ""), password=password, request=request)
            result.created.append((user, password))
        record("account.imported", actor=actor, request=request, changes={"count": len(prepared)})
    return result
