"""Layouts that fit (issue 16): on a 390 px phone and a 1366 px laptop no page is wider than the window, the top
menu and its log-out stay on screen, status badges are whole, and task texts keep a readable width (not one word per
line). Each test gathers every problem it sees on every page and fails once with the whole list."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.browser.test_tracking_flow import login

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
MIN_TEXT = 150  # px: a task text narrower than this reads one or two words per line

# Problems of the page in the window: the page wider than the window, a badge outside the window or cut, a text
# (one CSS selector each, with its least width) narrower than that.
MEASURE = """([texts]) => {
  const problems = [], vw = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw > vw) problems.push(`the page is ${sw} px wide in a ${vw} px window`);
  const out = [], cut = [];
  for (const b of document.querySelectorAll('main .badge')) {
    if (!b.getClientRects().length) continue;  // not displayed
    const r = b.getBoundingClientRect(), name = b.innerText.trim();
    if (r.left < 0 || r.right > vw) out.push(`«${name}» at ${Math.round(r.left)}–${Math.round(r.right)} px`);
    if (b.scrollWidth > b.clientWidth + 1) cut.push(`«${name}» ${b.scrollWidth} px in ${b.clientWidth}`);
  }
  if (out.length) problems.push(`${out.length} badges outside the window, e.g. ${out[0]}`);
  if (cut.length) problems.push(`${cut.length} badges cut, e.g. ${cut[0]}`);
  for (const [selector, least] of texts) {
    const found = [...document.querySelectorAll(selector)];
    if (!found.length) problems.push(`nothing matches ${selector}`);
    const narrow = found.filter(e => e.getBoundingClientRect().width < least);
    if (narrow.length) problems.push(`${narrow.length} of ${found.length} «${selector}» narrower than ${least} px, ` +
      `e.g. ${Math.round(narrow[0].getBoundingClientRect().width)} px: «${narrow[0].innerText.trim().slice(0, 40)}»`);
  }
  return problems;
}"""


@pytest.fixture
def demo(transactional_db, settings):
    """The demo (as the other browser tests load it), plus one Sở Y tế assignment with everything its page can show:
    a progress update, a leader's direction, a pending extension request and a pending completion report."""
    from dondoc.accounts.models import User
    from dondoc.demo.loader import load_demo
    from dondoc.orgs.models import Agency
    from dondoc.plans.models import Assignment, Plan
    from dondoc.tracking import actions

    settings.DEMO_TODAY = dt.date(2024, 10, 15)
    load_demo()
    plan = Plan.objects.get(number="78/KH-UBND")
    syt = Agency.objects.get(code="syt")
    a = (Assignment.objects.filter(task__plan=plan, role="lead", agency=syt, claims__isnull=True,
                                   extensions__isnull=True, task__deadline_date__isnull=True)
         .order_by("task__order").first())
    focal, head, leader = (User.objects.get(username=u) for u in ("syt.canbo", "syt.truong", "lanhdao"))
    actions.do_post_update(a, focal, text="Đã ban hành kế hoạch triển khai của Sở, phân công cán bộ phụ trách.",
                           percent=60, difficulties="Kinh phí chưa được bố trí.", proposals="Đề nghị bổ sung kinh phí.")
    actions.do_give_direction(a.task, leader, agency=syt, text="Đề nghị khẩn trương hoàn thành trong tháng 11/2024.")
    actions.do_request_extension(a, head, new_deadline=dt.date(2024, 12, 31), reason="Chờ hướng dẫn của Bộ Y tế.")
    actions.do_claim(a, head, completed_on=dt.date(2024, 10, 15), output="Kế hoạch số 55/KH-SYT")
    return {"plan": plan, "agency": syt, "assignment": a}


