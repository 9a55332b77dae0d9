"""Two-factor sign-in: a TOTP code from an authenticator app (django-otp's TOTPDevice), or a one-time recovery code.

- Required for the roles in settings.TWO_FACTOR_ROLES (DONDOC_2FA_ROLES, by default admin and coordinator: they publish
  plans, confirm completion and manage accounts), optional for everyone else (the account page enrols them).
- Demo accounts skip it in demo mode only (production refuses demo accounts altogether).
- After the password, nobody is signed in until the second step is done: the session only remembers who is half-way,
  for PENDING_MINUTES. A required account without a device enrols at that point.
- Every code tried counts against the same lockout as passwords (actions._count_attempt), before it is checked.
- Recovery codes are shown once and stored as SHA-256 digests (random, 60 bits each); each works once.
- An administrator resets a lost phone (admin action), audited; API tokens are not affected by any of this.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction

from dondoc.audit import record
from dondoc.core import clock, errors

from .models import RecoveryCode, User, hash_token

PENDING_MINUTES = 5
RECOVERY_CODES = 10
# No 0/o, 1/l/i: codes are read off paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn."


class TwoFactorError(errors.ActionError):
    """A refused code, with its message in Vietnamese."""


def device_for(user, *, confirmed: bool = True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def is_required(user) -> bool:
    if user.is_demo and not settings.PRODUCTION:
        return False
    return user.role in settings.TWO_FACTOR_ROLES


def next_step(user) -> str | None:
    """After a right password: "code" (a device is set up), "enrol" (required, none yet) or None (signed in)."""
    if device_for(user) is not None:
        return "code"
    return "enrol" if is_required(user) else None


def start_enrolment(user):
    """The unconfirmed device being set up (the same one while the page is reloaded)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device


def qr_svg(device) -> str:
    """The otpauth:// link as an SVG QR code, drawn here (no outside service sees the secret)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def secret_text(device) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _new_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = ["-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=hash_token(_normalise(c))) for c in codes])
    return codes


def _check(user, code: str, device) -> str | None:
    """"totp" or "recovery" when the code is right (a recovery code is used up), else None."""
    digits = _normalise(code)
    if device is not None and digits.isdigit() and len(digits) == device.digits and device.verify_token(digits):
        return "totp"
    if len(digits) == 12:
        with transaction.atomic():
            used = (RecoveryCode.objects.select_for_update()
                    .filter(user=user, digest=hash_token(digits), used_at__isnull=True).first())
            if used is not None:
                used.used_at = clock.now()
                used.save(update_fields=["used_at"])
                return "recovery"
    return None


def verify(request, user, code: str, *, device=None, allow_recovery: bool = True) -> str:
    """The code step: counted against the lockout before it is checked. Returns "totp" or "recovery", or raises
    TwoFactorError (the lockout's message once the account is locked)."""
    from . import actions

    key = actions.throttle_key(user.get_username())
    refusal, locks = actions._count_attempt(key, request, kind="otp")
    if refusal:
        raise TwoFactorError(refusal)
    device = device or device_for(user)
    kind = _check(user, code, device) if allow_recovery else (
        "totp" if device is not None and _normalise(code).isdigit() and device.verify_token(_normalise(code)) else None)
    message = actions._settle_attempt(key, request, ok=kind is not None, locks=locks, kind="otp", user=user)
    if kind is None:
        raise TwoFactorError(message or WRONG_CODE)
    return kind


def do_enrol(request, user, device, code: str) -> list[str]:
    """Confirm the device with a first code from the app; returns the recovery codes (shown once)."""
    verify(request, user, code, device=device, allow_recovery=False)
    with transaction.atomic():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_codes(user)
        record("account.2fa_enabled", actor=user, obj=user, request=request)
    return codes


def do_new_recovery_codes(request, user, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a code from the app."""
    verify(request, user, code, allow_recovery=False)
    with transaction.atomic():
        codes = _new_codes(user)
        record("account.2fa_recovery_codes", actor=user, obj=user, request=request)
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def do_reset(actor, user: User, request=None) -> None:
    """A lost phone: the administrator removes the device and the recovery codes; a required account enrols again
    at its next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    RecoveryCode.objects.filter(user=user).delete()
    record("account.2fa_reset", actor=actor, obj=user, request=request, changes={"devices": removed})
