import datetime as dt
import re

from playwright.sync_api import expect

from dondoc.dashboard import figures
from dondoc.plans.models import Plan, Task
from tests.browser.test_tracking_flow import login


def test_leader_clicks_the_overdue_figure_and_lands_on_the_filtered_list(live_server, page, transactional_db, settings):
    from dondoc.demo.loader import load_demo

    settings.DEMO_TODAY = dt.date(2024, 10, 15)
    load_demo()
    plan = Plan.objects.get(number="78/KH-UBND")
    overdue = set(Task.objects.filter(pk__in=figures.task_ids(plan.pk, settings.DEMO_TODAY, ["overdue"]))
                  .values_list("ref", flat=True))
    assert overdue, "the demo has overdue tasks on 15/10/2024"

    login(page, live_server.url, "lanhdao")
    page.get_by_role("link", name="Tổng hợp").first.click()
    page.get_by_role("link", name="Kế hoạch số 78/KH-UBND").click()
    card = page.locator("#figure-overdue")
    expect(card).to_contain_text(str(len(overdue)))
    expect(page.locator("#chart-status")).to_be_visible()  # Chart.js drew from the JSON endpoint: no error line
    expect(page.get_by_text("Không tải được số liệu biểu đồ")).to_have_count(0)
    card.click()

    expect(page).to_have_url(re.compile(r"/ke-hoach/\d+/nhiem-vu/\?.*trang_thai=overdue"))
    expect(page.locator("#status-filter")).to_have_text("Chưa hoàn thành, quá hạn")
    expect(page.locator("#task-count")).to_contain_text(f"{len(overdue)} nhiệm vụ")
    shown = set(page.locator("#task-table tbody tr td:first-child a").all_inner_texts())
    assert shown == overdue
