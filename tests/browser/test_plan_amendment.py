"""A coordinator amends a published plan's title from the plan's page, on the amending document, and sees the new
title and the amendment listed (issue 15)."""

import datetime as dt

from playwright.sync_api import expect

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.orgs.loader import load_orgs
from dondoc.orgs.models import Agency
from dondoc.plans import actions
from tests.plans.conftest import make_structure

PASSWORD = "mat-khau-tong-hop-2024"


def test_a_published_plans_title_is_amended_and_the_amendment_listed(live_server, page, transactional_db, settings):
    settings.TWO_FACTOR_ROLES = ("admin",)  # the second factor has its own browser test (test_two_factor.py)
    settings.DEMO_TODAY = dt.date(2024, 6, 20)
    load_orgs()
    user = User(username="tonghop", role=Role.COORDINATOR, agency=Agency.objects.get(code="skhdt"))
    user.set_password(PASSWORD)
    user.save()
    structure = make_structure()
    structure["document"]["title"] = "chuyển đổi số năm 2024"  # the first word lost when the plan was read
    plan = actions.do_publish_plan(actions.import_structure(structure, user=user))

    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tonghop")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    expect(page.locator("#plan-title")).to_have_text("chuyển đổi số năm 2024")
    expect(page.locator("#amendments")).to_have_count(0)

    page.locator("#amend-header summary").click()
    form = page.locator("#amend-header")
    form.get_by_label("Trích yếu").fill("Thực hiện chuyển đổi số năm 2024")
    form.get_by_label("Ngày sửa đổi").fill("2024-06-05")
    form.get_by_label("Căn cứ sửa đổi (văn bản)").fill("Văn bản số 12/UBND-TH ngày 05/6/2024")
    form.get_by_role("button", name="Ghi sửa đổi").click()

    expect(page.locator(".alert-success")).to_contain_text("Đã ghi sửa đổi thông tin kế hoạch ngày 05/06/2024")
    expect(page.locator("#plan-title")).to_have_text("Thực hiện chuyển đổi số năm 2024")
    listed = page.locator("#amendments .amendment")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Ngày 05/06/2024")
    expect(listed).to_contain_text("Văn bản số 12/UBND-TH ngày 05/6/2024")
    expect(listed).to_contain_text("Trích yếu: chuyển đổi số năm 2024 → Thực hiện chuyển đổi số năm 2024")
    expect(listed).to_contain_text("tonghop")
