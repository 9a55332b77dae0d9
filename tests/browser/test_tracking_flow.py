import datetime as dt

from playwright.sync_api import expect

from dondoc.demo.loader import DEMO_PASSWORD, load_demo
from dondoc.plans.models import Assignment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def test_update_claim_return_claim_confirm(live_server, page, transactional_db, settings, tmp_path):
    settings.DEMO_TODAY = dt.date(2024, 10, 15)
    load_demo()
    a = (Assignment.objects.filter(role="lead", agency__code="syt", claims__isnull=True, task__deadline_date__isnull=True)
         .order_by("task__order").first())
    url = f"{live_server.url}/giao-viec/{a.pk}/"
    evidence = tmp_path / "bao-cao-ket-qua.pdf"
    evidence.write_bytes(PDF)

    login(page, live_server.url, "syt.canbo")
    page.get_by_role("link", name="Việc của tôi").click()
    page.locator(f'a[href="/giao-viec/{a.pk}/"]').click()
    page.get_by_label("Kết quả thực hiện").fill("Đã ban hành kế hoạch triển khai của Sở")
    page.get_by_label("Tỷ lệ hoàn thành (%)").fill("80")
    page.get_by_label("Tài liệu minh chứng").set_input_files(str(evidence))
    page.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(page.get_by_role("link", name="bao-cao-ket-qua.pdf")).to_be_visible()

    login(page, live_server.url, "syt.truong")
    page.goto(url)
    page.get_by_label("Ngày hoàn thành").fill("2024-10-14")
    page.get_by_label("Sản phẩm (số, ký hiệu văn bản ...)").fill("Kế hoạch số 55/KH-SYT")
    page.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(page.locator("#status")).to_contain_text("Chờ xác nhận hoàn thành")

    login(page, live_server.url, "tonghop")
    page.goto(url)
    page.get_by_label("Lý do trả lại").fill("Chưa kèm quyết định phê duyệt")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator("#status")).to_contain_text("Chưa hoàn thành, trong hạn")

    login(page, live_server.url, "syt.canbo")
    page.get_by_role("link", name="Thông báo").click()
    expect(page.locator("main")).to_contain_text("Chưa kèm quyết định phê duyệt")
    page.goto(url)
    expect(page.locator("main")).to_contain_text("Chưa kèm quyết định phê duyệt")
    page.get_by_label("Ngày hoàn thành").fill("2024-10-15")
    page.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(page.locator("#status")).to_contain_text("Chờ xác nhận hoàn thành")

    login(page, live_server.url, "tonghop")
    page.goto(url)
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    # Due by the plan's report date (10/12/2024), completed 15/10/2024: on time.
    expect(page.locator("#status")).to_have_text("Đã hoàn thành đúng hạn")
    expect(page.locator("#history")).to_contain_text("Trả lại báo cáo hoàn thành")
