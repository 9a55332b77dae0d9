"""Finding 4: two-factor sign-in (accounts/two_factor.py) — enrolment, the code step, recovery codes, the lockout on
codes, the administrator's reset, who must use it and who may skip it."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts import two_factor
from dondoc.accounts.actions import LOCKED_OUT, do_create_token
from dondoc.accounts.models import RecoveryCode
from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from tests.conftest import PASSWORD

LOGIN, CODE, ENROL = "/dang-nhap/", "/dang-nhap/ma-xac-thuc/", "/tai-khoan/xac-thuc-hai-buoc/thiet-lap/"


def code_for(device, steps_ahead: int = 0) -> str:
    """What the phone shows now (or `steps_ahead` periods later: a code is accepted once, within one period)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def password_step(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def enrol(client, username, password=PASSWORD) -> tuple[TOTPDevice, list[str]]:
    response = password_step(client, username, password)
    assert response.status_code == 302 and response.url == ENROL
    page = client.get(ENROL).content.decode()
    assert "<svg" in page  # the QR code, drawn here
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    secret = re.search(r'<code id="secret"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)
    from base64 import b32decode

    assert b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)) == device.bin_key
    done = client.post(ENROL, {"code": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li class=\"col-6\">([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def coordinator(make_user, orgs):
    return make_user("tonghop.that", Role.COORDINATOR, orgs["skhdt"])


def test_a_coordinator_must_enrol_before_being_signed_in(client, coordinator):
    response = password_step(client, "tonghop.that")
    assert response.status_code == 302 and response.url == ENROL and not signed_in(client)
    assert client.get("/").status_code == 302  # nothing opens half-way
    assert client.post(ENROL, {"code": "000000"}).status_code == 400 and not signed_in(client)
    client.logout()
    device, codes = enrol(client, "tonghop.that")
    assert device.confirmed and signed_in(client)
    assert client.get("/").status_code == 200
    assert Event.objects.filter(action="account.2fa_enabled", actor=coordinator).count() == 1
    assert Event.objects.get(action="login.succeeded", actor=coordinator).changes == {"second_factor": "totp"}
    stored = set(RecoveryCode.objects.filter(user=coordinator).values_list("digest", flat=True))
    assert len(stored) == 10 and not stored & set(codes) and not any(c.replace("-", "") in stored for c in codes)


def test_the_code_step(client, coordinator):
    device, _ = enrol(client, "tonghop.that")
    client.logout()
    response = password_step(client, "tonghop.that")
    assert response.url == CODE and not signed_in(client)
    wrong = client.post(CODE, {"code": "123456" if code_for(device, 1) != "123456" else "654321"})
    assert wrong.status_code == 400 and "Mã xác thực không đúng" in wrong.content.decode() and not signed_in(client)
    assert client.post(CODE, {"code": code_for(device, 1)}).status_code == 302 and signed_in(client)
    assert Event.objects.filter(action="otp.failed", actor=coordinator).count() == 1


def test_a_recovery_code_works_once(client, coordinator):
    _, codes = enrol(client, "tonghop.that")
    client.logout()
    password_step(client, "tonghop.that")
    assert client.post(CODE, {"code": codes[3].upper().replace("-", " ")}).status_code == 302 and signed_in(client)
    assert Event.objects.filter(action="login.succeeded", actor=coordinator).order_by("-id").first().changes == {"second_factor": "recovery"}
    client.logout()
    password_step(client, "tonghop.that")
    assert client.post(CODE, {"code": codes[3]}).status_code == 400 and not signed_in(client)
    assert two_factor.recovery_codes_left(coordinator) == 9


def test_wrong_codes_lock_the_account_and_a_known_password_does_not_reset_the_count(client, coordinator, settings):
    """Each step of a sign-in counts until the sign-in is complete: password (1), two wrong codes (2, 3), the password
    again (4) and a wrong code (5) lock the account at the threshold of 5."""
    settings.LOCKOUT_THRESHOLD = 5
    device, _ = enrol(client, "tonghop.that")
    client.logout()
    password_step(client, "tonghop.that")
    assert client.post(CODE, {"code": "000001"}).status_code == 400
    assert client.post(CODE, {"code": "000002"}).status_code == 400
    # The attacker knows the password and starts again: the count of codes goes on.
    assert password_step(client, "tonghop.that").url == CODE
    locked = client.post(CODE, {"code": "000003"})
    assert locked.status_code == 429 and LOCKED_OUT.format(minutes=settings.LOCKOUT_MINUTES) in locked.content.decode()
    assert Event.objects.filter(action="otp.locked_out", actor=coordinator).count() == 1
    # Locked: the half-way sign-in is gone, the password step refuses, the right code is never checked.
    assert client.post(CODE, {"code": code_for(device, 1)}).status_code == 302 and not signed_in(client)
    assert password_step(client, "tonghop.that").status_code == 429
    assert not signed_in(client)


def test_the_half_way_sign_in_expires(client, coordinator):
    device, _ = enrol(client, "tonghop.that")
    client.logout()
    password_step(client, "tonghop.that")
    session = client.session
    session["two_factor_pending"]["at"] -= two_factor.PENDING_MINUTES * 60 + 1
    session.save()
    response = client.post(CODE, {"code": code_for(device, 1)})
    assert response.status_code == 302 and response.url == LOGIN and not signed_in(client)


def test_the_code_step_without_a_password_goes_back_to_the_login(client, db):
    response = client.get(CODE)
    assert response.status_code == 302 and response.url == LOGIN
    assert client.get(ENROL).url.startswith(LOGIN)


def test_an_administrator_resets_a_lost_phone(client, coordinator, make_user):
    enrol(client, "tonghop.that")
    client.logout()
    admin = make_user("qt", Role.ADMIN)
    client.force_login(admin)
    response = client.post("/quan-tri/accounts/user/", {"action": "reset_two_factor", "_selected_action": [coordinator.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists() and not RecoveryCode.objects.filter(user=coordinator).exists()
    assert Event.objects.filter(action="account.2fa_reset", actor=admin, object_id=str(coordinator.pk)).exists()
    client.logout()
    assert password_step(client, "tonghop.that").url == ENROL  # required: set up again


def test_optional_for_a_focal_point_until_enrolled(client, make_user, orgs):
    focal = make_user("stc.cb", Role.FOCAL, orgs["stc"])
    assert password_step(client, "stc.cb").status_code == 302 and signed_in(client)  # no second step
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/").content.decode()
    assert "Chưa bật" in page
    device = two_factor.start_enrolment(focal)
    client.get(ENROL)
    assert client.post(ENROL, {"code": code_for(device)}).status_code == 200
    client.logout()
    assert password_step(client, "stc.cb").url == CODE and not signed_in(client)


def test_new_recovery_codes_need_a_code_from_the_app(client, coordinator):
    device, old = enrol(client, "tonghop.that")
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/", {"code": "000000"}).status_code == 400
    fresh = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"code": code_for(device, 1)}).content.decode()
    assert len(re.findall(r"<li class=\"col-6\">[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}</li>", fresh)) == 10
    client.logout()
    password_step(client, "tonghop.that")
    assert client.post(CODE, {"code": old[0]}).status_code == 400  # the old ones stopped working


def test_roles_are_configurable(client, make_user, orgs, settings):
    make_user("ld", Role.LEADER, orgs["ubnd-tinh"])
    assert password_step(client, "ld").status_code == 302 and signed_in(client)
    client.logout()
    settings.TWO_FACTOR_ROLES = ("admin", "coordinator", "leader")
    assert password_step(client, "ld").url == ENROL and not signed_in(client)


def test_demo_accounts_skip_it_in_demo_mode_only(client, make_user, orgs, settings):
    demo = make_user("tonghop", Role.COORDINATOR, orgs["skhdt"], is_demo=True)
    assert password_step(client, "tonghop").status_code == 302 and signed_in(client)
    assert two_factor.is_required(demo) is False
    settings.PRODUCTION = True
    assert two_factor.is_required(demo)  # and production refuses demo accounts anyway


def test_api_tokens_are_unaffected(client, coordinator):
    enrol(client, "tonghop.that")
    client.logout()
    _, raw = do_create_token(coordinator)
    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
