"""The task list page's status filter (/ke-hoach/<id>/nhiem-vu/?trang_thai=…) lists exactly the tasks whose status,
combined from their lead agencies' (status.combine), is the one chosen — read in SQL from the status cache (issue 17).
Expected lists written by hand from the `mixed` dataset (tests/tracking/conftest.py)."""

import re

import pytest

from dondoc.plans.models import Task
from dondoc.tracking.state import task_status
from tests.tracking.conftest import mixed, people, plan, today  # noqa: F401  (fixtures)

STATUS = {"done_on_time": {"1.2#2"}, "done_late": {"1.1#1"}, "overdue": {"III.1#1"},
          "awaiting_confirmation": {"III.2#1"}, "ongoing": {"1.1#2"}, "open_in_time": {"1.2#1", "1.3#1", "III.2#2"}}


def listed(client, plan, query):
    response = client.get(f"/ke-hoach/{plan.pk}/nhiem-vu/?{query}")
    assert response.status_code == 200
    return set(re.findall(rf'<a href="/ke-hoach/{plan.pk}/nhiem-vu/\d+/">([^<]+)</a>', response.content.decode()))


@pytest.mark.parametrize("code", sorted(STATUS))
def test_the_page_lists_the_tasks_of_the_status_chosen(client, people, plan, mixed, code):
    client.force_login(people["coordinator"])
    assert listed(client, plan, f"trang_thai={code}") == STATUS[code]
    # The same as the task page's status, one task at a time in Python (tracking/state.task_status).
    assert {t.ref for t in Task.objects.filter(plan=plan) if task_status(t).value == code} == STATUS[code]


def test_the_official_figure_gathers_three_codes_and_another_day(client, people, plan, mixed):
    client.force_login(people["viewer"])
    assert listed(client, plan, "trang_thai=open_in_time,awaiting_confirmation,ongoing") == {
        "1.2#1", "1.3#1", "III.2#2", "III.2#1", "1.1#2"}
    assert listed(client, plan, "trang_thai=overdue&ngay=2024-10-02") == {"1.1#1", "III.1#1"}


def test_with_an_agency_its_own_lead_assignment_counts(client, people, plan, mixed, orgs):
    client.force_login(people["coordinator"])
    # Sở Y tế's part of III.1#1 is done late though the task is overdue; Na Hang's part of 1.2#1 is done on time.
    assert listed(client, plan, f"trang_thai=done_late&agency={orgs['syt'].pk}") == {"1.1#1", "III.1#1"}
    assert listed(client, plan, f"trang_thai=done_on_time&agency={orgs['ubnd-nahang'].pk}") == {"1.2#1", "1.2#2"}
    assert listed(client, plan, f"trang_thai=overdue&agency={orgs['stc'].pk}") == {"III.1#1"}
