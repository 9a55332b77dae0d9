import pytest
from django.urls import reverse

from dondoc.accounts.actions import LOCKED_OUT, WRONG_CREDENTIALS
from dondoc.accounts.roles import Role
from dondoc.audit.models import Event
from tests.conftest import PASSWORD

LOGIN = "/dang-nhap/"


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_vietnamese(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi" or '<html lang="vi">' in response.content.decode()


def test_login_succeeds_and_is_audited(client, make_user):
    user = make_user("canbo", Role.FOCAL)
    response = post_login(client, "canbo", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200
    assert Event.objects.filter(action="login.succeeded", actor=user).exists()


def test_wrong_password_and_unknown_account_get_the_same_message(client, make_user):
    make_user("canbo")
    wrong = post_login(client, "canbo", "sai-mat-khau")
    unknown = post_login(client, "khong-ton-tai", "sai-mat-khau")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert WRONG_CREDENTIALS in response.content.decode()
        assert "_auth_user_id" not in client.session
    assert Event.objects.filter(action="login.failed").count() == 2


def test_lockout_after_threshold_even_with_the_right_password(client, make_user, settings):
    settings.LOCKOUT_THRESHOLD = 3
    make_user("canbo")
    for _ in range(2):
        assert WRONG_CREDENTIALS in post_login(client, "canbo", "sai").content.decode()
    third = post_login(client, "canbo", "sai").content.decode()
    locked_message = LOCKED_OUT.format(minutes=settings.LOCKOUT_MINUTES)
    assert locked_message in third
    assert Event.objects.filter(action="login.locked_out", actor_name="canbo").count() == 1
    # Locked: even the right password is refused, and the refusal is audited.
    assert locked_message in post_login(client, "canbo", PASSWORD).content.decode()
    assert "_auth_user_id" not in client.session
    assert Event.objects.filter(action="login.refused_locked").exists()


def test_lockout_is_per_username_case_insensitive_and_expires(client, make_user, settings):
    import datetime as dt

    from dondoc.accounts.models import LoginThrottle

    settings.LOCKOUT_THRESHOLD = 2
    make_user("canbo")
    post_login(client, "CanBo", "sai")
    post_login(client, "canbo", "sai")
    throttle = LoginThrottle.objects.get(username="canbo")
    assert throttle.locked_until is not None
    # Another account is unaffected.
    make_user("khac")
    assert post_login(client, "khac", PASSWORD).status_code == 302
    client.logout()
    LoginThrottle.objects.filter(pk=throttle.pk).update(locked_until=throttle.locked_until - dt.timedelta(hours=1))
    assert post_login(client, "canbo", PASSWORD).status_code == 302


def test_deactivated_account_cannot_log_in(client, make_user):
    make_user("canbo", is_active=False)
    assert WRONG_CREDENTIALS in post_login(client, "canbo", PASSWORD).content.decode()


def test_demo_account_refused_in_production_mode(client, make_user, settings):
    make_user("demo", is_demo=True)
    settings.PRODUCTION = True
    assert WRONG_CREDENTIALS in post_login(client, "demo", PASSWORD).content.decode()
    settings.PRODUCTION = False
    assert post_login(client, "demo", PASSWORD).status_code == 302


def test_open_redirect_is_refused(client, make_user):
    make_user("canbo")
    response = client.post(LOGIN + "?next=https://evil.example/", {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("web:home")


def test_next_inside_the_site_is_followed(client, make_user):
    make_user("canbo")
    response = client.post(LOGIN, {"username": "canbo", "password": PASSWORD, "next": "/co-quan/?q=so"})
    assert response.url == "/co-quan/?q=so"


def test_logout_requires_post_and_ends_the_session(client, make_user):
    user = make_user("canbo")
    client.force_login(user)
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get(reverse("web:home")).status_code == 302
    assert Event.objects.filter(action="logout", actor=user).exists()


def test_password_change(client, make_user):
    user = make_user("canbo")
    client.force_login(user)
    bad = client.post("/tai-khoan/mat-khau/", {"old_password": "sai", "new_password1": "Tuyen-Quang-2024!",
                                               "new_password2": "Tuyen-Quang-2024!"})
    assert bad.status_code == 400 and "Mật khẩu hiện tại không đúng." in bad.content.decode()
    assert Event.objects.filter(action="password_check.failed", actor=user).count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    ok = client.post("/tai-khoan/mat-khau/", {"old_password": PASSWORD, "new_password1": "Tuyen-Quang-2024!",
                                              "new_password2": "Tuyen-Quang-2024!"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tuyen-Quang-2024!")
    assert client.get(reverse("web:home")).status_code == 200  # session kept
    assert Event.objects.filter(action="account.password_changed", actor=user).exists()


def test_csrf_failure_page_saves_nothing(make_user):
    from django.test import Client

    user = make_user("canbo")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/tai-khoan/mat-khau/", {"old_password": PASSWORD, "new_password1": "Tuyen-Quang-2024!",
                                                    "new_password2": "Tuyen-Quang-2024!"})
    assert response.status_code == 403
    assert "chưa có gì được lưu" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_production_settings_use_argon2_and_expiring_sessions():
    from dondoc import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < project_settings.SESSION_COOKIE_AGE <= 24 * 3600


def test_argon2_hash_is_produced(db):
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    from dondoc import settings as project_settings

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert make_password("dondoc-demo").startswith("argon2")


def _change(client, old, new="Tuyen-Quang-2024!", again=None):
    return client.post("/tai-khoan/mat-khau/", {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_password_change_does_not_tell_whether_a_guess_is_right(client, make_user):
    """With an unacceptable new password the current one is not even checked: a right and a wrong guess read the same."""
    user = make_user("canbo")
    client.force_login(user)
    right = _change(client, PASSWORD, new="x", again="y")
    wrong = _change(client, "sai", new="x", again="y")
    assert right.status_code == wrong.status_code == 400
    strip = lambda r: r.content.decode().replace(PASSWORD, "").replace("sai", "")  # noqa: E731
    assert "Mật khẩu hiện tại không đúng" not in strip(right) and "Mật khẩu hiện tại không đúng" not in strip(wrong)
    assert not Event.objects.filter(action__startswith="password_check.").exists()


def test_password_change_is_throttled_like_a_sign_in(client, make_user, settings):
    settings.LOCKOUT_THRESHOLD = 3
    user = make_user("canbo")
    client.force_login(user)
    assert [_change(client, f"sai-{i}").status_code for i in range(3)] == [400, 400, 429]
    assert Event.objects.filter(action="password_check.failed", actor=user).count() == 3
    assert Event.objects.filter(action="password_check.locked_out", actor=user).count() == 1
    locked = _change(client, PASSWORD)  # locked: the right password is not even checked
    assert locked.status_code == 429 and "tạm thời bị khóa" in locked.content.decode()
    assert Event.objects.filter(action="password_check.refused_locked").exists()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # The same lock holds at the sign-in page: a guessed password cannot be used there either.
    client.logout()
    assert post_login(client, "canbo", PASSWORD).status_code == 429


def test_locked_or_deactivated_accounts_tokens_are_refused(client, make_user, settings):
    from dondoc.accounts.actions import do_create_token, do_set_active

    settings.LOCKOUT_THRESHOLD = 2
    user = make_user("canbo", Role.FOCAL)
    _, raw = do_create_token(user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/plans", **auth).status_code == 200
    for _ in range(2):
        post_login(client, "canbo", "sai")
    locked = client.get("/api/v1/plans", **auth)
    assert locked.status_code == 401 and "tạm thời bị khóa" in locked.json()["detail"]
    from dondoc.accounts.actions import unlock

    unlock(None, "canbo")
    assert client.get("/api/v1/plans", **auth).status_code == 200
    admin = make_user("qt", Role.ADMIN)
    do_set_active(admin, user, False)
    gone = client.get("/api/v1/plans", **auth)
    assert gone.status_code == 401 and "vô hiệu hóa" in gone.json()["detail"]
