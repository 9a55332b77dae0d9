"""The Content-Security-Policy in a real browser: the pages that run scripts (HTMX, Bootstrap's menu, the dashboard's
charts, the consolidated report's form, the calendar link) work and Chromium reports no violation."""

import datetime as dt

from playwright.sync_api import expect

from dondoc.plans.models import Plan
from tests.browser.test_tracking_flow import login


def watch_violations(page) -> list[str]:
    seen = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def test_pages_run_their_scripts_under_the_policy(live_server, page, transactional_db, settings):
    from dondoc.demo.loader import load_demo

    settings.DEMO_TODAY = dt.date(2024, 10, 15)
    load_demo()
    plan = Plan.objects.get(number="78/KH-UBND")
    violations = watch_violations(page)
    login(page, live_server.url, "tonghop")

    page.goto(f"{live_server.url}/tong-hop/ke-hoach/{plan.pk}/")
    expect(page.locator("#chart-status")).to_be_visible()
    assert page.locator("#chart-status").evaluate("c => c.width") > 0  # Chart.js drew (a static script)
    page.locator("nav .dropdown-toggle").click()  # the user menu is Bootstrap's (a static script)
    expect(page.locator("nav .dropdown-menu")).to_be_visible()

    page.goto(f"{live_server.url}/bao-cao/ke-hoach/{plan.pk}/tong-hop/")
    box = page.locator("#bieu_do")
    box.uncheck()
    hidden = box.evaluate("b => b.parentElement.querySelector('input[type=hidden]').disabled")
    assert hidden is False  # consolidated.js keeps bieu_do=0 for an unticked box

    page.goto(f"{live_server.url}/co-quan/")
    page.get_by_placeholder("Gõ tên").first.fill("so ke hoach")  # HTMX swaps the results in as one types
    expect(page.locator("#agency-table tbody tr").first).to_contain_text("Sở Kế hoạch và Đầu tư")
    assert violations == [], violations
