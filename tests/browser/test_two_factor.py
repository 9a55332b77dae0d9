"""A coordinator sets up two-factor sign-in in a real browser: the QR code drawn on the page, the secret typed into
an "app" (computed here, as the phone would), the recovery codes shown once, then a sign-in with a code."""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from tests.browser.test_csp import watch_violations


def phone(secret: str, steps_ahead: int = 0) -> str:
    key = b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_enrolment_then_sign_in_with_a_code(live_server, page, transactional_db):
    user = User(username="tonghop.that", role=Role.COORDINATOR, full_name="Cán bộ tổng hợp")
    user.set_password("mat-khau-thu-nghiem-2024")
    user.save()
    violations = watch_violations(page)

    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tonghop.that")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem-2024")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập xác thực hai bước")
    qr = page.locator("#qr svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] > 100  # a scannable size
    secret = page.locator("#secret").inner_text().replace(" ", "")

    page.get_by_label("Mã 6 chữ số").fill("000000" if phone(secret) != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert")).to_contain_text("Mã xác thực không đúng")
    page.get_by_label("Mã 6 chữ số").fill(phone(secret))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã khôi phục")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", c) for c in codes)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").fill("tonghop.that")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem-2024")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
    page.get_by_label("Mã xác thực").fill(phone(secret, steps_ahead=1))  # the enrolment's code is used up
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    assert violations == [], violations
