"""A coordinator uploads a Word plan and the review screen opens on the tasks the parser was least sure of."""

from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.orgs.loader import load_orgs
from dondoc.orgs.models import Agency
from dondoc.plans import confidence
from dondoc.plans.models import Job, Task

# Corpus document 22 (Lâm Đồng, a tuyên truyền plan, .docx as published), copied into the repo.
PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "22_lamdong-kh-tuyen-truyen-cchc-2026.docx"
PASSWORD = "mat-khau-tong-hop-2024"


def _cards(page) -> list[int]:
    return page.locator("#review-list .task-card").evaluate_all("cards => cards.map(c => Number(c.dataset.task))")


def test_uploaded_docx_is_reviewed_least_certain_first(live_server, page, transactional_db, settings):
    settings.TWO_FACTOR_ROLES = ("admin",)     # the second factor has its own browser test (test_two_factor.py)
    load_orgs()
    user = User(username="tonghop", role=Role.COORDINATOR, agency=Agency.objects.get(code="skhdt"))
    user.set_password(PASSWORD)
    user.save()
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tonghop")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Kế hoạch").first.click()
    page.get_by_role("link", name="Tải lên kế hoạch").click()
    page.get_by_label("Tệp kế hoạch").set_input_files(str(PLAN))
    page.get_by_role("button", name="Tải lên và đọc văn bản").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(page.locator("#job-message")).to_contain_text("Hoàn tất", timeout=20000)
    page.get_by_role("link", name="Rà soát kết quả").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rà soát bản nháp")
    page.wait_for_function("window.htmx !== undefined")

    plan = Job.objects.get().plan
    tasks = list(plan.tasks.order_by("order"))
    assert len(tasks) >= 5 and sorted(_cards(page)) == sorted(t.pk for t in tasks)  # every task, once
    # Whatever confidences the parser gave, "Cần kiểm tra trước" lists the tasks in their order of doubt.
    page.get_by_role("link", name="Cần kiểm tra trước").click()
    expect(page.locator("#review-order .nav-link.active")).to_contain_text("Cần kiểm tra trước")
    assert _cards(page) == [t.pk for t in sorted(tasks, key=confidence.sort_key)]

    # A block the parser doubts (its values are still being calibrated, so one is set here): the last one.
    doubtful = [t for t in tasks if t.block_ref == tasks[-1].block_ref]
    Task.objects.filter(pk__in=[t.pk for t in doubtful]).update(parse_confidence=0.3,
                                                                parse_basis="đoạn văn: tên cơ quan đầu câu")
    flagged = Task.objects.filter(plan=plan, parse_confidence__lt=confidence.LOW).count()
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/ra-soat/")  # the review screen as the job's link opens it
    page.wait_for_function("window.htmx !== undefined")
    expect(page.locator("#review-order .nav-link.active")).to_contain_text("Cần kiểm tra trước")
    expect(page.locator("#flagged-count")).to_have_text(f"{flagged} nhiệm vụ cần kiểm tra")
    first = page.locator("#review-list .task-card").first
    expect(first).to_have_attribute("id", f"task-{doubtful[0].pk}")
    expect(first).to_contain_text("Cần kiểm tra · độ tin cậy thấp")
    expect(page.locator("#band-low")).to_contain_text(f"cần kiểm tra trước: {flagged} nhiệm vụ")
    expect(page.locator("#review-list")).to_contain_text("nhận ra theo: đoạn văn: tên cơ quan đầu câu")
    badge = first.locator(".confidence")
    expect(badge).to_have_attribute("title", "Độ tin cậy khi đọc văn bản: 0,30 trên thang 0 – 1")

    # Fixing a flagged task happens in place and it stays where it was.
    first.get_by_role("button", name="Sửa").click()
    form = page.locator(f"#task-{doubtful[0].pk}")
    form.get_by_label("Nội dung nhiệm vụ").fill(doubtful[0].text + " (đã đối chiếu)")
    form.get_by_role("button", name="Lưu").click()
    expect(page.locator(f"#task-{doubtful[0].pk}")).to_contain_text("Đã lưu")
    expect(page.locator(f"#task-{doubtful[0].pk}")).to_contain_text("Cần kiểm tra · độ tin cậy thấp")

    # The document's own order is one click away, flags and all.
    page.get_by_role("link", name="Theo thứ tự văn bản").click()
    expect(page.locator("#review-order .nav-link.active")).to_contain_text("Theo thứ tự văn bản")
    assert _cards(page) == [t.pk for t in tasks]
    expect(page.locator(f"#task-{doubtful[0].pk}")).to_contain_text("Cần kiểm tra · độ tin cậy thấp")
    expect(page.locator(".task-card.low-confidence")).to_have_count(flagged)
