"""A coordinator clears the unmatched-names panel of a draft: one name found by typing it without accents, one created
as a new agency under a parent picked among the agencies of the plan's date, one phrase marked as no agency; the panel
shrinks with each and the tasks follow."""

from playwright.sync_api import expect

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.orgs.loader import load_orgs
from dondoc.orgs.models import Agency
from dondoc.plans import actions
from tests.plans.conftest import make_structure

PASSWORD = "mat-khau-tong-hop-2024"
MISSPELT = "Sở Xây dựng tỉnh Tuyên Quang (cũ)"  # Sở Xây dựng, as no alias spells it
NEW = "Ban Quản lý các dự án đầu tư xây dựng tỉnh"  # not in the organisation data
PHRASE = "theo chức năng, nhiệm vụ được giao"


def _draft(user):
    structure = make_structure()
    tasks = [t for block in structure["assignments"] for t in block["tasks"]]
    tasks[0]["lead_override"] = [NEW]
    tasks[1]["lead_override"] = [MISSPELT]
    tasks[2]["coordinating"] = [NEW, PHRASE]
    tasks[3]["coordinating"] = [PHRASE]
    return actions.import_structure(structure, user=user)


def test_the_panel_maps_creates_and_drops(live_server, page, transactional_db, settings):
    settings.TWO_FACTOR_ROLES = ("admin",)  # the second factor has its own browser test (test_two_factor.py)
    load_orgs()
    user = User(username="tonghop", role=Role.COORDINATOR, agency=Agency.objects.get(code="skhdt"))
    user.set_password(PASSWORD)
    user.save()
    draft = _draft(user)
    page.on("dialog", lambda dialog: dialog.accept())  # "not an agency: drop it from 2 tasks?" — yes
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tonghop")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    page.goto(f"{live_server.url}/ke-hoach/{draft.pk}/ra-soat/")
    rows = page.locator("#unknown-names .unknown-name")
    expect(rows).to_have_count(3)

    # Found by typing it without accents, picked among the suggestions.
    row = rows.filter(has_text=MISSPELT)
    row.get_by_label(f"Tìm cơ quan cho “{MISSPELT}”").fill("so xay dung")
    row.locator(".name-choice", has_text="Sở Xây dựng").first.click()
    expect(row.get_by_label(f"Tìm cơ quan cho “{MISSPELT}”")).to_have_value("Sở Xây dựng")
    row.get_by_role("button", name="Áp dụng cho mọi nhiệm vụ").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"Đã giao 1 nhiệm vụ mang tên “{MISSPELT}” cho Sở Xây dựng.")
    expect(rows).to_have_count(2)

    # Created where it is missing: the printed name is proposed, the kind its first words suggest.
    row = rows.filter(has_text=NEW)
    row.get_by_text("Tạo cơ quan mới…").click()
    expect(row.get_by_label("Tên cơ quan mới")).to_have_value(NEW)
    expect(row.get_by_label("Loại cơ quan")).to_have_value("department")
    row.get_by_label("Loại cơ quan").select_option(label="Khác")
    # "Trực thuộc": searched like the agency above, offering only the agencies in existence on the plan's date.
    create = row.locator("details.name-create form")
    parent = create.get_by_label("Trực thuộc")
    parent.fill("so nong nghiep")
    expect(create.locator(".name-choice", has_text="Sở Nông nghiệp và Phát triển nông thôn")).to_have_count(1)
    expect(create.locator(".name-choice", has_text="Sở Nông nghiệp và Môi trường")).to_have_count(0)  # created 01/03/2025, after the plan
    parent.fill("uy ban nhan dan tinh")
    create.locator(".name-choice", has_text="Ủy ban nhân dân tỉnh Tuyên Quang").click()
    expect(parent).to_have_value("Ủy ban nhân dân tỉnh Tuyên Quang")
    expect(create.locator("input[name=parent]")).to_have_value(str(Agency.objects.get(code="ubnd-tinh").pk))
    row.get_by_role("button", name="Tạo và áp dụng").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Đã thêm {NEW} (trực thuộc Ủy ban nhân dân tỉnh Tuyên Quang) vào danh sách cơ quan và giao 2 nhiệm vụ")
    expect(rows).to_have_count(1)

    # A phrase that is no agency leaves every task: the panel, and the cards that showed it as a partner.
    expect(page.locator("#review-list .task-card", has_text=PHRASE)).to_have_count(2)
    rows.filter(has_text=PHRASE).get_by_role("button", name="Không phải cơ quan").click()
    expect(page.get_by_role("alert").first).to_contain_text(f"Đã bỏ “{PHRASE}” khỏi 2 nhiệm vụ")
    expect(page.locator("#unknown-names")).to_have_count(0)
    expect(page.locator("#review-list")).not_to_contain_text(PHRASE)
    expect(page.locator("#undo")).to_contain_text("Hoàn tác: Bỏ tên “theo chức năng")  # each answer is one review step

    created = Agency.objects.get(name=NEW)
    assert created.kind == "other" and created.parent.code == "ubnd-tinh"
    tasks = list(draft.tasks.order_by("order"))
    assert tasks[0].lead_names == [NEW] and tasks[1].lead_names == ["Sở Xây dựng"]
    assert tasks[2].coordinating_names == [NEW] and tasks[3].coordinating_names == []
    assert not actions.unresolved(draft)
