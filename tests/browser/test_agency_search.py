import re

from playwright.sync_api import expect

from dondoc.demo.loader import DEMO_PASSWORD, load_demo


def test_coordinator_logs_in_and_finds_an_agency_without_accents(live_server, page, transactional_db):
    load_demo()
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill("tonghop")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

    page.get_by_role("link", name="Cơ quan, đơn vị").first.click()
    page.get_by_placeholder(re.compile("Gõ tên")).fill("so ke hoach")
    page.get_by_placeholder(re.compile("Gõ tên")).press("Enter")  # HTMX when loaded, a plain GET before: no race
    # HTMX swaps the results as the user types; the best match comes first.
    first_row = page.locator("#agency-table tbody tr").first
    expect(first_row).to_contain_text("Sở Kế hoạch và Đầu tư")
    expect(page.locator("#result-count")).to_contain_text("so ke hoach")
    expect(first_row).to_contain_text("Đã giải thể")
    expect(first_row).to_contain_text("Sở Tài chính")
    assert "q=so+ke+hoach" in page.url or "q=so%20ke%20hoach" in page.url

    first_row.get_by_role("link", name="Sở Kế hoạch và Đầu tư").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Kế hoạch và Đầu tư")


def test_wrong_password_shows_the_vietnamese_message(live_server, page, transactional_db):
    load_demo()
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tonghop")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
