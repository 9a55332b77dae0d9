import datetime as dt

import pytest

from dondoc.accounts.roles import Role
from dondoc.plans import actions as plan_actions
from dondoc.plans.models import Assignment
from dondoc.tracking import actions
from tests.plans.conftest import make_structure


def _task(text, lead, date=None, recurrence=None):
    deadline = {"text": f"trước ngày {date:%d/%m/%Y}", "date": date.isoformat(), "recurrence": None} if date else \
        {"text": "hằng quý", "date": None, "recurrence": recurrence} if recurrence else None
    return {"text": text, "lead_override": lead, "coordinating": [], "deadline": deadline, "targets": [], "refs": [],
            "span": None}


def figures_structure():
    """Two shortcomings; every date chosen so the expected figures can be counted by hand (see figures_plan)."""
    d = dt.date
    return make_structure(
        sections=[{"ref": "II", "title": "NHIỆM VỤ, GIẢI PHÁP", "parent": None},
                  {"ref": "1", "title": "Cải cách hành chính", "parent": "II"},
                  {"ref": "2", "title": "Chuyển đổi số", "parent": "II"},
                  {"ref": "2.1", "title": "Hạ tầng số", "parent": "2"}],
        assignments=[
            {"ref": "1.1", "section": "1", "heading": "Sở Y tế", "lead": ["Sở Y tế"], "lead_kind": "agency", "span": None,
             "tasks": [_task("T1 rút ngắn thời gian giải quyết hồ sơ", ["Sở Y tế"], d(2024, 9, 30)),
                       _task("T2 công khai thủ tục hành chính", ["Sở Công Thương"], d(2024, 10, 31)),
                       _task("T3 số hóa hồ sơ", ["Sở Y tế", "Sở Công Thương"], d(2024, 9, 30))]},
            {"ref": "2.1.1", "section": "2.1", "heading": "Sở Tài chính", "lead": ["Sở Tài chính"], "lead_kind": "agency",
             "span": None,
             "tasks": [_task("T4 trang bị máy chủ", ["Sở Tài chính"], d(2024, 8, 31)),
                       _task("T5 báo cáo tiến độ hằng quý", ["Sở Tài chính"], recurrence="quarterly"),
                       _task("T6 thuê đường truyền", ["Sở Y tế"], d(2024, 12, 31))]},
        ])


@pytest.fixture
def figures_plan(users, orgs, make_user, settings):
    """As of 05/10/2024: T1 done on time, T2 open in time, T3 overdue (Sở Y tế done late, Sở Công Thương overdue),
    T4 awaiting confirmation past its deadline, T5 ongoing, T6 cancelled on 01/10."""
    d = dt.date
    coordinator = users[Role.COORDINATOR]
    settings.DEMO_TODAY = d(2024, 9, 1)
    plan = plan_actions.do_publish_plan(plan_actions.import_structure(figures_structure(), user=coordinator))
    head = {code: make_user(f"{code}.tt", Role.HEAD, orgs[code]) for code in ("syt", "sct", "stc")}

    def lead(ref_text, code):
        return Assignment.objects.get(task__plan=plan, task__text__startswith=ref_text, agency__code=code, role="lead")

    actions.do_claim(lead("T4", "stc"), head["stc"], completed_on=d(2024, 8, 30))
    settings.DEMO_TODAY = d(2024, 9, 25)
    claim = actions.do_claim(lead("T1", "syt"), head["syt"], completed_on=d(2024, 9, 25))
    settings.DEMO_TODAY = d(2024, 9, 26)
    actions.do_confirm(claim, coordinator)
    settings.DEMO_TODAY = d(2024, 10, 1)
    t6 = plan.tasks.get(text__startswith="T6")
    actions.do_cancel_task(t6, coordinator, reason="Không còn phù hợp")
    settings.DEMO_TODAY = d(2024, 10, 2)
    claim = actions.do_claim(lead("T3", "syt"), head["syt"], completed_on=d(2024, 10, 2))
    settings.DEMO_TODAY = d(2024, 10, 3)
    actions.do_confirm(claim, coordinator)
    settings.DEMO_TODAY = d(2024, 10, 5)
    return plan