def pages(demo):
    """(user, url, texts): each page of issue 16 as the user it is for, and its task texts with their least width."""
    plan, a = demo["plan"], demo["assignment"]
    work = reverse("tracking:my_work")
    work_rows = {"main table tbody td:first-child:not([colspan])": MIN_TEXT}
    # The assignment page: its heading is not squeezed beside the status badge; the task text follows it.
    task_page = {"main h1": 250, "main > p:first-of-type": MIN_TEXT}
    task_lists = "#overdue-list tbody td:nth-child(2):not([colspan]), #coming-list tbody td:nth-child(2):not([colspan])"
    return [
        ("syt.canbo", work, work_rows),
        ("syt.canbo", work + "?nhom=rest", work_rows),  # one group, paginated
        ("syt.canbo", reverse("tracking:assignment", args=[a.pk]), task_page),
        ("syt.truong", reverse("tracking:assignment", args=[a.pk]), task_page),  # the head also assigns a person
        ("tonghop", reverse("tracking:assignment", args=[a.pk]), task_page),  # confirm, return, decide the extension
        ("tonghop", reverse("dashboard:overview"), {"#plans tbody td:first-child:not([colspan])": MIN_TEXT}),
        ("lanhdao", reverse("dashboard:plan", args=[plan.pk]), {
            "#by-section tbody td:first-child": MIN_TEXT, "#by-agency tbody td:first-child": MIN_TEXT,
            task_lists: MIN_TEXT}),
        ("lanhdao", reverse("dashboard:agency_of", args=[demo["agency"].pk]),
         {"main table tbody td:nth-child(2):not([colspan])": MIN_TEXT}),
    ]


def visit_all(page, base, demo) -> list[str]:
    problems, current = [], None
    for user, url, texts in pages(demo):
        if user != current:
            login(page, base, user)
            current = user
        page.goto(base + url)
        page.wait_for_load_state("load")  # the dashboard's charts are drawn by then
        problems += [f"{user} {url}: {p}" for p in page.evaluate(MEASURE, [list(texts.items())])]
        problems += [f"{user} {url}: {p}" for p in menu_problems(page)]
    return problems


def menu_problems(page) -> list[str]:
    """On a laptop the whole menu shows without the toggler, on one line; on a phone the toggler shows. Either way
    the user menu opens and its log-out lies in the window."""
    problems, vw = [], page.viewport_size["width"]
    toggler = page.locator("nav .navbar-toggler")
    if vw >= 1200:
        if toggler.is_visible():
            problems.append(f"the menu is folded under its toggler at {vw} px")
        height = page.locator("nav.navbar").bounding_box()["height"]
        if height > 70:
            problems.append(f"the menu takes {height:.0f} px of height (more than one line)")
        for link in page.locator("nav .nav-link").all():
            box = link.bounding_box()
            if not link.is_visible() or box["x"] < 0 or box["x"] + box["width"] > vw:
                problems.append(f"menu entry «{link.inner_text()}» is off screen: {box}")
    else:
        toggler.click()
        page.locator("#nav.show").wait_for()
    user_menu = page.locator("#user-menu-button, nav .dropdown-toggle").first
    user_menu.click()
    logout = page.get_by_role("button", name="Đăng xuất")
    logout.wait_for()
    box = logout.bounding_box()
    if box["x"] < 0 or box["x"] + box["width"] > vw:
        problems.append(f"log-out lies at {box['x']:.0f}–{box['x'] + box['width']:.0f} px in a {vw} px window")
    page.keyboard.press("Escape")
    return problems


def test_pages_fit_a_phone(live_server, page, demo):
    page.set_viewport_size(PHONE)
    problems = visit_all(page, live_server.url, demo)
    assert problems == [], "\n".join(problems)


def test_pages_fit_a_laptop(live_server, page, demo):
    page.set_viewport_size(LAPTOP)
    problems = visit_all(page, live_server.url, demo)
    assert problems == [], "\n".join(problems)


def test_menu_fits_laptop_screens_for_every_role(live_server, page, demo):
    """The widest menus: an agency's people (their overdue count), the coordinator (many notifications), the
    administrator (one entry more), the agency with the longest name; from 1200 px (where it unfolds) to 1366."""
    from dondoc.orgs.models import Agency

    longest = max(Agency.objects.filter(people__role="focal").distinct(), key=lambda ag: len(ag.short_name or ag.name))
    problems = []
    for user in ("syt.canbo", "syt.truong", "tonghop", "lanhdao", "admin", "xem", f"{longest.code}.canbo"):
        login(page, live_server.url, user)
        for width in (1366, 1280, 1200):
            page.set_viewport_size({"width": width, "height": 768})
            problems += [f"{user} at {width}: {p}" for p in menu_problems(page)]
            sw = page.evaluate("document.documentElement.scrollWidth")
            if sw > width:
                problems.append(f"{user} at {width}: the page is {sw} px wide")
    assert problems == [], "\n".join(problems)
