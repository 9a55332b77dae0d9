import re
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from dondoc.demo.loader import DEMO_PASSWORD, load_demo
from dondoc.plans.models import Job, Plan, Task

PLAN78 = Path(__file__).resolve().parents[1] / "fixtures" / "plan78" / "source.txt"


def login(page, base, username):
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def test_upload_review_change_lead_publish_and_search(live_server, page, transactional_db, tmp_path):
    load_demo()  # the demo already holds Plan 78 (with progress): this upload is a revision of it
    page.on("dialog", lambda dialog: dialog.accept())  # "replaces the published version?" — yes
    login(page, live_server.url, "tonghop")
    page.get_by_role("link", name="Kế hoạch").first.click()
    page.get_by_role("link", name="Tải lên kế hoạch").click()
    page.get_by_label("Tệp kế hoạch").set_input_files(str(PLAN78))
    page.get_by_role("button", name="Tải lên và đọc văn bản").click()
    expect(page.get_by_role("progressbar")).to_be_visible()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker `make run` starts
    expect(page.locator("#job-message")).to_contain_text("Hoàn tất", timeout=20000)
    page.get_by_role("link", name="Rà soát kết quả").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rà soát bản nháp")
    page.wait_for_function("window.htmx !== undefined")  # the edit buttons are HTMX: wait for it on a busy machine

    plan = Job.objects.latest("created_at").plan  # the demo loaded Plan 78 through a job of its own
    assert plan.revision_of is not None
    expect(page.locator("#revision-diff")).to_contain_text("0")  # same text: nothing added or removed
    task = plan.tasks.filter(lead_names=["Sở Kế hoạch và Đầu tư"]).order_by("order").first()
    card = page.locator(f"#task-{task.pk}")
    card.click()
    expect(page.locator(f"#src-{task.pk}")).to_have_class(re.compile("active"))  # its sentence lit up beside it
    card.get_by_role("button", name="Sửa").click()
    form = page.locator(f"#task-{task.pk}")
    form.get_by_label("Cơ quan chủ trì", exact=True).fill("")
    form.get_by_label("Tìm cơ quan cho cơ quan chủ trì").fill("so tai chinh")
    form.locator(".picker-choice", has_text="Sở Tài chính").first.click()
    expect(form.get_by_label("Cơ quan chủ trì", exact=True)).to_have_value("Sở Tài chính")
    form.get_by_role("button", name="Lưu").click()
    expect(page.locator(f"#task-{task.pk}")).to_contain_text("Đã lưu")

    page.get_by_role("button", name="Ban hành giao việc").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã ban hành giao việc")
    assert plan.revision_of.__class__.objects.get(pk=plan.revision_of_id).status == "superseded"
    assert set(Task.objects.get(pk=task.pk).assignments.filter(role="lead").values_list("agency__code", flat=True)) == {"stc"}

    page.get_by_role("link", name="Danh sách nhiệm vụ").click()
    words = " ".join(task.search_text.split()[2:7])  # a few words of the task, typed without accents
    page.get_by_label("Tìm nhiệm vụ").fill(words)
    # Enter submits the form: through HTMX once it has loaded, as a plain GET before that (no race either way).
    page.get_by_label("Tìm nhiệm vụ").press("Enter")
    expect(page.locator("#task-count")).not_to_have_text(f"{plan.tasks.count()} nhiệm vụ")  # the list narrowed
    row = page.locator("#task-table tbody tr").filter(has=page.get_by_role("link", name=task.ref, exact=True))
    expect(row).to_be_visible()
    expect(row).to_contain_text("Sở Tài chính")
