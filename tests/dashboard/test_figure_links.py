"""Every figure on a dashboard that links to a list equals that list's count (issue 16), and the counts use one
vocabulary: a plan's figures and lists count tasks, a task led by several agencies follows the written rule."""

import datetime as dt
import re

import lxml.html
import pytest

from dondoc.accounts.roles import Role
from dondoc.plans import actions as plan_actions
from dondoc.plans.models import Assignment
from dondoc.tracking import actions
from tests.plans.conftest import make_structure

from .conftest import _task

D = dt.date


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return lxml.html.fromstring(response.content.decode())


def _linked_figures(page):
    """(the number shown, the link) of every figure of the plan dashboard that links to a list."""
    found = []
    for card in page.xpath("//*[@id='official-figures']//a[contains(@class, 'card')]"):
        found.append((int(card.xpath(".//*[contains(@class, 'display-6')]")[0].text_content()), card.get("href")))
    for table in ("by-section", "by-agency"):
        for link in page.xpath(f"//*[@id='{table}']//td[contains(@class, 'text-end')]//a"):
            found.append((int(link.text_content()), link.get("href")))
    return found


def _listed(client, url) -> int:
    listing = _page(client, url)
    shown = int(re.match(r"\s*(\d+) nhiệm vụ", listing.get_element_by_id("task-count").text_content()).group(1))
    rows = [r for r in listing.xpath("//*[@id='task-table']/tbody/tr") if r.xpath(".//a")]
    assert shown == len(rows) or shown > len(rows) == 50, (url, shown, len(rows))  # one page holds 50
    return shown


@pytest.mark.parametrize("query", ["", "?ky=tuy-chon&tu=2024-09-01&den=2024-09-30", "?ngay=2024-09-27"])
def test_every_linked_figure_equals_its_list(client, users, figures_plan, query):
    client.force_login(users[Role.LEADER])
    page = _page(client, f"/tong-hop/ke-hoach/{figures_plan.pk}/{query}")
    figures = _linked_figures(page)
    assert len(figures) >= 4 + 2  # the four cards, and linked cells of both tables
    for shown, url in figures:
        assert _listed(client, url) == shown, url
    # The overdue list counts tasks, as the "Chưa hoàn thành, quá hạn" card does, and lists each task once.
    card = int(page.xpath("//*[@id='figure-overdue']//*[contains(@class, 'display-6')]")[0].text_content())
    assert int(page.get_element_by_id("n-overdue").text_content()) == card
    refs = [a.text_content() for a in page.xpath("//*[@id='overdue-list']/tbody//a")]
    assert len(refs) == len(set(refs)) == min(card, 15)


@pytest.fixture
def shared_task(users, orgs, settings):
    """One task led by three agencies (Sở Y tế, Sở Công Thương, Sở Tài chính), due 30/9/2024."""
    settings.DEMO_TODAY = D(2024, 9, 1)
    structure = make_structure(
        sections=[{"ref": "1", "title": "Chuyển đổi số", "parent": None}],
        assignments=[{"ref": "1.1", "section": "1", "heading": "Các sở", "lead": ["Sở Y tế"], "lead_kind": "agency",
                      "span": None, "tasks": [_task("Số hóa hồ sơ lưu trữ", ["Sở Y tế", "Sở Công Thương", "Sở Tài chính"],
                                                    D(2024, 9, 30))]}])
    plan = plan_actions.do_publish_plan(plan_actions.import_structure(structure, user=users[Role.COORDINATOR]))
    return plan, plan.tasks.get()


def _task_page(client, plan, task):
    page = _page(client, f"/ke-hoach/{plan.pk}/nhiem-vu/{task.pk}/")
    status = page.xpath("//h1//*[contains(@class, 'badge')]")[0].text_content()
    progress = page.xpath("//*[@id='lead-progress']")
    return status, progress[0].text_content() if progress else None


def test_one_claim_among_three_leads_leaves_the_task_open_and_says_how_many_are_done(client, users, orgs, make_user,
                                                                                    shared_task, settings):
    plan, task = shared_task
    coordinator = users[Role.COORDINATOR]
    client.force_login(coordinator)
    heads = {code: make_user(f"{code}.tt", Role.HEAD, orgs[code]) for code in ("syt", "sct", "stc")}

    def lead(code):
        return Assignment.objects.get(task=task, agency__code=code, role="lead")

    settings.DEMO_TODAY = D(2024, 9, 10)
    claim = actions.do_claim(lead("syt"), heads["syt"], completed_on=D(2024, 9, 10))
    assert _task_page(client, plan, task) == ("Chưa hoàn thành, trong hạn", "0/3 cơ quan đã hoàn thành")
    actions.do_confirm(claim, coordinator)
    assert _task_page(client, plan, task) == ("Chưa hoàn thành, trong hạn", "1/3 cơ quan đã hoàn thành")
    settings.DEMO_TODAY = D(2024, 9, 12)
    for code in ("sct", "stc"):
        actions.do_claim(lead(code), heads[code], completed_on=D(2024, 9, 12))
    # Every lead agency has reported: now the task waits for the coordinator.
    assert _task_page(client, plan, task) == ("Chờ xác nhận hoàn thành", "1/3 cơ quan đã hoàn thành")
    settings.DEMO_TODAY = D(2024, 10, 1)
    # Past the deadline, still waiting: not overdue (they reported in time), and the plan counts one task.
    page = _page(client, f"/tong-hop/ke-hoach/{plan.pk}/")
    assert page.get_element_by_id("total").text_content() == "1"


def test_the_year_only_deadline_states_its_rule_on_the_task_page(client, users, settings):
    settings.DEMO_TODAY = D(2024, 6, 1)
    structure = make_structure(
        sections=[{"ref": "1", "title": "Chuyển đổi số", "parent": None}],
        assignments=[{"ref": "1.1", "section": "1", "heading": "Sở Y tế", "lead": ["Sở Y tế"], "lead_kind": "agency",
                      "span": None, "tasks": [
                          {**_task("Hoàn thành số hóa năm 2024", None), "deadline": {"text": "năm 2024", "date": None}},
                          {**_task("Hoàn thành số hóa năm 2025", None), "deadline": {"text": "Năm 2025", "date": None}}]}])
    draft = plan_actions.import_structure(structure, user=users[Role.COORDINATOR])
    draft.agency_report_date = D(2024, 12, 10)  # agencies report by 10/12/2024
    draft.save()
    plan = plan_actions.do_publish_plan(draft)
    client.force_login(users[Role.COORDINATOR])
    said = {}
    for task in plan.tasks.all():
        said[task.text[-4:]] = _page(client, f"/ke-hoach/{plan.pk}/nhiem-vu/{task.pk}/").get_element_by_id(
            "due-explained").text_content()
    # The 2024 result is due in the report of 10/12/2024; the 2025 one at the end of its year.
    assert said["2024"] == "Hạn tính trạng thái: 10/12/2024 (theo hạn báo cáo của Kế hoạch, trước khi hết năm 2024)"
    assert said["2025"] == "Hạn tính trạng thái: 31/12/2025 (hết năm 2025)"
