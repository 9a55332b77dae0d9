"""The review screen's corrections in Chromium: keyboard marks, merge of chosen tasks, undo, split at the cursor,
a task added by selecting its sentence in the source, a section added and renamed."""

from playwright.sync_api import expect

from dondoc.accounts.models import User
from dondoc.accounts.roles import Role
from dondoc.orgs.loader import load_orgs
from dondoc.orgs.models import Agency
from dondoc.plans import actions
from dondoc.plans.models import Task
from tests.plans.conftest import make_structure

PASSWORD = "mat-khau-tong-hop-2024"
FIRST = "Triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh và tuyến huyện."
MISSED = "Sở Tài chính chủ trì bố trí kinh phí cho chuyển đổi số."
THIRD = "Tăng cường tập huấn cán bộ y tế về kỹ năng số."
SOURCE = f"KẾ HOẠCH\nII. NHIỆM VỤ, GIẢI PHÁP\n1. Hạ tầng số\n- {FIRST}\n- {MISSED}\n- {THIRD}\n"


def _task(text):
    start = SOURCE.index(text)
    return {"text": text, "coordinating": [], "deadline": None, "targets": [], "refs": [], "span": [start, start + len(text)]}


def _login(page, base):
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tonghop")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _texts(plan):
    return list(plan.tasks.order_by("order").values_list("text", flat=True))


def test_a_coordinator_corrects_a_draft_from_the_review_screen(live_server, page, transactional_db, settings):
    settings.TWO_FACTOR_ROLES = ("admin",)
    load_orgs()
    user = User(username="tonghop", role=Role.COORDINATOR, agency=Agency.objects.get(code="skhdt"))
    user.set_password(PASSWORD)
    user.save()
    structure = make_structure(assignments=[{"ref": "1.1", "section": "1", "heading": "", "lead": ["Sở Y tế"],
                                             "lead_kind": "agency", "tasks": [_task(FIRST), _task(THIRD)]}])
    plan = actions.import_structure(structure, user=user, text=SOURCE)
    _login(page, live_server.url)
    review = f"{live_server.url}/ke-hoach/{plan.pk}/ra-soat/?sap-xep=van-ban"
    page.goto(review)
    page.wait_for_function("window.htmx !== undefined")
    counter = page.locator("#review-counter")
    expect(counter).to_contain_text("0 / 2 đã rà soát")

    # Keyboard: j to the first task, r marks it reviewed (the counter follows) and moves on.
    page.keyboard.press("j")
    first = Task.objects.get(plan=plan, text=FIRST)
    expect(page.locator(f"#task-{first.pk}")).to_have_class(lambda_has("current"))
    page.keyboard.press("r")
    expect(counter).to_contain_text("1 / 2 đã rà soát")
    expect(page.locator(f"#task-{first.pk}")).to_contain_text("✓ Đã rà soát")

    # The missed sentence: selected in the source pane, added in one click, its lead read from it.
    page.evaluate("""text => {
        const source = document.getElementById('source');
        const node = [...source.childNodes].find(n => n.nodeType === 3 && n.textContent.includes(text));
        const at = node.textContent.indexOf(text);
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + text.length);
        const sel = document.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }""", MISSED)
    page.get_by_role("button", name="+ Thêm nhiệm vụ từ đoạn đã chọn").click()
    added = Task.objects.get(plan=plan, text=MISSED)
    expect(page.locator(f"#task-{added.pk}")).to_contain_text("Sở Tài chính")
    page.wait_for_load_state("networkidle")
    assert _texts(plan) == [FIRST, MISSED, THIRD] and added.lead_names == ["Sở Tài chính"]

    # Two chosen tasks merged into one, joined as sentences; then undone.
    third = Task.objects.get(plan=plan, text=THIRD)
    page.locator(f"#task-{added.pk} .task-select").check()
    page.locator(f"#task-{third.pk} .task-select").check()
    expect(page.locator("#selected-count")).to_have_text("2")
    page.get_by_role("button", name="Gộp thành một nhiệm vụ").click()
    expect(page.locator(f"#task-{added.pk}")).to_contain_text(f"{MISSED} {THIRD}")
    page.wait_for_load_state("networkidle")
    assert _texts(plan) == [FIRST, f"{MISSED} {THIRD}"]
    page.locator("#undo").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã hoàn tác: Gộp 2 nhiệm vụ")
    page.wait_for_load_state("networkidle")
    assert _texts(plan) == [FIRST, MISSED, THIRD]

    # Split at the cursor.
    page.locator(f"#task-{first.pk} .task-edit").click()
    area = page.locator(f"#task-{first.pk} textarea[name=text]")
    cut = FIRST.index("và tuyến huyện")
    area.evaluate("(el, at) => { el.focus(); el.setSelectionRange(at, at); }", cut)
    page.locator(f"#task-{first.pk}").get_by_role("button", name="Tách tại con trỏ").click()
    expect(page.locator("#review-list .task-card .task-text")).to_have_count(4)  # the page came back, split
    page.wait_for_load_state("networkidle")  # the server is done before the test reads the database
    assert _texts(plan)[:2] == [FIRST[:cut].strip(), "và tuyến huyện."]

    # A section added after "1" and renamed, in the document order.
    tools = page.locator(f"#section-{plan.sections.get(ref='1').pk} .section-tools")
    tools.locator("summary").click()
    tools.get_by_label("Số thứ tự mục mới").fill("2")
    tools.get_by_label("Tiêu đề mục mới").fill("Nhân lực số")
    tools.get_by_role("button", name="Thêm mục sau").click()
    page.wait_for_load_state("networkidle")
    new = plan.sections.get(ref="2")
    heading = page.locator(f"#section-{new.pk}")
    expect(heading).to_contain_text("2. Nhân lực số")
    heading.locator("summary").click()
    heading.get_by_label("Tiêu đề mục", exact=True).fill("Nhân lực số và kỹ năng số")
    heading.get_by_role("button", name="Đổi tên").click()
    expect(page.locator(f"#section-{new.pk}")).to_contain_text("2. Nhân lực số và kỹ năng số")


def lambda_has(css_class):
    import re

    return re.compile(rf"(^|\s){css_class}(\s|$)")
