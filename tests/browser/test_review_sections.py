"""The section tools of the review screen, in its document order, in Chromium: a section deleted (its tasks go up to
its parent), moved after another (its tasks with it), renamed, and a new one added after another; each read back
from the page the server sends after the reload and from the database."""

import pytest
from playwright.sync_api import expect

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.orgs.loader import load_orgs
from dondoc.orgs.models import Agency
from dondoc.plans import actions
from dondoc.plans import draft as editing
from tests.plans.conftest import make_structure

PASSWORD = "mat-khau-tong-hop-2024"
# The plan of make_structure(): II. NHIỆM VỤ, GIẢI PHÁP > 1. Hạ tầng số (five tasks), then III. TỔ CHỨC THỰC HIỆN
# (three tasks); II has no task of its own.
II, ONE, III = "II. NHIỆM VỤ, GIẢI PHÁP", "1. Hạ tầng số", "III. TỔ CHỨC THỰC HIỆN"
EMPTY = " (chưa có nhiệm vụ trực tiếp)"


def _tasks_of(structure, section_ref):
    return [t["text"] for block in structure["assignments"] if block["section"] == section_ref for t in block["tasks"]]


STRUCTURE = make_structure()
TASKS_1, TASKS_III = _tasks_of(STRUCTURE, "1"), _tasks_of(STRUCTURE, "III")


@pytest.fixture
def review(live_server, page, transactional_db, settings):
    """A coordinator on the review page of a draft, in the document order; returns the plan."""
    settings.TWO_FACTOR_ROLES = ("admin",)
    load_orgs()
    user = User(username="tonghop", role=Role.COORDINATOR, agency=Agency.objects.get(code="skhdt"))
    user.set_password(PASSWORD)
    user.save()
    plan = actions.import_structure(make_structure(), user=user)
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tonghop")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/ra-soat/?sap-xep=van-ban")
    page.on("dialog", lambda dialog: dialog.accept())  # "Xóa mục 1?" — yes
    return plan


def _page_outline(page):
    """What the review list shows, top to bottom: [heading, [its tasks' texts]] for each heading."""
    page.wait_for_load_state("networkidle")  # the server is done before the test reads the database
    return page.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('#review-list h2, #review-list .task-text')) {
            const text = el.textContent.replace(/\\s+/g, ' ').trim();
            if (el.tagName === 'H2') out.push([text, []]); else out[out.length - 1][1].push(text);
        }
        return out;
    }""")


def _db_outline(plan):
    """The same read from the database: the sections depth first, each with its tasks in the plan's order."""
    tasks = list(plan.tasks.order_by("order").values_list("section_id", "text"))
    return [(s.ref, [text for section_id, text in tasks if section_id == s.pk]) for s in editing.outline(plan)]


def _tools(page, plan, ref):
    """The "Sửa mục" tools of a section, opened."""
    tools = page.locator(f"#section-{plan.sections.get(ref=ref).pk} .section-tools")
    tools.locator("summary").click()
    return tools


def test_the_page_starts_as_the_plan_is_printed(review, page):
    assert _page_outline(page) == [[II + EMPTY, []], [ONE, TASKS_1], [III, TASKS_III]]
    assert _db_outline(review) == [("II", []), ("1", TASKS_1), ("III", TASKS_III)]


def test_a_deleted_section_gives_its_tasks_to_its_parent(review, page):
    _tools(page, review, "1").get_by_role("button", name="Xóa mục").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã xóa mục 1; các nhiệm vụ của mục được chuyển lên mục trên.")
    assert "sap-xep=van-ban" in page.url  # the reviewer stays in the document order
    assert _page_outline(page) == [[II, TASKS_1], [III, TASKS_III]]  # II has tasks of its own now
    assert _db_outline(review) == [("II", TASKS_1), ("III", TASKS_III)]
    assert not review.sections.filter(ref="1").exists()
    expect(page.locator("#undo")).to_contain_text("Hoàn tác: Xóa mục 1")


def test_a_section_moved_after_another_takes_its_sub_sections_and_tasks_along(review, page):
    # Into its own sub-section: refused, said on the page, nothing moved.
    tools = _tools(page, review, "II")
    tools.get_by_label("Chuyển mục II đến sau mục số").fill("1")
    tools.get_by_role("button", name="Chuyển").click()
    expect(page.get_by_role("alert").first).to_contain_text("Không chuyển được một mục vào sau chính nó hoặc mục con")
    assert _db_outline(review) == [("II", []), ("1", TASKS_1), ("III", TASKS_III)]

    tools = _tools(page, review, "II")
    tools.get_by_label("Chuyển mục II đến sau mục số").fill("III")
    tools.get_by_role("button", name="Chuyển").click()
    expect(page.locator("#review-list h2").first).to_have_text(III)
    assert _page_outline(page) == [[III, TASKS_III], [II + EMPTY, []], [ONE, TASKS_1]]
    assert _db_outline(review) == [("III", TASKS_III), ("II", []), ("1", TASKS_1)]
    assert review.sections.get(ref="1").parent.ref == "II"  # still under II


def test_a_renamed_section_keeps_its_tasks(review, page):
    # A number another section has: refused, said on the page.
    tools = _tools(page, review, "1")
    tools.get_by_label("Số thứ tự mục", exact=True).fill("III")
    tools.get_by_role("button", name="Đổi tên").click()
    expect(page.get_by_role("alert").first).to_contain_text("Kế hoạch đã có mục số III; hãy chọn số thứ tự khác.")
    assert review.sections.filter(ref="1", title="Hạ tầng số").exists()

    section = review.sections.get(ref="1")
    tools = _tools(page, review, "1")
    tools.get_by_label("Số thứ tự mục", exact=True).fill("2")
    tools.get_by_label("Tiêu đề mục", exact=True).fill("Hạ tầng số và dữ liệu số")
    tools.get_by_role("button", name="Đổi tên").click()
    expect(page.locator(f"#section-{section.pk} h2")).to_have_text("2. Hạ tầng số và dữ liệu số")
    assert _page_outline(page) == [[II + EMPTY, []], ["2. Hạ tầng số và dữ liệu số", TASKS_1], [III, TASKS_III]]
    section.refresh_from_db()
    assert (section.ref, section.title) == ("2", "Hạ tầng số và dữ liệu số")
    assert _db_outline(review) == [("II", []), ("2", TASKS_1), ("III", TASKS_III)]


def test_a_section_added_after_another_is_its_next_sibling(review, page):
    tools = _tools(page, review, "1")
    tools.get_by_label("Số thứ tự mục mới").fill("2")
    tools.get_by_label("Tiêu đề mục mới").fill("Nhân lực số")
    tools.get_by_role("button", name="Thêm mục sau").click()
    expect(page.locator("#review-list h2", has_text="Nhân lực số")).to_have_count(1)
    assert _page_outline(page) == [[II + EMPTY, []], [ONE, TASKS_1], ["2. Nhân lực số" + EMPTY, []], [III, TASKS_III]]
    assert _db_outline(review) == [("II", []), ("1", TASKS_1), ("2", []), ("III", TASKS_III)]
    new = review.sections.get(ref="2")
    assert new.parent.ref == "II" and new.title == "Nhân lực số"
    assert page.url.endswith(f"#section-{new.pk}")  # the page opens on the new section
