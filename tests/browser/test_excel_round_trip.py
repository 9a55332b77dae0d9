"""Issue 15: Plan 78's task list downloaded, one lead changed in the spreadsheet, sent back from the plan's page:
the preview shows that one change, field by field, before anything is saved."""

import openpyxl
from playwright.sync_api import expect

from dondoc.demo.loader import load_demo
from dondoc.plans.models import Plan

from .test_plan_upload import login

REF_COLUMN, LEAD_COLUMN = 8, 3  # H (hidden): the task's ref; C: Cơ quan chủ trì


def test_an_edited_sheet_shows_its_one_difference_before_it_is_saved(live_server, page, transactional_db, tmp_path):
    plan = load_demo()["plan"]  # Plan 78, published, with progress
    task = [t for t in plan.tasks.filter(cancelled_at__isnull=True).order_by("order") if "Sở Tư pháp" not in t.lead_names][5]
    login(page, live_server.url, "tonghop")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải danh mục nhiệm vụ (Excel)").click()
    sheet = tmp_path / "danh-muc.xlsx"
    download.value.save_as(sheet)

    wb = openpyxl.load_workbook(sheet)  # the official's edit, saved as a spreadsheet program would
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=REF_COLUMN).value == task.ref)
    old_lead = ws.cell(row=row, column=LEAD_COLUMN).value
    ws.cell(row=row, column=LEAD_COLUMN).value = "Sở Tư pháp"
    wb.save(sheet)

    plans_before = Plan.objects.count()
    page.get_by_role("link", name="Nhập lại danh mục từ Excel").click()
    page.get_by_label("Tệp .xlsx").set_input_files(str(sheet))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#changes-summary")).to_contain_text("0 nhiệm vụ mới, 0 nhiệm vụ bị bỏ, 1 nhiệm vụ sửa")
    change = page.locator("#changes-table tr.change")
    expect(change).to_have_count(1)
    expect(change.locator("td").nth(0)).to_have_text(task.ref)
    expect(change.locator("td").nth(1)).to_have_text("Cơ quan chủ trì")
    expect(change.locator("del")).to_have_text(old_lead.replace("\n", "; "))
    expect(change.locator("ins")).to_have_text("Sở Tư pháp")
    assert Plan.objects.count() == plans_before  # a preview writes nothing

    page.get_by_role("button", name="Nhập thành bản nháp sửa đổi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rà soát bản nháp")
    expect(page.locator("#revision-diff")).to_contain_text("0 nhiệm vụ mới, 0 nhiệm vụ bị bỏ, 1 nhiệm vụ sửa")
    draft = Plan.objects.get(revision_of=plan)
    assert draft.tasks.get(ref=task.ref).lead_names == ["Sở Tư pháp"]
