"""A focal point lays out and sends the agency's report, the head approves it, the coordinator accepts it and
downloads the consolidated report, which is opened with python-docx."""

import datetime as dt

import docx
from playwright.sync_api import expect

from dondoc.demo.loader import load_demo
from dondoc.plans.models import Assignment
from dondoc.reports.models import AgencyReport, AgencyReportItem

from .test_tracking_flow import login

RESULT = "Đã hoàn thành rà soát, báo cáo UBND tỉnh (kiểm thử trình duyệt)"


def test_focal_submits_head_approves_coordinator_accepts_and_downloads(live_server, page, transactional_db, settings,
                                                                      tmp_path):
    settings.DEMO_TODAY = dt.date(2024, 12, 9)
    plan = load_demo()["plan"]
    taken = set(AgencyReport.objects.values_list("agency__code", flat=True))
    code = next(a.agency.code for a in Assignment.objects.filter(task__plan=plan, role="lead", provisional=False)
                .select_related("agency").order_by("agency__sort_key") if a.agency.code not in taken)
    base = live_server.url

    login(page, base, f"{code}.canbo")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="Báo cáo các đơn vị").click()
    page.get_by_role("button", name="Lập báo cáo năm 2024").click()
    expect(page.locator("#state")).to_contain_text("Đang soạn")
    report = AgencyReport.objects.get(agency__code=code)
    item = AgencyReportItem.objects.filter(report=report, role="lead").order_by("order").first()
    page.locator(f"#results-{item.pk}").fill(RESULT)
    page.get_by_label("Đánh giá chung").fill("Đơn vị đã triển khai đầy đủ các nhiệm vụ được giao.")
    page.get_by_role("button", name="Lưu và gửi thủ trưởng duyệt").click()
    expect(page.locator("#state")).to_contain_text("Chờ thủ trưởng duyệt")
    url = page.url

    login(page, base, f"{code}.truong")
    page.goto(url)
    page.get_by_role("button", name="Duyệt, gửi cơ quan tổng hợp").click()
    expect(page.locator("#state")).to_contain_text("Đã gửi cơ quan tổng hợp")

    login(page, base, "tonghop")
    page.goto(url)
    page.get_by_role("button", name="Tiếp nhận báo cáo").click()
    expect(page.locator("#state")).to_contain_text("Đã tiếp nhận")
    expect(page.locator("main")).to_contain_text("đã khóa")
    page.get_by_role("link", name=f"{plan.number} · Năm 2024").click()
    page.get_by_role("link", name="Báo cáo tổng hợp").click()
    expect(page.locator("#overview")).to_contain_text("Đã hoàn thành đúng hạn")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải báo cáo (.docx)").click()
    download = info.value
    assert download.suggested_filename == "Bao-cao-tong-hop-78-KH-UBND-2024.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    doc = docx.Document(str(path))
    body = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in body and "I. TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ CHUNG" in body
    # The accepted report's text, in the coordinator's report: per task, in Phụ lục I (the body stays a few pages).
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert any(RESULT in c for c in cells) and not any(RESULT in p for p in body)
    assert any("đã nhận được báo cáo của 3/" in p for p in body)  # the two demo reports and this one
    assert round(doc.sections[0].page_width.mm) == 210
